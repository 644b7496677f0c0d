/**
 * The trigger names the Stripe CLI in use supports. The CLI prints them only in the help of
 * `stripe trigger` (a "Supported events:" section built from its embedded fixtures), so that is
 * what is read: the list then always matches the binary, whatever its version.
 */
import { stripVTControlCharacters } from 'node:util';
import { TriggerFailedError } from '../errors.js';
import { formatDuration } from '../render/format-duration.js';
import type { StripeCliInfo } from '../types.js';
import { runStripeTrigger } from './run-stripe-trigger.js';

const HEADING = 'Supported events:';
const ENTRY = /^\s+(\S+)\s*$/;

/** The names under "Supported events:", in the CLI's order; [] when the help has no such section. */
export function parseSupportedTriggers(helpText: string): string[] {
  const lines = stripVTControlCharacters(helpText).split(/\r\n|\n|\r/);
  const start = lines.findIndex((line) => line.trim() === HEADING);
  if (start === -1) return [];
  const names: string[] = [];
  // The section is the indented lines that follow the heading, up to the first blank line.
  for (const line of lines.slice(start + 1)) {
    const entry = ENTRY.exec(line);
    if (!entry) break;
    names.push(entry[1]!);
  }
  return [...new Set(names)];
}

export interface ListStripeTriggersOptions {
  cli: StripeCliInfo;
  /** From buildStripeCliEnv. */
  env: Record<string, string>;
  timeoutMs?: number;
}

export async function listStripeTriggers({ cli, env, timeoutMs = 10_000 }: ListStripeTriggersOptions): Promise<string[]> {
  // `--help` is answered before the command runs, so it skips the version check that a bare
  // `stripe trigger` (which also prints the help) would make first.
  const run = await runStripeTrigger({ cli, args: ['trigger', '--help'], env, timeoutMs });
  const names = run.exitCode === 0 ? parseSupportedTriggers(run.stdout) : [];
  if (names.length > 0) return names;
  const how = run.timedOut ? `did not answer within ${formatDuration(timeoutMs)}` : run.exitCode === 0 ? 'printed no "Supported events:" list' : `exited with ${run.exitCode ?? run.signal}`;
  throw new TriggerFailedError(`Could not list the triggers of the Stripe CLI (${cli.path}): \`stripe trigger --help\` ${how}.`, {
    hint: `Run "${cli.path} trigger --help" to see what it prints, or drop --stripe-bin/STRIPE_CLI_PATH to use the bundled Stripe CLI.`,
    details: `${run.stdout}${run.stderr}`.split('\n').filter((line) => line.trim() !== '').slice(-10),
  });
}
