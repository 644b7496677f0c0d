import { stripVTControlCharacters } from 'node:util';
import { redactSecrets } from '../secrets.js';
import { DEFAULT_MAX_BODY_BYTES } from '../forwarder/defaults.js';

export interface FormatAppBodyOptions {
  /** The response's content-type, when it sent one. */
  contentType?: string;
  /** The forwarder stopped reading at maxBodyBytes. */
  truncated?: boolean;
  /** The limit the body was cut at, for the note. */
  maxBodyBytes?: number;
  maxLines?: number;
  maxLineChars?: number;
}

/**
 * The first lines of an app's response, ready to print under the event: JSON pretty-printed, an
 * HTML error page reduced to its text, terminal escapes removed (the body is untrusted and must not
 * repaint the user's terminal), secrets masked, and what was left out said in a closing note.
 */
export function formatAppBody(
  body: string,
  { contentType = '', truncated = false, maxBodyBytes = DEFAULT_MAX_BODY_BYTES, maxLines = 12, maxLineChars = 160 }: FormatAppBodyOptions = {},
): string[] {
  const text = redactSecrets(sanitize(readable(body, contentType)));
  const lines = text.split('\n').map((line) => line.trimEnd());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  while (lines.length > 0 && lines[0] === '') lines.shift();

  const shown = lines.slice(0, Math.max(1, maxLines)).map((line) => cutLine(line, maxLineChars));
  const hidden = lines.length - shown.length;
  const note = closingNote(hidden, truncated ? maxBodyBytes : undefined);
  return note === undefined ? shown : [...shown, note];
}

function readable(body: string, contentType: string): string {
  const json = prettyJson(body, contentType);
  if (json !== undefined) return json;
  // Express's res.send(string) labels plain text as HTML, so look for markup before stripping it.
  if (/^\s*<(!doctype html|html)/i.test(body) || (/html/i.test(contentType) && /<\/?[a-z][^>]*>/i.test(body))) return htmlToText(body);
  return body;
}

function prettyJson(body: string, contentType: string): string | undefined {
  const trimmed = body.trim();
  // Only try when it says JSON or looks like it: JSON.parse('404') would make any number "JSON".
  if (!/json/i.test(contentType) && !/^[[{]/.test(trimmed)) return undefined;
  try {
    return JSON.stringify(JSON.parse(trimmed), null, 2);
  } catch {
    return undefined;
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'", '#x27': "'", '#x2F': '/', '#47': '/' };

/** Express and most dev servers answer errors with a small HTML page; its text is what matters. */
function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)\b[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|pre|h\d|li|tr|title)>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#?\w+);/g, (entity, name: string) => ENTITIES[name] ?? entity)
    .replace(/\n{3,}/g, '\n\n');
}

function sanitize(text: string): string {
  // After the escape sequences, any other control character could still move the cursor or beep.
  // eslint-disable-next-line no-control-regex
  return stripVTControlCharacters(text.replace(/\r\n?/g, '\n').replace(/\t/g, '  ')).replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, '');
}

function cutLine(line: string, maxChars: number): string {
  const chars = Array.from(line);
  return chars.length <= maxChars ? line : `${chars.slice(0, Math.max(1, maxChars - 1)).join('')}…`;
}

function closingNote(hiddenLines: number, cutAtBytes: number | undefined): string | undefined {
  const parts: string[] = [];
  if (hiddenLines > 0) parts.push(`${hiddenLines} more line${hiddenLines === 1 ? '' : 's'}`);
  if (cutAtBytes !== undefined) parts.push(`cut at ${formatBytes(cutAtBytes)}`);
  return parts.length === 0 ? undefined : `… (${parts.join(', ')})`;
}

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
