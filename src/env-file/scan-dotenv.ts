/**
 * Splits dotenv text into entries that remember their exact offsets, so that an edit can replace
 * one value and leave every other byte (comments, blank lines, spacing, line endings) as it was.
 * Pure.
 *
 * The grammar is the common core of dotenv (npm), docker compose and python-dotenv:
 * `[export ]NAME=value`, blanks around `=` allowed; a value is bare (ending at the line end or at a
 * `#` that starts a comment), or quoted with ', " or ` and then may span several lines.
 * `NAME: value` (which npm dotenv also accepts) is not, because that is what YAML looks like.
 */

export type Quote = '' | "'" | '"' | '`';

export interface DotenvAssignment {
  kind: 'assignment';
  /** 1-based number of the line the assignment starts on. */
  line: number;
  key: string;
  /** Offsets in the text of the value as written, quotes included: what an update replaces. */
  valueStart: number;
  valueEnd: number;
  quote: Quote;
}

export interface DotenvOtherLine {
  kind: 'blank' | 'comment' | 'invalid';
  line: number;
}

export type DotenvEntry = DotenvAssignment | DotenvOtherLine;

/** Names as shells accept them. Dots and dashes are left out on purpose: they make JS look like dotenv. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Groups: 1 = everything up to and including `=`, 2 = the name, 3 = blanks after `=`. */
const ASSIGNMENT_HEAD = /^(\s*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*=)([ \t]*)/;
const LINE_BREAK = /\r\n|\n|\r/g;
/** After a closing quote only blanks and a comment may follow on that line. */
const AFTER_QUOTE = /^[ \t]*(?:#.*)?$/;

export function scanDotenv(text: string): DotenvEntry[] {
  const lines = splitLines(text);
  const entries: DotenvEntry[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const { start, end } = lines[index]!;
    const content = text.slice(start, end);
    const line = index + 1;
    if (content.trim() === '') {
      entries.push({ kind: 'blank', line });
      continue;
    }
    if (content.trimStart().startsWith('#')) {
      entries.push({ kind: 'comment', line });
      continue;
    }
    const head = ASSIGNMENT_HEAD.exec(content);
    if (head === null) {
      entries.push({ kind: 'invalid', line });
      continue;
    }
    const key = head[2]!;
    const valueStart = start + head[0].length;
    const quoted = scanQuoted(text, valueStart, lines, index);
    if (quoted !== undefined) {
      entries.push({ kind: 'assignment', line, key, valueStart, valueEnd: quoted.valueEnd, quote: quoted.quote });
      // A multi-line value's other lines belong to it.
      index = quoted.lastLineIndex;
      continue;
    }
    const bare = bareValueLength(content.slice(head[0].length));
    // An empty value is placed right after `=`, so `A= # note` becomes `A=value # note`.
    const bareStart = bare === 0 ? start + head[1]!.length : valueStart;
    entries.push({ kind: 'assignment', line, key, valueStart: bareStart, valueEnd: bareStart + bare, quote: '' });
  }
  return entries;
}

/** The value as a program reading the file would see it (quotes off, no escape processing). */
export function rawValue(text: string, entry: DotenvAssignment): string {
  const written = text.slice(entry.valueStart, entry.valueEnd);
  return entry.quote === '' ? written : written.slice(1, -1);
}

interface LineSpan {
  start: number;
  /** Where the line's content ends, before its line break. */
  end: number;
}

function splitLines(text: string): LineSpan[] {
  const spans: LineSpan[] = [];
  let start = 0;
  for (const match of text.matchAll(LINE_BREAK)) {
    spans.push({ start, end: match.index });
    start = match.index + match[0].length;
  }
  if (start < text.length) spans.push({ start, end: text.length });
  return spans;
}

function scanQuoted(
  text: string,
  valueStart: number,
  lines: LineSpan[],
  lineIndex: number,
): { quote: Quote; valueEnd: number; lastLineIndex: number } | undefined {
  const quote = text[valueStart];
  if (quote !== "'" && quote !== '"' && quote !== '`') return undefined;
  for (let position = valueStart + 1; position < text.length; position += 1) {
    const char = text[position];
    if (char === '\\') {
      position += 1;
      continue;
    }
    if (char !== quote) continue;
    let lastLineIndex = lineIndex;
    while (lines[lastLineIndex]!.end < position) lastLineIndex += 1;
    const rest = text.slice(position + 1, lines[lastLineIndex]!.end);
    // `A="x" y` is not a quoted value; npm dotenv then reads the whole line as a bare one.
    if (!AFTER_QUOTE.test(rest)) return undefined;
    return { quote, valueEnd: position + 1, lastLineIndex };
  }
  // Never closed: a bare value that happens to start with a quote.
  return undefined;
}

/** Length of a bare value: up to a comment (`#` at the start or after a blank), trailing blanks off. */
function bareValueLength(afterEquals: string): number {
  const comment = /(?:^|[ \t])#/.exec(afterEquals);
  const value = comment === null ? afterEquals : afterEquals.slice(0, comment.index);
  return value.trimEnd().length;
}
