/**
 * Runs one `stripe trigger` to completion and reports what happened. A trigger that fails (an API
 * error, an unreachable API, an unknown event), times out or is aborted is a result, not an
 * exception: a run of several triggers reports each one. Only a binary that cannot be started at
 * all rejects.
 */
import { execa } from 'execa';
import { StripeCliNotFoundError } from '../errors.js';
import { redactSecrets } from '../secrets.js';
import type { StripeCliInfo } from '../types.js';
import { parseTriggerOutput, type ParsedTriggerOutput } from './parse-trigger-output.js';

export interface RunStripeTriggerOptions {
  cli: StripeCliInfo;
  /** From buildTriggerArgs. */
  args: string[];
  /** From buildStripeCliEnv; used as the child's whole environment (offline: true makes the version check fail fast). */
  env: Record<string, string>;
  /** Stop the CLI after this long; the result then has `timedOut: true`. */
  timeoutMs?: number;
  /** Aborting stops the CLI; the result then has `aborted: true`. */
  signal?: AbortSignal;
  /** How long a stop waits after SIGTERM before SIGKILL. */
  graceMs?: number;
  /** Called with the child's pid as soon as it is spawned (tests check it is gone afterwards). */
  onSpawn?: (pid: number) => void;
  now?: () => number;
}

export interface StripeTriggerRun {
  /** True only when the CLI exited 0 and printed "Trigger succeeded!". */
  ok: boolean;
  /** Undefined when the CLI was killed (see `signal`). */
  exitCode: number | undefined;
  signal: string | undefined;
  timedOut: boolean;
  aborted: boolean;
  /** Everything the CLI printed on each stream, secrets masked. */
  stdout: string;
  stderr: string;
  durationMs: number;
  parsed: ParsedTriggerOutput;
}

/** setTimeout's limit (~24.8 days); a longer timer would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export async function runStripeTrigger({
  cli,
  args,
  env,
  timeoutMs = 60_000,
  signal,
  graceMs = 2_000,
  onSpawn,
  now = () => performance.now(),
}: RunStripeTriggerOptions): Promise<StripeTriggerRun> {
  const startedAt = now();
  if (signal?.aborted) return notStarted(startedAt, now);
  // Both streams are buffered (so both are read); no shell, and no stdin: `stripe trigger --edit`
  // or a login prompt must not wait for a terminal that is not there.
  const subprocess = execa(cli.path, args, {
    env,
    extendEnv: false,
    stdin: 'ignore',
    reject: false,
    cleanup: true,
    // A timeout or an abort sends SIGTERM, then SIGKILL after graceMs.
    timeout: Math.min(timeoutMs, MAX_TIMER_MS),
    ...(signal ? { cancelSignal: signal } : {}),
    forceKillAfterDelay: graceMs,
    stripFinalNewline: false,
    windowsHide: true,
  });
  if (subprocess.pid !== undefined) onSpawn?.(subprocess.pid);
  const result = await subprocess;
  if (result.exitCode === undefined && result.signal === undefined && !result.timedOut && !result.isCanceled) {
    throw new StripeCliNotFoundError(`The Stripe CLI (${cli.path}) could not be started: ${redactSecrets(result.shortMessage ?? 'no reason given')}`, {
      hint: 'Check the path is an executable Stripe CLI, or drop --stripe-bin/STRIPE_CLI_PATH to use the bundled one.',
      cause: result.cause,
    });
  }
  const stdout = redactSecrets(String(result.stdout ?? ''));
  const stderr = redactSecrets(String(result.stderr ?? ''));
  const parsed = parseTriggerOutput(stdout, stderr);
  return {
    ok: result.exitCode === 0 && parsed.ok,
    exitCode: result.exitCode,
    signal: result.signal,
    timedOut: result.timedOut,
    aborted: result.isCanceled,
    stdout,
    stderr,
    durationMs: Math.round(now() - startedAt),
    parsed,
  };
}

function notStarted(startedAt: number, now: () => number): StripeTriggerRun {
  return {
    ok: false,
    exitCode: undefined,
    signal: undefined,
    timedOut: false,
    aborted: true,
    stdout: '',
    stderr: '',
    durationMs: Math.round(now() - startedAt),
    parsed: parseTriggerOutput('', ''),
  };
}
