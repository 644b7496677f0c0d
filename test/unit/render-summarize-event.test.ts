import { describe, expect, it } from 'vitest';
import { summarizeEvent } from '../../src/render/summarize-event.js';

function eventWith(object: unknown, previous?: Record<string, unknown>): unknown {
  return { id: 'evt_1', object: 'event', type: 'x.y', created: 1, livemode: false, data: { object, ...(previous ? { previous_attributes: previous } : {}) } };
}

/** The fields as `label value` strings: compact to assert on, and order matters for the eye. */
function fieldsOf(object: unknown, previous?: Record<string, unknown>): string[] {
  return summarizeEvent(eventWith(object, previous)).fields.map((field) => `${field.label} ${field.value}`);
}

describe('summarizeEvent', () => {
  it('payment_intent: amount, status, customer, and the failure message', () => {
    const summary = summarizeEvent(
      eventWith({ id: 'pi_1', object: 'payment_intent', amount: 2000, currency: 'usd', status: 'requires_payment_method', customer: 'cus_1', last_payment_error: { message: 'Your card was declined.' } }),
    );
    expect(summary.objectId).toBe('pi_1');
    expect(summary.objectType).toBe('payment_intent');
    expect(summary.fields.map((f) => `${f.label} ${f.value}`)).toEqual([
      'amount $20.00',
      'status requires_payment_method',
      'customer cus_1',
      'error Your card was declined.',
    ]);
  });

  it('charge: refunded amount only when positive, failure message, expanded customer', () => {
    expect(
      fieldsOf({ id: 'ch_1', object: 'charge', amount: 1250, currency: 'eur', status: 'succeeded', payment_intent: 'pi_1', customer: { id: 'cus_9', object: 'customer' }, amount_refunded: 250 }),
    ).toEqual(['amount €12.50', 'status succeeded', 'payment_intent pi_1', 'customer cus_9', 'refunded €2.50']);
    expect(fieldsOf({ object: 'charge', amount: 500, currency: 'usd', paid: false, amount_refunded: 0, failure_message: 'Insufficient funds' })).toEqual([
      'amount $5.00',
      'paid no',
      'failure Insufficient funds',
    ]);
  });

  it('dispute: amount, reason, status, charge', () => {
    expect(fieldsOf({ object: 'dispute', amount: 3000, currency: 'usd', reason: 'fraudulent', status: 'needs_response', charge: 'ch_1' })).toEqual([
      'amount $30.00',
      'reason fraudulent',
      'status needs_response',
      'charge ch_1',
    ]);
  });

  it('customer: email and name', () => {
    expect(fieldsOf({ id: 'cus_1', object: 'customer', email: 'jenny@example.com', name: 'Jenny Rosen' })).toEqual(['email jenny@example.com', 'name Jenny Rosen']);
  });

  it('subscription: status, customer, first price with interval, cancel at period end', () => {
    const subscription = {
      object: 'subscription',
      status: 'active',
      customer: 'cus_1',
      cancel_at_period_end: true,
      items: { data: [{ price: { id: 'price_1', recurring: { interval: 'month', interval_count: 3 } } }, { price: { id: 'price_2' } }] },
    };
    expect(fieldsOf(subscription)).toEqual(['status active', 'customer cus_1', 'price price_1 / 3 months', 'cancels at period end']);
    expect(fieldsOf({ ...subscription, cancel_at_period_end: false, items: { data: [] } })).toEqual(['status active', 'customer cus_1']);
  });

  it('invoice: paid amount when paid, due amount otherwise, subscription in old and new API shapes', () => {
    expect(fieldsOf({ object: 'invoice', amount_paid: 1999, amount_due: 1999, currency: 'usd', status: 'paid', customer: 'cus_1', subscription: 'sub_1', billing_reason: 'subscription_cycle' })).toEqual([
      'paid $19.99',
      'status paid',
      'customer cus_1',
      'subscription sub_1',
      'reason subscription_cycle',
    ]);
    expect(fieldsOf({ object: 'invoice', amount_paid: 0, amount_due: 500, currency: 'usd', status: 'open', parent: { subscription_details: { subscription: 'sub_2' } } })).toEqual([
      'due $5.00',
      'status open',
      'subscription sub_2',
    ]);
  });

  it('checkout.session: total, payment status, mode, customer, client reference', () => {
    expect(
      fieldsOf({ id: 'cs_1', object: 'checkout.session', amount_total: 4200, currency: 'usd', payment_status: 'paid', mode: 'payment', customer: 'cus_1', client_reference_id: 'order_42' }),
    ).toEqual(['amount $42.00', 'payment paid', 'mode payment', 'customer cus_1', 'ref order_42']);
  });

  it('payment_method: type, card brand and last4, customer', () => {
    expect(fieldsOf({ object: 'payment_method', type: 'card', card: { brand: 'visa', last4: '4242' }, customer: 'cus_1' })).toEqual([
      'type card',
      'card visa •••• 4242',
      'customer cus_1',
    ]);
  });

  it('balance: available amounts per currency', () => {
    expect(fieldsOf({ object: 'balance', available: [{ amount: 1000, currency: 'usd' }, { amount: 500, currency: 'jpy' }, 'junk'] })).toEqual([
      'available $10.00, ¥500',
    ]);
  });

  it('setup_intent, product and price', () => {
    expect(fieldsOf({ object: 'setup_intent', status: 'succeeded', payment_method: 'pm_1' })).toEqual(['status succeeded', 'payment_method pm_1']);
    expect(fieldsOf({ object: 'product', name: 'Gold plan', active: true })).toEqual(['name Gold plan', 'active yes']);
    expect(fieldsOf({ object: 'price', unit_amount: 1500, currency: 'usd', recurring: { interval: 'year' } })).toEqual(['amount $15.00 / year']);
    expect(fieldsOf({ object: 'price', unit_amount: 1500, currency: 'usd', recurring: null })).toEqual(['amount $15.00']);
  });

  it('falls back to status, amount and customer for other types', () => {
    expect(fieldsOf({ id: 're_1', object: 'refund', status: 'succeeded', amount: 700, currency: 'gbp', customer: 'cus_1', reason: 'x' })).toEqual([
      'status succeeded',
      'amount £7.00',
      'customer cus_1',
    ]);
  });

  it('lists the keys that changed', () => {
    expect(fieldsOf({ object: 'customer', email: 'a@b.c' }, { email: 'old@b.c', metadata: {} })).toEqual(['email a@b.c', 'changed email, metadata']);
  });

  it('never throws on missing or odd-typed fields', () => {
    const odd: unknown[] = [
      undefined,
      null,
      'evt',
      {},
      { data: null },
      { data: { object: 'string' } },
      { data: { object: [] } },
      { data: { object: { object: 'constructor' } } },
      { data: { object: { object: '__proto__', amount: 'ten' } } },
      { data: { object: { object: 'payment_intent', amount: '2000', currency: 5, customer: 7, last_payment_error: 'x' } } },
      { data: { object: { object: 'subscription', items: { data: 'nope' } } } },
      { data: { object: { object: 'balance', available: { usd: 1 } } } },
      { data: { object: { object: 'invoice', amount_paid: Number.NaN, parent: 'x' } } },
      { data: { object: { object: 'charge' }, previous_attributes: 'nope' } },
    ];
    for (const event of odd) expect(() => summarizeEvent(event)).not.toThrow();
    expect(summarizeEvent({ data: { object: { object: 'payment_intent', amount: '2000', customer: 7 } } }).fields).toEqual([]);
    expect(summarizeEvent({ data: { object: { object: 'constructor', status: 'ok' } } }).fields).toEqual([{ label: 'status', value: 'ok' }]);
  });

  it('clips long values to one short line', () => {
    const [field] = summarizeEvent(eventWith({ object: 'charge', failure_message: `line one\n${'x'.repeat(200)}` })).fields;
    expect(field?.value.length).toBe(80);
    expect(field?.value).not.toContain('\n');
    expect(field?.value.endsWith('…')).toBe(true);
  });
});
