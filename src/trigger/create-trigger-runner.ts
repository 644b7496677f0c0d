import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDuration } from '../render/format-duration.js';
import { buildStripeCliEnv } from '../stripe-cli/stripe-cli-env.js';
import { runStripeTrigger } from '../stripe-cli/run-stripe-trigger.js';
import type { ParsedTriggerOutput } from '../stripe-cli/parse-trigger-output.js';
import { buildTriggerArgs, type TriggerArgsOptions } from '../stripe-cli/trigger-args.js';
import type { StripeCliInfo } from '../types.js';
import type { StripeTriggerOutcome } from './run-triggers.js';

export type TriggerPassthrough = Omit<TriggerArgsOptions, 'event' | 'apiBase' | 'projectName'>;

export interface TriggerRunnerOptions {
  cli: StripeCliInfo;
  /** The API the session's `stripe listen` talks to: triggers must create their objects there too. */
  apiBase?: string;
  apiKey?: string;
  offline: boolean;
  projectName?: string;
  passthrough: TriggerPassthrough;
  baseEnv?: NodeJS.ProcessEnv;
  timeoutMs: number;
}

export interface TriggerRunner {
  run(trigger: string, signal: AbortSignal): Promise<StripeTriggerOutcome>;
  close(): Promise<void>;
}

/** Runs `stripe trigger` with the session's API base and authentication rules, one call per trigger. */
export async function createTriggerRunner({ cli, apiBase, apiKey, offline, projectName, passthrough, baseEnv = process.env, timeoutMs }: TriggerRunnerOptions): Promise<TriggerRunner> {
  // Offline triggers use a throwaway Stripe CLI config too, like offline listen.
  const configDir = offline ? await mkdtemp(join(tmpdir(), 'webhook-dev-trigger-')) : undefined;
  const env = buildStripeCliEnv({ baseEnv, apiKey, configDir, offline });
  return {
    async run(trigger, signal) {
      const result = await runStripeTrigger({
        cli,
        args: buildTriggerArgs({ ...passthrough, event: trigger, ...(apiBase ? { apiBase } : {}), ...(projectName ? { projectName } : {}) }),
        env,
        timeoutMs,
        signal,
      });
      if (result.ok) return { ok: true, exitCode: result.exitCode };
      const message = result.timedOut
        ? `stripe trigger did not finish within ${formatDuration(timeoutMs)}`
        : (describeFailure(result.parsed) ?? lastLine(result.stderr) ?? lastLine(result.stdout) ?? `exit code ${result.exitCode}`);
      return { ok: false, exitCode: result.exitCode, message };
    },
    async close() {
      if (configDir) await rm(configDir, { recursive: true, force: true });
    },
  };
}

/** The Stripe error's own message reads better than `Request failed, status=404, body={…}`. */
function describeFailure(parsed: ParsedTriggerOutput): string | undefined {
  if (parsed.ok) return undefined;
  const { failure } = parsed;
  if (failure.stripeMessage) return `Request failed (HTTP ${failure.status ?? '?'}${failure.step ? `, step ${failure.step}` : ''}): ${failure.stripeMessage}`;
  return failure.message;
}

function lastLine(text: string): string | undefined {
  return text.trim().split('\n').at(-1)?.trim() || undefined;
}
