import { describeDeliveryQuirks } from './format-quirk-summary.js';
import { redactSecrets } from '../secrets.js';
import { formatAppBody } from './format-app-body.js';
import type { DeliveryRecord, ForwardResult, HandlerResult, LogLevel, LogLine, SerializedError, StripeEventLike } from '../types.js';
import type { Colors } from './color.js';
import { displayPath } from './display-path.js';
import { formatDuration } from './format-duration.js';
import { stackFrames } from './stack-frames.js';
import { summarizeEvent } from './summarize-event.js';
import { summarizeValue } from './summarize-value.js';

export interface FormatDeliveryOptions {
  colors: Colors;
  /** Error locations are shown relative to it. */
  cwd?: string;
  /** IANA zone for the timestamp; the machine's local zone when absent. Tests pin it. */
  timeZone?: string;
}

/** Everything under the header starts under the event type, so the times form a clean column. */
const INDENT = ' '.repeat(10);
const DETAIL_INDENT = `${INDENT}  `;
/** How many frames to show when the runner found no frame in the user's code. */
const FALLBACK_FRAMES = 3;

/**
 * One block per delivery: a header (time, type, id, tags), the object's telling fields, the result,
 * and the handler's log lines. The symbols are Unicode (✓ ✗ ⏱ – •): every terminal Node supports
 * today renders them, and ASCII fallbacks would make the common case worse for a rare one.
 */
export function formatDelivery(record: DeliveryRecord, { colors, cwd = process.cwd(), timeZone }: FormatDeliveryOptions): string[] {
  const lines = [header(record, colors, timeZone)];
  if (record.rejection !== undefined || !record.verified) {
    const message = record.rejection?.message ?? 'signature not verified';
    lines.push(`${INDENT}${colors.red('✗ rejected')} ${colors.red(String(record.status))}  ${redactSecrets(message)}`);
    return lines;
  }
  const objectLine = describeObject(record.event, colors);
  if (objectLine !== undefined) lines.push(`${INDENT}${objectLine}`);
  if (record.handler === undefined && record.forward === undefined) {
    lines.push(`${INDENT}${colors.green('✓ verified')} ${colors.green(String(record.status))}  ${colors.dim('inspect mode: no handler')}`);
    return lines;
  }
  if (record.handler !== undefined) {
    lines.push(...describeResult(record, record.handler, colors, cwd));
    lines.push(...record.handler.logs.flatMap((log) => describeLog(log, colors)));
  }
  if (record.forward !== undefined) lines.push(...describeForward(record.forward, colors));
  return lines;
}

/** `→ app 200  12 ms  http://localhost:3000/hook`, the first lines of its answer, and a diagnosis. */
function describeForward(forward: ForwardResult, colors: Colors): string[] {
  const took = formatDuration(forward.durationMs);
  const outcome = forward.outcome;
  const lines: string[] = [];
  if (outcome.status === 'response') {
    const code = outcome.statusCode;
    const refused = forward.refusal !== undefined;
    const paint = refused ? colors.red : code < 300 ? colors.green : code < 400 ? colors.yellow : colors.red;
    const location = outcome.headers.location ? `  ${colors.dim('→ Location:')} ${outcome.headers.location}` : '';
    lines.push(`${INDENT}${paint(`${code < 300 && !refused ? '✓' : '✗'} app ${code}`)} ${took}  ${colors.dim(forward.url)}${location}`);
    const body = formatAppBody(outcome.body, { contentType: outcome.headers['content-type'] ?? '', truncated: outcome.bodyTruncated, maxLines: code < 300 ? 3 : 12 });
    lines.push(...body.map((line) => `${DETAIL_INDENT}${colors.dim('│')} ${line}`));
    if (forward.refusal !== undefined) {
      const by = forward.refusal.source === 'body' ? 'its answer says' : 'the app said';
      lines.push(`${DETAIL_INDENT}${colors.red(`a 2xx, yet ${by}:`)} ${redactSecrets(forward.refusal.quote)}`);
    }
  } else {
    lines.push(`${INDENT}${colors.red(`✗ app unreachable`)} ${took}  ${colors.dim(forward.url)}  ${colors.red(redactSecrets(outcome.message))}`);
  }
  const diagnosis = forward.diagnosis;
  if (diagnosis !== undefined) {
    // The full hints once per cause in a session; after that a pointer back to them.
    const reference = diagnosis.repeatOf === undefined ? '' : colors.dim(` (same as ${diagnosis.repeatOf} above)`);
    lines.push(`${DETAIL_INDENT}${colors.yellow('likely cause:')} ${redactSecrets(diagnosis.summary)}${reference}`);
    if (diagnosis.repeatOf === undefined) lines.push(...diagnosis.hints.map((hint) => `${DETAIL_INDENT}  ${colors.dim('•')} ${redactSecrets(hint)}`));
  }
  return lines;
}

