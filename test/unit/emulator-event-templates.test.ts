import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { buildEvent, supportedEventTypes, UnknownEventTypeError } from '../../src/emulator/event-templates.js';

const apiVersion = '2026-10-28.endive';
const now = Date.UTC(2026, 10, 25, 8, 6, 42);
const build = (type: string, extra: { object?: Record<string, unknown>; account?: string } = {}) => buildEvent(type, { apiVersion, now, ...extra });

type Obj = Record<string, any>;

const REQUIRED = [
  'payment_intent.succeeded',
  'payment_intent.payment_failed',
  'charge.succeeded',
  'charge.dispute.created',
  'checkout.session.completed',
  'customer.created',
  'customer.subscription.created',
  'invoice.paid',
  'balance.available',
  'payment_method.attached',
];

const EXPECTED_OBJECT: Record<string, { object: string; prefix?: string }> = {
  'payment_intent.created': { object: 'payment_intent', prefix: 'pi_' },
  'payment_intent.succeeded': { object: 'payment_intent', prefix: 'pi_' },
  'payment_intent.payment_failed': { object: 'payment_intent', prefix: 'pi_' },
  'charge.succeeded': { object: 'charge', prefix: 'ch_' },
  'charge.failed': { object: 'charge', prefix: 'ch_' },
  'charge.dispute.created': { object: 'dispute', prefix: 'dp_' },
  'checkout.session.completed': { object: 'checkout.session', prefix: 'cs_test_' },
  'customer.created': { object: 'customer', prefix: 'cus_' },
  'customer.subscription.created': { object: 'subscription', prefix: 'sub_' },
  'customer.subscription.updated': { object: 'subscription', prefix: 'sub_' },
  'customer.subscription.deleted': { object: 'subscription', prefix: 'sub_' },
  'invoice.paid': { object: 'invoice', prefix: 'in_' },
  'invoice.payment_succeeded': { object: 'invoice', prefix: 'in_' },
  'invoice.payment_failed': { object: 'invoice', prefix: 'in_' },
  'balance.available': { object: 'balance' },
  'payment_method.attached': { object: 'payment_method', prefix: 'pm_' },
};

describe('supportedEventTypes', () => {
  it('includes every type the brief requires and has a known object for each', () => {
    for (const type of REQUIRED) expect(supportedEventTypes).toContain(type);
    expect([...supportedEventTypes].sort()).toEqual(Object.keys(EXPECTED_OBJECT).sort());
  });
});

