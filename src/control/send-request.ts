import type { Tamper } from '../signature/delivery-headers.js';

/**
 * `POST /send` on the control interface (`webhook-dev send`, attached): a payload for the session
 * to sign with its own secret (or tamper with as asked) and deliver to its own receiver, so it
 * travels the same path as an event from Stripe. Answered with the resulting delivery.
 */
export interface SendRequest {
  /** The exact bytes to deliver, as text. */
  payload: string;
  tamper?: Tamper;
  /** What the session journals the delivery as (default `send`): a control client cannot make it look like the Stripe CLI's. */
  source?: SendSource;
}

/** Where a payload given to `POST /send` came from. */
export type SendSource = 'send' | 'replay';

/** A payload Stripe would send is at most a few hundred KB; the receiver refuses bodies over 5 MB. */
export const MAX_SEND_REQUEST_BYTES = 6 * 1024 * 1024;

/** The request body, checked; a string says what is wrong with it. Pure. */
export function parseSendRequest(text: string): SendRequest | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'The body must be JSON: {"payload": "<the event as a string>", "tamper": {"kind": …}}.';
  }
  if (typeof value !== 'object' || value === null) return 'The body must be a JSON object.';
  const { payload, tamper, source } = value as { payload?: unknown; tamper?: unknown; source?: unknown };
  if (typeof payload !== 'string' || payload === '') return '"payload" must be the event as a non-empty string.';
  if (source !== undefined && source !== 'send' && source !== 'replay') return '"source" must be "send" or "replay".';
  const from: { source?: SendSource } = source === undefined ? {} : { source };
  if (tamper === undefined || tamper === null) return { payload, ...from };
  const parsed = parseTamper(tamper);
  return typeof parsed === 'string' ? parsed : { payload, tamper: parsed, ...from };
}

function parseTamper(value: unknown): Tamper | string {
  const { kind, seconds } = (typeof value === 'object' && value !== null ? value : {}) as { kind?: unknown; seconds?: unknown };
  if (kind === 'bad-signature' || kind === 'no-signature' || kind === 'wrong-secret') return { kind };
  if (kind === 'stale') {
    return typeof seconds === 'number' && Number.isSafeInteger(seconds) && seconds >= 0 ? { kind, seconds } : '"tamper.seconds" must be a whole number of seconds.';
  }
  return '"tamper.kind" must be one of stale, bad-signature, no-signature, wrong-secret.';
}

/** The event id a payload carries, to find its delivery among the session's; undefined when it has none. */
export function payloadEventId(payload: string): string | undefined {
  try {
    const id = (JSON.parse(payload) as { id?: unknown } | null)?.id;
    return typeof id === 'string' ? id : undefined;
  } catch {
    return undefined;
  }
}
