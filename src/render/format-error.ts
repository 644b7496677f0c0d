import { inspect } from 'node:util';
import { isWebhookDevError, type ExitCodeName } from '../errors.js';
import { redactSecrets } from '../secrets.js';
import type { Colors } from './color.js';
import { stackFrames } from './stack-frames.js';

export const BUG_HINT = 'This is a bug in webhook-dev, please report it with the output above.';

/** What both reporters know about a failure; the JSON reporter prints it as-is. */
export interface SerializedFailure {
  code: ExitCodeName;
  exitCode: number;
  message: string;
  hint: string | null;
  details: string[];
}

/**
 * webhook-dev's own error record (the `error` JSON record, the pretty error block); what a
 * handler threw is runner/serialize-handler-error.ts. A WebhookDevError is the user's to fix: its message, details and hint. Anything else is our bug:
 * its stack, so the report can be acted on. Every string is redacted again here, the last point
 * before output, because details often hold a child's raw stderr.
 */
export function serializeFailure(error: unknown): SerializedFailure {
  if (isWebhookDevError(error)) {
    const cause = describeCause(error.cause);
    return {
      code: error.code,
      exitCode: error.exitCode,
      message: redactSecrets(error.message),
      hint: error.hint === undefined ? null : redactSecrets(error.hint),
      details: [...error.details, ...(cause === undefined ? [] : [`cause: ${cause}`])].map(redactSecrets),
    };
  }
  return {
    code: 'INTERNAL',
    exitCode: 1,
    message: redactSecrets(describeThrown(error)),
    hint: BUG_HINT,
    details: stackFrames(error instanceof Error ? error.stack : undefined).map(redactSecrets),
  };
}

export interface FormatErrorOptions {
  colors: Colors;
}

/**
 * Lines for stderr. The hint comes last, under the details, because a child's last twenty lines
 * would otherwise push the one actionable sentence out of view.
 */
export function formatError(error: unknown, { colors }: FormatErrorOptions): string[] {
  const failure = serializeFailure(error);
  const [first = '', ...rest] = failure.message.split('\n');
  const title = failure.code === 'INTERNAL' ? `Internal error: ${first}` : first;
  const lines = [`${colors.red('✗')} ${colors.bold(title)}`, ...rest.map((line) => `  ${line}`)];
  for (const detail of failure.details) lines.push(colors.dim(`    ${detail}`));
  if (failure.hint !== null) lines.push(`  ${colors.cyan('hint:')} ${failure.hint}`);
  return lines;
}

function describeThrown(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  if (typeof error === 'string') return error;
  return `non-error thrown: ${inspect(error, { depth: 2, breakLength: Number.POSITIVE_INFINITY })}`;
}

function describeCause(cause: unknown): string | undefined {
  if (cause === undefined) return undefined;
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : describeThrown(cause);
}
