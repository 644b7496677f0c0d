import { holdUntilReady, type HeldReporter } from '../render/hold-until-ready.js';

export interface CreateReporterOptions {
  json: boolean;
  /**
   * A person at a terminal who ends the run: the banner then says "Ctrl-C to stop" and how to
   * publish an event by hand. Off for pipes and CI, and for `trigger`, which ends by itself.
   */
  interactive?: boolean;
}

/** JSON mode keeps stdout for records only; the pretty reporter pulls in chalk and ora, so load lazily. */
export async function createReporter({ json, interactive = process.stdout.isTTY === true && process.stderr.isTTY === true }: CreateReporterOptions): Promise<HeldReporter> {
  if (json) {
    const { createJsonReporter } = await import('../render/json-reporter.js');
    return holdUntilReady(createJsonReporter({ stdout: process.stdout, stderr: process.stderr }));
  }
  const [{ createPrettyReporter }, ora] = await Promise.all([
    import('../render/pretty-reporter.js'),
    // Only a terminal shows a spinner; CI logs and pipes get plain lines and skip loading ora.
    process.stderr.isTTY ? import('ora').then((module) => module.default) : undefined,
  ]);
  return holdUntilReady(createPrettyReporter({ stdout: process.stdout, stderr: process.stderr, interactive, ...(ora ? { ora } : {}) }));
}