describe('buildEvent', () => {
  it.each([...supportedEventTypes])('builds a well-formed %s event', (type) => {
    const event = build(type);
    expect(event.id).toMatch(/^evt_[A-Za-z0-9]{24}$/);
    expect(event).toMatchObject({ object: 'event', type, api_version: apiVersion, created: Math.floor(now / 1000), livemode: false, pending_webhooks: 1 });
    expect(event).not.toHaveProperty('account');
    const expected = EXPECTED_OBJECT[type]!;
    expect(event.data.object.object).toBe(expected.object);
    if (expected.prefix !== undefined) expect(event.data.object.id).toMatch(new RegExp(`^${expected.prefix}[A-Za-z0-9]+$`));
    const request = event.request as { id: string | null; idempotency_key: string | null };
    if (type === 'balance.available') expect(request).toEqual({ id: null, idempotency_key: null });
    else {
      expect(request.id).toMatch(/^req_[A-Za-z0-9]{14}$/);
      expect(request.idempotency_key).toMatch(/^[0-9a-f-]{36}$/);
    }
    // Stripe sends events as JSON; nothing in a template may be lost in serialization.
    expect(JSON.parse(JSON.stringify(event))).toEqual(event);
  });

  it('keeps the envelope keys in the order Stripe sends them', () => {
    expect(Object.keys(build('charge.succeeded', { account: 'acct_1Abc' }))).toEqual([
      'id', 'object', 'account', 'api_version', 'created', 'data', 'livemode', 'pending_webhooks', 'request', 'type',
    ]);
  });

  it('makes fresh ids for every event', () => {
    const first = build('payment_intent.succeeded');
    const second = build('payment_intent.succeeded');
    expect(second.id).not.toBe(first.id);
    expect(second.data.object.id).not.toBe(first.data.object.id);
    expect((second.data.object as Obj).latest_charge).not.toBe((first.data.object as Obj).latest_charge);
  });

  it('links the ids within one payment_intent.succeeded the way Stripe does', () => {
    const pi = build('payment_intent.succeeded').data.object as Obj;
    expect(pi).toMatchObject({ status: 'succeeded', amount: 2000, amount_received: 2000, currency: 'usd', metadata: {} });
    expect(pi.latest_charge).toMatch(/^ch_/);
    expect(pi.payment_method).toMatch(/^pm_/);
    expect(pi.customer).toMatch(/^cus_/);
    expect(pi.client_secret.startsWith(`${pi.id}_secret_`)).toBe(true);
  });

  it('describes a card decline in payment_intent.payment_failed', () => {
    const pi = build('payment_intent.payment_failed').data.object as Obj;
    expect(pi.status).toBe('requires_payment_method');
    expect(pi.amount_received).toBe(0);
    expect(pi.last_payment_error).toMatchObject({ type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', charge: pi.latest_charge });
    expect(pi.last_payment_error.payment_method.card.last4).toBe('0002');
  });

  it('fills the charge fields handlers read, linked to its payment intent', () => {
    const charge = build('charge.succeeded').data.object as Obj;
    expect(charge).toMatchObject({ paid: true, captured: true, status: 'succeeded', amount: 2000, currency: 'usd' });
    expect(charge.payment_intent).toMatch(/^pi_/);
    expect(charge.balance_transaction).toMatch(/^txn_/);
    expect(charge.payment_method_details.card).toMatchObject({ brand: 'visa', last4: '4242', exp_month: 12 });
    expect(charge.payment_method_details.card.exp_year).toBe(2028);
    expect(charge.billing_details).toMatchObject({ name: 'Jenny Rosen', email: 'jenny.rosen@example.com' });
    expect(charge.receipt_url).toMatch(/^https:\/\/pay\.stripe\.com\/receipts\//);
  });

  it('links a dispute to its charge and payment intent', () => {
    const dispute = build('charge.dispute.created').data.object as Obj;
    expect(dispute.charge).toMatch(/^ch_/);
    expect(dispute.payment_intent).toMatch(/^pi_/);
    expect(dispute).toMatchObject({ status: 'needs_response', reason: 'fraudulent', amount: 2000 });
    expect(dispute.evidence_details.due_by).toBeGreaterThan(dispute.created);
  });

  it('fills a completed checkout session', () => {
    const session = build('checkout.session.completed').data.object as Obj;
    expect(session).toMatchObject({ mode: 'payment', payment_status: 'paid', status: 'complete', client_reference_id: null, amount_total: 2000 });
    expect(session.id).toMatch(/^cs_test_[A-Za-z0-9]{58}$/);
    expect(session.payment_intent).toMatch(/^pi_/);
    expect(session.customer_details).toMatchObject({ email: 'jenny.rosen@example.com', name: 'Jenny Rosen' });
  });

  it('puts price and billing period on subscription items, consistently linked', () => {
    const subscription = build('customer.subscription.created').data.object as Obj;
    const item = subscription.items.data[0];
    expect(subscription.status).toBe('active');
    expect(item.id).toMatch(/^si_/);
    expect(item.subscription).toBe(subscription.id);
    expect(item.price.id).toMatch(/^price_/);
    expect(item.price.product).toMatch(/^prod_/);
    expect(item.plan.id).toBe(item.price.id);
    expect(item.current_period_start).toBe(subscription.created);
    expect(item.current_period_end).toBe(Math.floor(Date.UTC(2026, 11, 25, 8, 6, 42) / 1000));
    expect(subscription.latest_invoice).toMatch(/^in_/);
  });

  it('says what changed in customer.subscription.updated', () => {
    const event = build('customer.subscription.updated');
    expect(event.data.previous_attributes).toEqual({ cancel_at_period_end: false });
    expect(event.data.object.cancel_at_period_end).toBe(true);
  });

  it('fills a paid invoice whose lines point back at it', () => {
    const invoice = build('invoice.paid').data.object as Obj;
    expect(invoice).toMatchObject({ status: 'paid', amount_paid: 2000, amount_remaining: 0 });
    expect(invoice.hosted_invoice_url).toMatch(/^https:\/\/invoice\.stripe\.com\/i\/acct_/);
    const line = invoice.lines.data[0];
    expect(line.invoice).toBe(invoice.id);
    expect(line.pricing.price_details.price).toMatch(/^price_/);
    expect(line.parent.subscription_item_details.subscription).toBe(invoice.parent.subscription_details.subscription);
    expect(invoice.number.startsWith(invoice.customer.slice(4, 12).toUpperCase())).toBe(true);
  });

  it('deep-merges overrides over data.object without touching the rest', () => {
    const event = build('payment_intent.succeeded', { object: { amount: 4200, metadata: { order_id: '42' }, payment_method_options: { card: { network: 'visa' } } } });
    const pi = event.data.object as Obj;
    expect(pi.amount).toBe(4200);
    expect(pi.metadata).toEqual({ order_id: '42' });
    expect(pi.payment_method_options.card).toMatchObject({ network: 'visa', request_three_d_secure: 'automatic' });
    expect(pi.currency).toBe('usd');
  });

  it('replaces arrays in overrides rather than merging them by index', () => {
    const pi = build('payment_intent.succeeded', { object: { payment_method_types: ['link'] } }).data.object as Obj;
    expect(pi.payment_method_types).toEqual(['link']);
  });

  it('marks a Connect event with the account', () => {
    expect(build('charge.succeeded', { account: 'acct_1Connected' }).account).toBe('acct_1Connected');
  });

  it('rejects an unknown type, naming the supported ones', () => {
    expect(() => build('payment_intent.teleported')).toThrow(UnknownEventTypeError);
    expect(() => build('payment_intent.teleported')).toThrow(/payment_intent\.succeeded/);
  });

  it('builds events stripe-node accepts as webhook events once signed', () => {
    const stripe = new Stripe('sk_test_x');
    const payload = JSON.stringify(build('invoice.paid'), null, 2);
    const header = stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_test' });
    const event = stripe.webhooks.constructEvent(payload, header, 'whsec_test');
    expect(event.type).toBe('invoice.paid');
  });
});
