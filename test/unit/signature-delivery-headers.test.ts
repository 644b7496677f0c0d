import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { deliveryHeaders, type Tamper } from '../../src/signature/delivery-headers.js';
import { verifySignature } from '../../src/signature/verify-signature.js';

const secret = 'whsec_test_0123456789abcdef';
const stripe = new Stripe('sk_test_unit_only');
const payload = JSON.stringify({ id: 'evt_1', object: 'event', type: 'customer.created' }, null, 2);
const now = 1_764_000_000;

/** What stripe-node's constructEvent says, with its default 300 s tolerance. */
function stripeNode(headers: Record<string, string>): 'accepted' | string {
  try {
    stripe.webhooks.signature!.verifyHeader(payload, headers['stripe-signature']!, secret, 300, undefined, now * 1000);
    return 'accepted';
  } catch (error) {
    return (error as Error).message;
  }
}

describe('deliveryHeaders', () => {
  it("carries Stripe's own headers, and a signature stripe-node and webhook-dev accept", () => {
    const headers = deliveryHeaders(payload, { secret, now });
    expect(headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)', 'cache-control': 'no-cache' });
    expect(headers['stripe-signature']).toMatch(new RegExp(`^t=${now},v1=[0-9a-f]{64}$`));
    expect(stripeNode(headers)).toBe('accepted');
    expect(verifySignature(payload, headers['stripe-signature'], { secret, now })).toMatchObject({ ok: true });
  });

  it.each<[Tamper, RegExp]>([
    [{ kind: 'stale', seconds: 600 }, /Timestamp outside the tolerance zone/],
    [{ kind: 'bad-signature' }, /No signatures found matching the expected signature/],
    [{ kind: 'no-signature' }, /No stripe-signature header value was provided|Unable to extract timestamp/],
    [{ kind: 'wrong-secret' }, /No signatures found matching the expected signature/],
  ])('%j is refused by stripe-node', (tamper, refusal) => {
    expect(stripeNode(deliveryHeaders(payload, { secret, now, tamper }))).toMatch(refusal);
  });

  it('a stale timestamp within the tolerance is still accepted, and is that old', () => {
    const headers = deliveryHeaders(payload, { secret, now, tamper: { kind: 'stale', seconds: 120 } });
    expect(headers['stripe-signature']).toMatch(new RegExp(`^t=${now - 120},`));
    expect(stripeNode(headers)).toBe('accepted');
  });

  it('--no-signature sends no Stripe-Signature header; --bad-signature keeps it well-formed', () => {
    expect(deliveryHeaders(payload, { secret, now, tamper: { kind: 'no-signature' } })).not.toHaveProperty('stripe-signature');
    expect(deliveryHeaders(payload, { secret, now, tamper: { kind: 'bad-signature' } })['stripe-signature']).toMatch(new RegExp(`^t=${now},v1=[0-9a-f]{64}$`));
  });

  it('--wrong-secret signs with the other secret it is given, never the real one', () => {
    const other = 'whsec_other_0123456789abcdef';
    const headers = deliveryHeaders(payload, { secret, now, tamper: { kind: 'wrong-secret' }, otherSecret: () => other });
    expect(verifySignature(payload, headers['stripe-signature'], { secret: other, now })).toMatchObject({ ok: true });
    expect(verifySignature(payload, headers['stripe-signature'], { secret, now })).toMatchObject({ ok: false, reason: 'signature_mismatch' });
  });
});
