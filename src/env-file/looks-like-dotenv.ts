/**
 * Tells a dotenv file from anything else webhook-dev must not write into (a JSON or YAML config, a
 * script, a binary) when --write-env points at the wrong file. Pure.
 */
import { scanDotenv } from './scan-dotenv.js';

/** Control characters other than tab and line breaks, and U+FFFD (what undecodable bytes become). */
const BINARY = /[\u0000-\u0008\u000E-\u001F\u007F\uFFFD]/;

/**
 * Why the text is not a dotenv file, or undefined when it is one (an empty file is). The reason
 * names a line number but never quotes the line: it may hold a password.
 */
export function explainNotDotenv(text: string): string | undefined {
  if (BINARY.test(text)) return 'it contains binary data';
  const invalid = scanDotenv(text).find((entry) => entry.kind === 'invalid');
  if (invalid === undefined) return undefined;
  const content = text.split(/\r\n|\n|\r/)[invalid.line - 1]?.trim() ?? '';
  return `line ${invalid.line} is not NAME=value${looksLike(content)}`;
}

export function looksLikeDotenv(text: string): boolean {
  return explainNotDotenv(text) === undefined;
}

function looksLike(line: string): string {
  if (/^\[[\w .-]+\]$/.test(line)) return '; the file looks like INI';
  if (/^[{[]/.test(line)) return '; the file looks like JSON';
  if (/^(?:---|-\s|[\w.-]+:(?:\s|$))/.test(line)) return '; the file looks like YAML';
  if (/^(?:(?:import|export|const|let|var|function)\b|module\.exports|require\()/.test(line)) return '; the file looks like code';
  return '';
}
