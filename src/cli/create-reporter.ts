import { holdUntilReady, type HeldReporter } from '../render/hold-until-ready.js';
import type { Reporter } from '../render/reporter.js';
import { redactSecrets } from '../secrets.js';

export interface CreateReporterOptions {
  json: boolean;
  /**
   * A person at a terminal who ends the run: the banner then says "Ctrl-C to stop" and how to
   * publish an event by hand. Off for pipes and CI, and for `trigger`, which ends by itself.
   */
  interactive?: boolean;
  /** `--debug` or WEBHOOK_DEV_DEBUG=1. */
  debug?: boolean;
}

/** JSON mode keeps stdout for records only; the pretty reporter pulls in chalk and ora, so load lazily. */
export async function createReporter({
  json,
  interactive = process.stdout.isTTY === true && process.stderr.isTTY === true,
  debug = false,
}: CreateReporterOptions): Promise<HeldReporter> {
  let reporter: Reporter;
  if (json) {
    const { createJsonReporter } = await import('../render/json-reporter.js');
    reporter = createJsonReporter({ stdout: process.stdout, stderr: process.stderr, batched: true, debug });
  } else {
    const [{ createPrettyReporter }, ora] = await Promise.all([
      import('../render/pretty-reporter.js'),
      // Only a terminal shows a spinner; CI logs and pipes get plain lines and skip loading ora.
      process.stderr.isTTY ? import('ora').then((module) => module.default) : undefined,
    ]);
    reporter = createPrettyReporter({ stdout: process.stdout, stderr: process.stderr, interactive, ...(ora ? { ora } : {}) });
  }
  return holdUntilReady(debug ? withDebug(reporter) : reporter);
}

/** Debug lines go where the mode's other messages go: a `debug` record on stdout (the JSON reporter writes those), or stderr. */
function withDebug(reporter: Reporter): Reporter {
  // Milliseconds since the process started, so start-up phases read as a timeline.
  const debug = reporter.debug ?? ((message: string) => process.stderr.write(`debug ${String(Math.round(performance.now())).padStart(5)} ms │ ${redactSecrets(message)}\n`));
  return {
    ...reporter,
    debug,
    error(error) {
      reporter.error(error);
      // Expected errors print a message and a hint; with --debug, where they came from too.
      if (error instanceof Error && error.stack) debug(error.stack);
    },
  };
}

export function debugWanted(flag: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  return flag === true || (env.WEBHOOK_DEV_DEBUG !== undefined && env.WEBHOOK_DEV_DEBUG !== '' && env.WEBHOOK_DEV_DEBUG !== '0');
}
