import type { Reporter } from '../render/reporter.js';

/** JSON mode keeps stdout for records only; the pretty reporter pulls in chalk and ora, so load lazily. */
export async function createReporter({ json }: { json: boolean }): Promise<Reporter> {
  if (json) {
    const { createJsonReporter } = await import('../render/json-reporter.js');
    return createJsonReporter({ stdout: process.stdout, stderr: process.stderr });
  }
  const [{ createPrettyReporter }, ora] = await Promise.all([
    import('../render/pretty-reporter.js'),
    // Only a terminal shows a spinner; CI logs and pipes get plain lines and skip loading ora.
    process.stderr.isTTY ? import('ora').then((module) => module.default) : undefined,
  ]);
  return createPrettyReporter({ stdout: process.stdout, stderr: process.stderr, ...(ora ? { ora } : {}) });
}
