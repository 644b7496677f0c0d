/**
 * Sets one variable in dotenv text and changes nothing else: every other line, comment, blank,
 * the order, the line endings and the `export`/quoting style of the line being updated stay as
 * they were. Pure.
 *
 * Every assignment of the name is updated, not only the last: tools disagree on whether the first
 * (docker compose) or the last (npm dotenv, python-dotenv) wins, and a stale duplicate would be
 * read by one of them.
 */
import { EnvFileError, UsageError } from '../errors.js';
import { ENV_NAME, rawValue, scanDotenv, type DotenvAssignment, type Quote } from './scan-dotenv.js';

export type SetEnvVarAction = 'added' | 'updated' | 'unchanged';

export interface SetEnvVarResult {
  text: string;
  action: SetEnvVarAction;
}

export function setEnvVar(text: string, name: string, value: string): SetEnvVarResult {
  if (!ENV_NAME.test(name)) {
    throw new UsageError(`"${name}" is not a valid environment variable name.`, {
      hint: 'Use letters, digits and underscores, not starting with a digit, e.g. STRIPE_WEBHOOK_SECRET.',
    });
  }
  const assignments = scanDotenv(text).filter(
    (entry): entry is DotenvAssignment => entry.kind === 'assignment' && entry.key === name,
  );
  if (assignments.length === 0) return { text: appendLine(text, `${name}=${quoteValue(value, '')}`), action: 'added' };

  const stale = assignments.filter((entry) => rawValue(text, entry) !== value);
  if (stale.length === 0) return { text, action: 'unchanged' };
  let updated = text;
  // From the end, so the offsets of the earlier ones stay valid.
  for (const entry of stale.reverse()) {
    updated = updated.slice(0, entry.valueStart) + quoteValue(value, entry.quote) + updated.slice(entry.valueEnd);
  }
  return { text: updated, action: 'updated' };
}

/** The file's own line ending (the first one it uses), LF for a file that has none yet. */
export function detectLineEnding(text: string): '\r\n' | '\n' {
  const first = /\r\n|\n|\r/.exec(text);
  return first?.[0] === '\r\n' ? '\r\n' : '\n';
}

function appendLine(text: string, line: string): string {
  const eol = detectLineEnding(text);
  const separator = text === '' || /[\r\n]$/.test(text) ? '' : eol;
  return `${text}${separator}${line}${eol}`;
}

/**
 * Writes the value in the existing line's quoting when that can hold it, else bare when it needs
 * no quotes, else in the first quoting that can. Single quotes are literal everywhere; double
 * quotes and backticks are not (`$` expands in compose and dotenv-expand), so those characters
 * decide.
 */
export function quoteValue(value: string, preferred: Quote): string {
  if (/[\r\n]/.test(value)) {
    throw new EnvFileError('A value with a line break cannot be written to a dotenv file on one line.');
  }
  const order: Quote[] = [preferred, '', "'", '"', '`'];
  const quote = order.find((candidate) => canHold(candidate, value));
  if (quote === undefined) {
    throw new EnvFileError('The value cannot be written to a dotenv file safely: it mixes quotes with backslashes or `$`.');
  }
  return `${quote}${value}${quote}`;
}

function canHold(quote: Quote, value: string): boolean {
  switch (quote) {
    case '':
      return /^[^\s#'"`$\\]*$/.test(value);
    case "'":
      // A trailing backslash would escape the closing quote for npm dotenv.
      return !value.includes("'") && !value.endsWith('\\');
    default:
      // Double quotes and backticks process escapes and expand `$` in some tools.
      return !value.includes(quote) && !/[$\\]/.test(value);
  }
}
