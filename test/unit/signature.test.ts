import fc from 'fast-check';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { computeSignature, signPayload } from '../../src/signature/sign-payload.js';
import { parseSignatureHeader, verifySignature } from '../../src/signature/verify-signature.js';

const secret = 'whsec_test_0123456789abcdef';
const stripe = new Stripe('sk_test_unit_only');
const payload = JSON.stringify({ id: 'evt_1', object: 'event', type: 'customer.created' });
const now = 1_764_000_000;

function stripeAccepts(body: string, header: string, key: string, tolerance: number, at: number): boolean {
  try {
    // verifyHeader is the check inside constructEvent, without the JSON.parse that follows it.
    stripe.webhooks.signature!.verifyHeader(body, header, key, tolerance, undefined, at * 1000);
    return true;
  } catch {
    return false;
  }
}

describe('signPayload', () => {
  it('produces the header stripe-node generates for the same inputs', () => {
    const ours = signPayload(payload, { secret, timestamp: now });
    const theirs = stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp: now });
    expect(ours).toBe(theirs);
  });
});

describe('parseSignatureHeader', () => {
  it('reads t and every v1', () => expect(parseSignatureHeader('t=12,v1=aa,v0=bb,v1=cc')).toEqual({ timestamp: 12, signatures: ['aa', 'cc'] }));
  it('needs a timestamp', () => expect(parseSignatureHeader('v1=aa')).toBeNull());
  it('needs a v1 signature', () => expect(parseSignatureHeader('t=12,v0=aa')).toBeNull());
  it('rejects a non-numeric timestamp', () => expect(parseSignatureHeader('t=abc,v1=aa')).toBeNull());
});

describe('verifySignature', () => {
  const header = signPayload(payload, { secret, timestamp: now });

  it('accepts a fresh, correctly signed payload', () => {
    expect(verifySignature(payload, header, { secret, now })).toEqual({ ok: true, timestamp: now });
  });
  it('accepts raw bytes as a Buffer', () => {
    expect(verifySignature(Buffer.from(payload), header, { secret, now }).ok).toBe(true);
  });
  it('names a missing header', () => {
    expect(verifySignature(payload, undefined, { secret, now })).toMatchObject({ ok: false, reason: 'missing_header' });
  });
  it('names a malformed header', () => {
    expect(verifySignature(payload, 'nonsense', { secret, now })).toMatchObject({ ok: false, reason: 'malformed_header' });
  });
  it('names a body changed after signing (re-serialized JSON)', () => {
    const reserialized = JSON.stringify(JSON.parse(payload), null, 2);
    expect(verifySignature(reserialized, header, { secret, now })).toMatchObject({ ok: false, reason: 'signature_mismatch' });
  });
  it('names another secret', () => {
    expect(verifySignature(payload, header, { secret: 'whsec_other', now })).toMatchObject({ ok: false, reason: 'signature_mismatch' });
  });
  it('names a stale timestamp with its age and the tolerance', () => {
    const result = verifySignature(payload, header, { secret, now: now + 301 });
    expect(result).toMatchObject({ ok: false, reason: 'timestamp_outside_tolerance' });
    expect(!result.ok && result.message).toContain('301 s ago, tolerance is 300 s');
  });
  it('accepts any age when tolerance is 0', () => {
    expect(verifySignature(payload, header, { secret, now: now + 10_000, tolerance: 0 }).ok).toBe(true);
  });
  it('accepts one matching v1 among several (secret rotation)', () => {
    const rotated = `t=${now},v1=${'0'.repeat(64)},v1=${computeSignature(payload, secret, now)}`;
    expect(verifySignature(payload, rotated, { secret, now }).ok).toBe(true);
  });

  it("agrees with stripe-node's verifier on arbitrary payloads, clocks and tampering", () => {
    fc.assert(
      fc.property(
        // stripe-node refuses an empty payload outright; the receiver rejects it as not JSON anyway.
        fc.string({ minLength: 1, unit: 'binary' }),
        fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }),
        fc.integer({ min: -1000, max: 1000 }),
        fc.integer({ min: 0, max: 600 }),
        fc.constantFrom('none', 'body', 'secret', 'header', 'extra-v1'),
        (body, signedAt, skew, tolerance, tamper) => {
          const key = 'whsec_prop_secret';
          let header = signPayload(body, { secret: key, timestamp: signedAt });
          let received = body;
          if (tamper === 'body') received = `${body} `;
          if (tamper === 'header') header = header.replace('v1=', 'v2=');
          if (tamper === 'extra-v1') header = `${header},v1=deadbeef`;
          const verifyKey = tamper === 'secret' ? `${key}x` : key;
          const at = signedAt + skew;
          const ours = verifySignature(received, header, { secret: verifyKey, tolerance, now: at }).ok;
          expect(ours).toBe(stripeAccepts(received, header, verifyKey, tolerance, at));
        },
      ),
      { numRuns: 500 },
    );
  });
});
