import { timingSafeEqual } from 'node:crypto';
import { computeSignatureBytes } from './sign-payload.js';

const HEX_SHA256 = /^[0-9a-f]{64}$/;

export const DEFAULT_TOLERANCE_SECONDS = 300;

export type RejectionReason =
  | 'missing_header'
  | 'malformed_header'
  | 'empty_payload'
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
 * Parses `t=…,v1=…[,v1=…][,v0=…]` exactly as stripe-node does (test/unit/signature-stripe-node.test.ts
 * holds the two to it): items split on `,` and untrimmed (`, v1=` is not a v1, which is also what
 * refuses two header lines Node joined with ", "), the value ends at the next `=`, and the
 * timestamp is parseInt's (`t=123abc` is 123). Returns null when there is no usable timestamp or
 * no v1 signature. One deliberate difference, see docs/signature-verification.md: a timestamp
 * parseInt cannot make a finite number of (`t=abc`) is refused, where stripe-node would verify a
 * signature over "NaN.<payload>" and skip the age check.
 */
export function parseSignatureHeader(header: string): ParsedSignatureHeader | null {
  let timestamp = -1;
  const signatures: string[] = [];
  for (const item of header.split(',')) {
    const eq = item.indexOf('=');
    if (eq === -1) continue;
    const key = item.slice(0, eq);
    if (key !== 't' && key !== 'v1') continue;
    const end = item.indexOf('=', eq + 1);
    const value = end === -1 ? item.slice(eq + 1) : item.slice(eq + 1, end);
    if (key === 't') timestamp = Number.parseInt(value, 10);
    else signatures.push(value);
  }
  if (timestamp === -1 || !Number.isFinite(timestamp) || signatures.length === 0) return null;
  return { timestamp, signatures };
}

const MISSING_HEADER = 'No Stripe-Signature header: this request did not come from Stripe or the Stripe CLI.';
const MALFORMED_HEADER = 'The Stripe-Signature header is malformed: expected "t=<unix time>,v1=<hex signature>".';
const textDecoder = new TextDecoder('utf-8');

/**
 * Verifies a delivery the way stripe-node's `constructEvent` does (same acceptance, tested to
 * agree case by case), but says *why* a delivery failed in a form the reporter can show. It works
 * on the raw bytes: a body that was parsed and re-serialized is exactly what it must reject.
 * Never throws, whatever a JavaScript caller passes.
 */
export function verifySignature(
  payload: string | Uint8Array,
  header: string | string[] | Uint8Array | undefined | null,
  { secret, tolerance = DEFAULT_TOLERANCE_SECONDS, now = Math.floor(Date.now() / 1000) }: VerifyOptions,
): VerifyResult {
  if (header === undefined || header === null || header === '' || (Array.isArray(header) && header.length === 0)) {
    return { ok: false, reason: 'missing_header', message: MISSING_HEADER };
  }
  if (Array.isArray(header)) {
    return { ok: false, reason: 'malformed_header', message: 'More than one Stripe-Signature header was sent.' };
  }
  const text = typeof header === 'string' ? header : header instanceof Uint8Array ? textDecoder.decode(header) : undefined;
  const parsed = text === undefined || text === '' ? null : parseSignatureHeader(text);
  if (parsed === null) {
    return text === '' ? { ok: false, reason: 'missing_header', message: MISSING_HEADER } : { ok: false, reason: 'malformed_header', message: MALFORMED_HEADER };
  }
  if (typeof payload !== 'string' && !(payload instanceof Uint8Array)) {
    return {
      ok: false,
      reason: 'signature_mismatch',
      timestamp: parsed.timestamp,
      message: 'The payload must be the raw request body (a string or a Buffer), not a parsed object: a signature cannot be checked without the exact bytes that were signed.',
    };
  }
  if (payload.length === 0) {
    return { ok: false, reason: 'empty_payload', timestamp: parsed.timestamp, message: 'The body is empty: Stripe never signs an empty delivery.' };
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
      message:
        'Signature mismatch: the body was changed after signing, or it was signed with another secret.' +
        (/\s/.test(secret) ? ' The signing secret contains whitespace: often a stray newline or space in the value.' : ''),
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
