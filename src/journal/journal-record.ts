import type { IncomingHttpHeaders } from 'node:http';
import { fromWireDelivery, type WireDelivery } from '../control/wire-delivery.js';
import { ORIGIN_HEADER } from '../receiver/delivery-origin.js';
import type { ReceivedRequest } from '../receiver/start-receiver.js';
import { deliveryOutcome, type DeliveryOutcome } from '../render/delivery-outcome.js';
import { containsSecret, redactSecrets } from '../secrets.js';
import type { DeliveryRecord, HandlerResult, StripeEventLike } from '../types.js';
import { toJsonSafe } from '../render/to-json-safe.js';

/**
 * Bumped only by a change an older `webhook-dev events` could misread; additions keep it. 2: a
 * delivery's body follows its head as raw bytes (format 1 escaped it into the JSON line).
 */
export const JOURNAL_VERSION = 2;

/**
 * Where a delivery came from: the Stripe CLI, the catch-up after a stalled one (`recovered`), the
 * session's delivery quirks (`duplicate`: a copy; `retry`: made again after a failure), or a payload
 * `webhook-dev send` or `replay` gave the session (marked by the session itself, see
 * src/receiver/delivery-origin.ts).
 */
export type DeliverySourceName = 'stripe-cli' | 'recovered' | 'duplicate' | 'retry' | 'send' | 'replay';

/**
 * A delivery as it was answered, as read back from its segment: the body exactly as received
 * (so a replay or `events show --raw` gives back what Stripe signed), and everything else as
 * `listen` showed it, secrets masked.
 */
export interface JournalDelivery {
  kind: 'delivery';
  /** The format it was written in. */
  v: number;
  /** The delivery's number in its session (from 1). */
  seq: number;
  session: string;
  source: DeliverySourceName;
  request: {
    headers: Record<string, string | string[]>;
    body: Buffer;
    /** The body held something that looks like a secret (whsec_, sk_…): masked, so not byte-exact. */
    redacted: boolean;
  };
  /** The rest of the DeliveryRecord (status, verification, handler, forward…), as the control stream carries it, minus the parsed event. */
  record: Omit<WireDelivery['record'], 'event'>;
}

/** How a delivery's head is written (format 2): the body follows it, `request.bytes` long. */
export interface JournalDeliveryHead extends Omit<JournalDelivery, 'request' | 'v'> {
  v: typeof JOURNAL_VERSION;
  request: { headers: Record<string, string | string[]>; bytes: number; redacted: boolean };
}

/** Format 1 (`.jsonl` segments): the body inside the line, as text or base64. */
interface JournalDeliveryLineV1 extends Omit<JournalDelivery, 'request'> {
  request: { headers: Record<string, string | string[]>; body: string; encoding: 'utf8' | 'base64'; redacted: boolean };
}

/** What a delivery's record gained after its answer went out (the app's output and the verdict on it). */
export interface JournalSettled {
  kind: 'settled';
  v: number;
  seq: number;
  session: string;
  record: Pick<WireDelivery['record'], 'handler' | 'forward'>;
}

export type JournalLine = JournalDelivery | JournalSettled;

/**
 * One line of a segment's index: enough to list and filter without reading bodies. Short keys:
 * a 100,000-delivery journal's index is read backwards in chunks by `events`.
 */
export interface JournalIndexEntry {
  /** seq; a settled line repeats its delivery's seq, with `k: 's'`. */
  i: number;
  k?: 's';
  /** Offset and length of the line in the segment. */
  o: number;
  l: number;
  /** receivedAt, ms since the epoch. */
  t: number;
  /** Event type and id (null: the body was not a Stripe event). */
  ty: string | null;
  e: string | null;
  verified: boolean;
  out: DeliveryOutcome;
  /** Receipt to answer, ms. */
  d: number;
  s: string;
  /** Where the delivery came from, when not from the Stripe CLI (absent in indexes written before it was added). */
  src?: Exclude<DeliverySourceName, 'stripe-cli'>;
}

// The origin header carries the session's own key: a journal reader must not be able to mark deliveries.
const MASKED_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', ORIGIN_HEADER]);

export interface JournalContext {
  seq: number;
  session: string;
  source: DeliverySourceName;
}

