import { inspect } from 'node:util';
import { redactSecrets } from '../secrets.js';

/**
 * One line that says what a handler returned, for the pretty output. `undefined` means "returned
 * nothing" and shows nothing. util.inspect copes with cycles, BigInt, functions and class
 * instances, which JSON.stringify does not; the caps keep a returned 10 MB array cheap to print.
 */
export function summarizeValue(value: unknown, maxLength = 120): string | undefined {
  if (value === undefined) return undefined;
  return truncate(redactSecrets(inspectSafely(value, maxLength)), maxLength);
}

function inspectSafely(value: unknown, maxLength: number): string {
  try {
    return inspect(value, {
      depth: 2,
      breakLength: Number.POSITIVE_INFINITY,
      compact: true,
      colors: false,
      maxArrayLength: 10,
      maxStringLength: maxLength,
      sorted: false,
      getters: false,
    });
  } catch {
    // A Proxy or a custom inspect hook can throw; the user still deserves to see the delivery.
    return '[value could not be displayed]';
  }
}

function truncate(text: string, maxLength: number): string {
  // inspect() keeps string contents escaped, but a custom [inspect.custom] may return raw newlines.
  const oneLine = text.replace(/\s*\n\s*/g, ' ');
  if (oneLine.length <= maxLength) return oneLine;
  return `${oneLine.slice(0, Math.max(0, maxLength - 1))}…`;
}
