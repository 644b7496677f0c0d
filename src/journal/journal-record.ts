import { isUtf8 } from 'node:buffer';
import type { IncomingHttpHeaders } from 'node:http';
import { fromWireDelivery, toWireDelivery, type WireDelivery } from '../control/wire-delivery.js';
import { ORIGIN_HEADER } from '../receiver/delivery-origin.js';
import { deliveryOutcome, type DeliveryOutcome } from '../render/delivery-outcome.js';
import { containsSecret, redactSecrets } from '../secrets.js';
import type { DeliveryRecord, StripeEventLike } from '../types.js';

/** Bumped only by a change an older `webhook-dev events` could misread; additions keep it. */
export const JOURNAL_VERSION = 1;

/**
 * Where a delivery came from: the Stripe CLI, the catch-up after a stalled one (`recovered`), the
 * session's delivery quirks (`duplicate`: a copy; `retry`: made again after a failure), or a payload
 * `webhook-dev send` or `replay` gave the session (marked by the session itself, see
 * src/receiver/delivery-origin.ts).
 */
export type DeliverySourceName = 'stripe-cli' | 'recovered' | 'duplicate' | 'retry' | 'send' | 'replay';

/**
 * One line of a segment file: a delivery as it was answered. `request.body` holds the bytes
 * exactly as received (text when they are UTF-8, else base64), so a replay or `events show --raw`
 * gives back what Stripe signed. Everything else is what `listen` showed, secrets masked.
 */
export interface JournalDelivery {
  kind: 'delivery';
  v: typeof JOURNAL_VERSION;
  /** The delivery's number in its session (from 1). */
  seq: number;
  session: string;
  source: DeliverySourceName;
  request: {
    headers: Record<string, string | string[]>;
    body: string;
    encoding: 'utf8' | 'base64';
    /** The body held something that looks like a secret (whsec_, sk_…): masked, so not byte-exact. */
    redacted: boolean;
  };
  /** The rest of the DeliveryRecord (status, verification, handler, forward…), as the control stream carries it, minus the parsed event. */
  record: Omit<WireDelivery['record'], 'event'>;
}

/** What a delivery's record gained after its answer went out (the app's output and the verdict on it). */
export interface JournalSettled {
  kind: 'settled';
  v: typeof JOURNAL_VERSION;
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
}

// The origin header carries the session's own key: a journal reader must not be able to mark deliveries.
const MASKED_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', ORIGIN_HEADER]);

export interface JournalContext {
  seq: number;
  session: string;
  source: DeliverySourceName;
}

export function toJournalDelivery(record: DeliveryRecord, request: { raw: Buffer; headers: IncomingHttpHeaders }, { seq, session, source }: JournalContext): JournalDelivery {
  // The event is left out before the conversion, not after: copying the record without it once is
  // the cheaper of the two on the per-delivery path (the body already holds the event).
  const { event: _event, ...withoutEvent } = record;
  const rest = toWireDelivery(withoutEvent).record;
  return {
    kind: 'delivery',
    v: JOURNAL_VERSION,
    seq,
    session,
    source: record.recovered === true ? 'recovered' : record.quirks?.duplicate ? 'duplicate' : record.quirks?.retry ? 'retry' : (record.origin ?? source),
    request: { headers: maskHeaders(request.headers), ...encodeBody(request.raw) },
    record: rest,
  };
}

export function toJournalSettled(record: DeliveryRecord, { seq, session }: Omit<JournalContext, 'source'>): JournalSettled {
  const { handler, forward } = toWireDelivery(record).record;
  return { kind: 'settled', v: JOURNAL_VERSION, seq, session, record: { ...(handler ? { handler } : {}), ...(forward ? { forward } : {}) } };
}

/**
 * The line as written: the body verbatim, and everything else (handler logs and values, the app's
 * answer, headers) with anything secret-looking masked. A handler may log its env.
 */
export function serializeJournalLine(line: JournalLine): string {
  if (line.kind === 'settled') return `${redactSecrets(JSON.stringify(line))}\n`;
  const { request, ...rest } = line;
  const { body, ...requestRest } = request;
  const head = redactSecrets(JSON.stringify({ ...rest, request: requestRest }));
  // The body goes last, outside the masking: it was checked on its own (encodeBody).
  return `${head.slice(0, -2)},"body":${JSON.stringify(body)}}}\n`;
}

export function toIndexEntry(record: DeliveryRecord, { seq, session }: Omit<JournalContext, 'source'>, offset: number, length: number, settled = false): JournalIndexEntry {
  return {
    i: seq,
    ...(settled ? { k: 's' as const } : {}),
    o: offset,
    l: length,
    t: record.receivedAt.getTime(),
    ty: typeof record.event?.type === 'string' ? record.event.type : null,
    e: typeof record.event?.id === 'string' ? record.event.id : null,
    verified: record.verified,
    out: deliveryOutcome(record),
    d: Math.round(record.durationMs * 100) / 100,
    s: session,
  };
}

/** The exact bytes, back from a journal line. */
export function journalBody(line: JournalDelivery): Buffer {
  return Buffer.from(line.request.body, line.request.encoding === 'base64' ? 'base64' : 'utf8');
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

function maskHeaders(headers: IncomingHttpHeaders): Record<string, string | string[]> {
  const masked: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    masked[name] = MASKED_HEADERS.has(name) ? '[masked]' : value;
  }
  return masked;
}

/**
 * Stripe's payloads carry no secrets, but a hand-sent body could: then secrets win over byte
 * exactness, and the line says so. The check is a regex test, cheap next to the write.
 */
function encodeBody(raw: Buffer): Pick<JournalDelivery['request'], 'body' | 'encoding' | 'redacted'> {
  if (isUtf8(raw)) {
    const text = raw.toString('utf8');
    if (!containsSecret(text)) return { body: text, encoding: 'utf8', redacted: false };
    return { body: redactSecrets(text), encoding: 'utf8', redacted: true };
  }
  const latin1 = raw.toString('latin1');
  if (!containsSecret(latin1)) return { body: raw.toString('base64'), encoding: 'base64', redacted: false };
  return { body: Buffer.from(redactSecrets(latin1), 'latin1').toString('base64'), encoding: 'base64', redacted: true };
}