/**
 * A delivery as written (format 2): its head on one JSON line, with every secret-looking token
 * masked, then the body's `request.bytes` bytes exactly as received, then a newline. The body is
 * not escaped into the JSON: that, and turning it into a string first, cost more than the write
 * itself on the per-delivery path (see docs/journal.md, "Format").
 */
export function journalDeliveryBytes(record: DeliveryRecord, request: ReceivedRequest, { seq, session, source }: JournalContext): Buffer[] {
  const { body, redacted } = redactBody(request.raw, request.text);
  const head: JournalDeliveryHead = {
    kind: 'delivery',
    v: JOURNAL_VERSION,
    seq,
    session,
    source: sourceOf(record, source),
    request: { headers: maskHeaders(request.headers), bytes: body.length, redacted },
    record: journalRecordOf(record),
  };
  return [Buffer.from(`${redactSecrets(JSON.stringify(head))}\n`), body, NEWLINE];
}

const NEWLINE = Buffer.from('\n');

/**
 * What toWireDelivery makes of a record, minus the event (the body holds it), built field by field:
 * copying the record with spreads costs several µs per delivery. Every field of DeliveryRecord
 * must be named here (the `satisfies` says which one is missing).
 */
function journalRecordOf(record: DeliveryRecord): JournalDelivery['record'] {
  const { handler } = record;
  const fields = {
    receivedAt: record.receivedAt.toISOString(),
    status: record.status,
    verified: record.verified,
    rejection: record.rejection,
    attempt: record.attempt,
    handler: handler && ({ outcome: handler.outcome.status === 'ok' ? { status: 'ok' as const, value: toJsonSafe(handler.outcome.value) } : handler.outcome, durationMs: handler.durationMs, logs: handler.logs } satisfies { [K in keyof HandlerResult]: unknown }),
    forward: record.forward,
    durationMs: record.durationMs,
    recovered: record.recovered,
    origin: record.origin,
    quirks: record.quirks,
  } satisfies { [K in keyof Required<Omit<DeliveryRecord, 'event'>>]: unknown };
  // JSON.stringify leaves out the fields that are undefined, as the spreads did.
  return fields as JournalDelivery['record'];
}

function sourceOf(record: DeliveryRecord, source: DeliverySourceName): DeliverySourceName {
  return record.recovered === true ? 'recovered' : record.quirks?.duplicate ? 'duplicate' : record.quirks?.retry ? 'retry' : (record.origin ?? source);
}

export function toJournalSettled(record: DeliveryRecord, { seq, session }: Omit<JournalContext, 'source'>): JournalSettled {
  const { handler, forward } = journalRecordOf(record);
  return { kind: 'settled', v: JOURNAL_VERSION, seq, session, record: { ...(handler ? { handler } : {}), ...(forward ? { forward } : {}) } };
}

/** A settled line: one JSON line, anything secret-looking masked (a handler may log its env). */
export function serializeSettledLine(line: JournalSettled): string {
  return `${redactSecrets(JSON.stringify(line))}\n`;
}

/**
 * One whole record, from its first byte to its closing newline, or undefined for a torn or foreign
 * one (see readRecordAt).
 */
export function parseJournalRecord(bytes: Buffer): JournalLine | undefined {
  const read = readRecordAt(bytes, 0);
  return typeof read === 'object' && read.end === bytes.length ? read.record : undefined;
}

/**
 * The record that starts at `start`, and where it ends (past its newline). Reads both formats: a
 * format-2 delivery (head line, raw body, newline), and the single JSON lines of format 1 and of
 * every settled line. `record` is undefined when the bytes it spans are not a whole record;
 * `incomplete` when the buffer ends first (a torn last record, or one still being written);
 * undefined when its first line is no record head (torn, or foreign: skip that line).
 */
export function readRecordAt(buffer: Buffer, start: number): { end: number; record: JournalLine | undefined } | 'incomplete' | undefined {
  const headEnd = buffer.indexOf(10, start);
  if (headEnd === -1) return 'incomplete';
  const head = parseJsonObject(buffer.subarray(start, headEnd));
  if (head === undefined) return undefined;
  const request = head.request as Partial<JournalDeliveryHead['request'] & JournalDeliveryLineV1['request']> | undefined;
  if (head.kind !== 'delivery' || typeof request?.bytes !== 'number') return { end: headEnd + 1, record: toJournalLine(head) };
  const end = headEnd + 1 + request.bytes + 1;
  if (end > buffer.length) return 'incomplete';
  return { end, record: buffer[end - 1] === 10 ? toJournalLine(head, buffer.subarray(headEnd + 1, end - 1)) : undefined };
}

