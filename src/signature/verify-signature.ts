import { timingSafeEqual } from 'node:crypto';
import { computeSignatureBytes } from './sign-payload.js';

const HEX_SHA256 = /^[0-9a-f]{64}$/;

export const DEFAULT_TOLERANCE_SECONDS = 300;

export type RejectionReason =
  | 'missing_header'
  | 'malformed_header'
  | 'signature_mismatch'
  | 'timestamp_outside_tolerance';

export type VerifyResult =
  | { ok: true; timestamp: number }
  | { ok: false; reason: RejectionReason; message: string; timestamp?: number };

export interface VerifyOptions {
  secret: string;
  /** Seconds; 0 disables the age check, as in Stripe's libraries. */
  tolerance?: number;
  /** Unix seconds; injectable so tests need no fake timers. */
  now?: number;
}

export interface ParsedSignatureHeader {
  timestamp: number;
  signatures: string[];
}

/**
 * Parses `t=…,v1=…[,v1=…][,v0=…]`. Returns null when there is no usable timestamp or no v1
 * signature: the two ways Stripe's own libraries call a header malformed.
 */
export function parseSignatureHeader(header: string): ParsedSignatureHeader | null {
  let timestamp = Number.NaN;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') timestamp = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    else if (key === 'v1') signatures.push(value);
  }
  if (!Number.isFinite(timestamp) || signatures.length === 0) return null;
  return { timestamp, signatures };
}

/**
 * Verifies a delivery the way stripe-node's `constructEvent` does (same acceptance, tested to
 * agree), but says *why* a delivery failed in a form the reporter can show. It works on the raw
 * bytes: a body that was parsed and re-serialized is exactly what it must reject.
 */
export function verifySignature(
  payload: string | Buffer,
  header: string | string[] | undefined,
  { secret, tolerance = DEFAULT_TOLERANCE_SECONDS, now = Math.floor(Date.now() / 1000) }: VerifyOptions,
): VerifyResult {
  if (header === undefined || header === '' || (Array.isArray(header) && header.length === 0)) {
    return { ok: false, reason: 'missing_header', message: 'No Stripe-Signature header: this request did not come from Stripe or the Stripe CLI.' };
  }
  if (Array.isArray(header)) {
    return { ok: false, reason: 'malformed_header', message: 'More than one Stripe-Signature header was sent.' };
  }
  const parsed = parseSignatureHeader(header);
  if (parsed === null) {
    return {
      ok: false,
      reason: 'malformed_header',
      message: 'The Stripe-Signature header is malformed: expected "t=<unix time>,v1=<hex signature>".',
    };
  }
  const expected = computeSignatureBytes(payload, secret, parsed.timestamp);
  const matches = parsed.signatures.some((candidate) => {
    // 64 hex characters or it cannot match; Buffer.from(hex) would silently drop bad digits.
    if (!HEX_SHA256.test(candidate)) return false;
    return timingSafeEqual(Buffer.from(candidate, 'hex'), expected);
  });
  if (!matches) {
    return {
      ok: false,
      reason: 'signature_mismatch',
      timestamp: parsed.timestamp,
      message: 'Signature mismatch: the body was changed after signing, or it was signed with another secret.',
    };
  }
  const age = now - parsed.timestamp;
  if (tolerance > 0 && age > tolerance) {
    return {
      ok: false,
      reason: 'timestamp_outside_tolerance',
      timestamp: parsed.timestamp,
      message: `Timestamp outside the tolerance: signed ${age} s ago, tolerance is ${tolerance} s (a replayed delivery, or a clock that is off).`,
    };
  }
  return { ok: true, timestamp: parsed.timestamp };
}
