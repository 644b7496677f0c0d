import { createHmac } from 'node:crypto';

export interface SignOptions {
  /** The whole `whsec_…` string: Stripe keys the HMAC with it as-is, prefix included. */
  secret: string;
  /** Unix seconds; defaults to now. */
  timestamp?: number;
}

/** Computes the `v1` signature Stripe puts in `Stripe-Signature` for a payload sent at `timestamp`. */
export function computeSignature(payload: string | Uint8Array, secret: string, timestamp: number): string {
  return computeSignatureBytes(payload, secret, timestamp).toString('hex');
}

/** The raw 32-byte HMAC, for comparing without hex-encoding on the per-event path. */
export function computeSignatureBytes(payload: string | Uint8Array, secret: string, timestamp: number): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`, 'utf8').update(payload).digest();
}

/** Builds a `Stripe-Signature` header value: `t=<unix>,v1=<hex>`. */
export function signPayload(payload: string | Uint8Array, { secret, timestamp }: SignOptions): string {
  const t = timestamp ?? Math.floor(Date.now() / 1000);
  return `t=${t},v1=${computeSignature(payload, secret, t)}`;
}