/** A parsed head as the record it starts: with its format-2 body, or as a whole format-1 or settled line. */
function toJournalLine(head: Record<string, unknown>, body?: Buffer): JournalLine | undefined {
  if (typeof head.seq !== 'number' || typeof head.session !== 'string') return undefined;
  if (head.kind === 'settled') return head as unknown as JournalSettled;
  if (head.kind !== 'delivery' || typeof head.record !== 'object' || head.record === null) return undefined;
  if (body !== undefined) {
    const { bytes: _length, ...rest } = head.request as JournalDeliveryHead['request'];
    return { ...(head as unknown as JournalDeliveryHead), request: { ...rest, body } };
  }
  const request = head.request as Partial<JournalDeliveryLineV1['request']> | undefined;
  if (typeof request?.body !== 'string') return undefined;
  const { body: text, encoding, ...rest } = request as JournalDeliveryLineV1['request'];
  return { ...(head as unknown as JournalDeliveryLineV1), request: { ...rest, body: Buffer.from(text, encoding === 'base64' ? 'base64' : 'utf8') } };
}

function parseJsonObject(bytes: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function toIndexEntry(record: DeliveryRecord, context: Omit<JournalContext, 'source'> & { source?: DeliverySourceName }, offset: number, length: number, settled = false): JournalIndexEntry {
  const source = context.source === undefined || settled ? 'stripe-cli' : sourceOf(record, context.source);
  return {
    i: context.seq,
    ...(settled ? { k: 's' as const } : {}),
    o: offset,
    l: length,
    t: record.receivedAt.getTime(),
    ty: typeof record.event?.type === 'string' ? record.event.type : null,
    e: typeof record.event?.id === 'string' ? record.event.id : null,
    verified: record.verified,
    out: deliveryOutcome(record),
    d: Math.round(record.durationMs * 100) / 100,
    s: context.session,
    ...(source === 'stripe-cli' ? {} : { src: source }),
  };
}

/** The exact bytes, back from a journal record. */
export function journalBody(line: JournalDelivery): Buffer {
  return line.request.body;
}

/** The DeliveryRecord `listen` showed, from a delivery line and its settled line if any. */
export function fromJournalDelivery(line: JournalDelivery, settled?: JournalSettled): DeliveryRecord {
  const record = fromWireDelivery({ type: 'delivery', record: { ...line.record, ...(settled?.record ?? {}) } });
  const event = parseEvent(journalBody(line));
  return { ...record, ...(event ? { event } : {}) };
}

function parseEvent(raw: Buffer): StripeEventLike | undefined {
  try {
    const value: unknown = JSON.parse(raw.toString('utf8'));
    return value !== null && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string' ? (value as StripeEventLike) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The body's bytes, unless something in them looks like a secret (a hand-sent body could hold
 * one): then masked, and said so. Three searches rule that out for nearly every body: in the text
 * the receiver decoded when it has it (the secrets' ASCII reads the same in it), else in the bytes
 * without making a string of them. Masking works on latin1, which keeps any other byte as it was.
 */
function redactBody(raw: Buffer, text?: string): { body: Buffer; redacted: boolean } {
  const searched = text ?? raw;
  if (!searched.includes('whsec_') && !searched.includes('k_test_') && !searched.includes('k_live_')) return { body: raw, redacted: false };
  const latin1 = raw.toString('latin1');
  if (!containsSecret(latin1)) return { body: raw, redacted: false };
  // Every byte is one latin1 character; the masks' "…" is the only character past U+00FF, written as UTF-8.
  const parts = redactSecrets(latin1).split('…');
  const ellipsis = Buffer.from('…');
  return { body: Buffer.concat(parts.flatMap((part, i) => (i === 0 ? [Buffer.from(part, 'latin1')] : [ellipsis, Buffer.from(part, 'latin1')]))), redacted: true };
}

function maskHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const masked: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    masked[name] = MASKED_HEADERS.has(name) ? '[masked]' : value;
  }
  return masked;
}