function header(record: DeliveryRecord, colors: Colors, timeZone: string | undefined): string {
  const time = colors.dim(formatClock(record.receivedAt, timeZone));
  const event = record.event;
  if (event === undefined) return `${time}  ${colors.dim('(body is not a Stripe event)')}`;
  const type = typeof event.type === 'string' && event.type !== '' ? event.type : '(no type)';
  const parts = [time, colors.bold(type), colors.dim(typeof event.id === 'string' ? event.id : '(no id)')];
  if (typeof event.account === 'string') parts.push(colors.magenta(`connect ${event.account}`));
  if (event.livemode === true) parts.push(colors.red('live'));
  if (record.attempt > 1) parts.push(colors.yellow(`attempt ${record.attempt}`));
  // Made or shaped by the delivery quirks (--duplicate, --retry, --delay, --shuffle): say which.
  if (record.quirks !== undefined) parts.push(...describeDeliveryQuirks(record.quirks).map((tag) => colors.yellow(tag)));
  // Not from the Stripe CLI: webhook-dev found it in the Events API after the CLI stalled.
  if (record.recovered === true) parts.push(colors.cyan('recovered'));
  if (record.origin !== undefined) parts.push(colors.cyan(record.origin === 'replay' ? 'replayed' : 'sent'));
  return parts.join('  ');
}

/** HH:MM:SS, 24-hour; a delivery's date is today's in a dev session, so it is left out. */
const clockFormats = new Map<string, Intl.DateTimeFormat>();

export function formatClock(date: Date, timeZone?: string): string {
  if (Number.isNaN(date.getTime())) return '--:--:--';
  // Local time needs no Intl: its first DateTimeFormat costs ~10 ms (ICU data), more than the
  // rest of a delivery's handling, and it would come right when the first event arrives.
  if (timeZone === undefined) return `${twoDigits(date.getHours())}:${twoDigits(date.getMinutes())}:${twoDigits(date.getSeconds())}`;
  let format = clockFormats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZone });
    clockFormats.set(timeZone, format);
  }
  return format.format(date);
}

function twoDigits(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function describeObject(event: StripeEventLike | undefined, colors: Colors): string | undefined {
  const summary = summarizeEvent(event);
  const parts = summary.fields.map((field) => `${colors.dim(field.label)} ${field.value}`);
  if (summary.objectId !== undefined) parts.unshift(summary.objectId);
  return parts.length === 0 ? undefined : parts.join('  ');
}

function describeResult(record: DeliveryRecord, handler: HandlerResult, colors: Colors, cwd: string): string[] {
  const took = formatDuration(handler.durationMs);
  const outcome = handler.outcome;
  switch (outcome.status) {
    case 'ok': {
      const value = summarizeValue(outcome.value);
      return [`${INDENT}${colors.green('✓')} ${took}${value === undefined ? '' : `  ${colors.dim('→')} ${value}`}`];
    }
    case 'error':
      return describeError(outcome.error, took, colors, cwd);
    case 'timeout':
      return [`${INDENT}${colors.yellow('⏱ timed out')} after ${outcome.timeoutMs} ms  ${colors.dim(`answered ${record.status}`)}`];
    case 'unhandled':
      return [`${INDENT}${colors.dim(`– no handler for this event type: acknowledged ${record.status}`)}`];
  }
}

function describeError(error: SerializedError, took: string, colors: Colors, cwd: string): string[] {
  const name = error.code === undefined ? error.name : `${error.name} [${error.code}]`;
  const [first = '', ...rest] = redactSecrets(error.message).split('\n');
  const lines = [`${INDENT}${colors.red('✗')} ${took}  ${colors.red(`${name}: ${first}`)}`];
  lines.push(...rest.map((line) => `${DETAIL_INDENT}${colors.red(line)}`));
  if (error.location !== undefined) {
    lines.push(`${DETAIL_INDENT}${colors.dim('at')} ${colors.cyan(displayPath(error.location, cwd))}`);
    if (error.sourceLine !== undefined) lines.push(`${DETAIL_INDENT}${colors.dim('│')} ${redactSecrets(error.sourceLine)}`);
  } else {
    lines.push(...stackFrames(error.stack, FALLBACK_FRAMES).map((frame) => `${DETAIL_INDENT}${colors.dim(redactSecrets(frame))}`));
  }
  return lines;
}

const LEVEL_COLORS: Record<LogLevel, keyof Pick<Colors, 'dim' | 'blue' | 'yellow' | 'red'>> = {
  debug: 'dim',
  info: 'blue',
  warn: 'yellow',
  error: 'red',
};

/** Direct stream writes are labelled by stream; `ctx.log` and `console.*` lines by level. */
const STREAM_LABELS: Partial<Record<NonNullable<LogLine['source']>, string>> = { stdout: 'out', stderr: 'err' };

function describeLog(log: LogLine, colors: Colors): string[] {
  const text = (log.source && STREAM_LABELS[log.source]) ?? String(log.level);
  const label = colors[LEVEL_COLORS[log.level] ?? 'dim'](text.padEnd(5));
  const [first = '', ...rest] = redactSecrets(String(log.message)).split('\n');
  // Continuation lines of a multi-line message line up under its first character.
  const continuation = `${DETAIL_INDENT}${' '.repeat(6)}`;
  return [`${DETAIL_INDENT}${label} ${first}`, ...rest.map((line) => `${continuation}${line}`)];
}
