import { randomBytes } from 'node:crypto';
import { WEBHOOK_HTTP_HEADERS } from '../emulator/webhook-message.js';
import { signPayload } from './sign-payload.js';

/**
 * A deliberately wrong delivery, for testing that an endpoint refuses what Stripe would never send:
 * a timestamp `seconds` old (signed correctly), a signature that does not match the body, no
 * signature at all, or a signature made with another secret.
 */
export type Tamper = { kind: 'stale'; seconds: number } | { kind: 'bad-signature' } | { kind: 'no-signature' } | { kind: 'wrong-secret' };

export interface DeliveryHeadersOptions {
  secret: string;
  tamper?: Tamper;
  /** Unix seconds. */
  now?: number;
  /** The other secret for `wrong-secret`; random by default. */
  otherSecret?: () => string;
}

/**
 * The headers Stripe sends with an event (lower-cased, as Node reads them), signed over `payload`
 * with `secret`, or tampered with as asked. Pure apart from the default clock and random secret.
 */
export function deliveryHeaders(payload: string | Uint8Array, { secret, tamper, now = Math.floor(Date.now() / 1000), otherSecret = randomSecret }: DeliveryHeadersOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(WEBHOOK_HTTP_HEADERS)) headers[name.toLowerCase()] = value;
  if (tamper?.kind === 'no-signature') return headers;
  const timestamp = tamper?.kind === 'stale' ? now - tamper.seconds : now;
  const signature = signPayload(payload, { secret: tamper?.kind === 'wrong-secret' ? otherSecret() : secret, timestamp });
  headers['stripe-signature'] = tamper?.kind === 'bad-signature' ? corrupt(signature) : signature;
  return headers;
}

/** The same header with every hex digit of the v1 signature changed: well-formed, and never valid. */
function corrupt(header: string): string {
  return header.replace(/v1=([0-9a-f]+)/, (_, hex: string) => `v1=${[...hex].map((digit) => ((parseInt(digit, 16) + 1) % 16).toString(16)).join('')}`);
}

/** A fresh `whsec_…` that nothing else knows. */
export function randomSecret(): string {
  return `whsec_${randomBytes(24).toString('base64url').replace(/[-_]/g, 'x')}`;
}

/** `stale 600 s`, `bad signature`, … for messages. */
export function describeTamper(tamper: Tamper): string {
  switch (tamper.kind) {
    case 'stale':
      return `a timestamp ${tamper.seconds} s old`;
    case 'bad-signature':
      return 'a signature that does not match the body';
    case 'no-signature':
      return 'no Stripe-Signature header';
    case 'wrong-secret':
      return 'a signature made with another secret';
  }
}
