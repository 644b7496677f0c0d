import type { Reporter } from '../render/reporter.js';

/** JSON mode keeps stdout for records only; the pretty reporter pulls in chalk and ora, so load lazily. */
export async function createReporter({ json }: { json: boolean }): Promise<Reporter> {
  if (json) {
    const { createJsonReporter } = await import('../render/json-reporter.js');
    return createJsonReporter({ stdout: process.stdout, stderr: process.stderr });
  }
  const { createPrettyReporter } = await import('../render/pretty-reporter.js');
  return createPrettyReporter({ stdout: process.stdout, stderr: process.stderr });
}
