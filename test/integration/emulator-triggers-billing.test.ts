/**
 * The billing half of `stripe trigger` offline: each trigger's real fixture runs through the real
 * Stripe CLI against the emulator, sends the events Stripe sends in Stripe's order, and every
 * event reaches a receiver through the real `stripe listen`, signed with the session's secret.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { offlineTriggers } from '../../src/emulator/start-emulator.js';
import { startTriggerHarness, type Obj, type TriggerEvents, type TriggerHarness } from '../helpers/offline-trigger-harness.js';

// The one place this file names the emulator's API key.

let harness: TriggerHarness;

beforeAll(async () => {
  harness = await startTriggerHarness();
});

afterAll(async () => {
  await harness?.close();
});

async function get(path: string): Promise<Obj> {
  const response = await fetch(`${harness.emulator.apiBase}${path}`, { headers: { Authorization: `Bearer ${harness.emulator.apiKey}` } });
  return (await response.json()) as Obj;
}

interface TriggerCase {
  name: string;
  types: string[];
  check?: (events: TriggerEvents) => void | Promise<void>;
}

const RECURRING_PRICE = ['product.created', 'price.created', 'plan.created'];
const SCHEDULE_STARTED = [
  'customer.created', 'customer.source.created', ...RECURRING_PRICE,
  'customer.subscription.created', 'invoice.created', 'invoice.finalized',
  'payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded',
  'invoice.paid', 'invoice.payment_succeeded', 'invoice_payment.paid',
  'customer.subscription.updated', 'subscription_schedule.created', 'charge.updated',
];
const OPEN_INVOICE = ['customer.created', 'invoiceitem.created', 'invoice.created', 'invoice.finalized'];

function expectPercentCoupon(coupon: Obj, percent: number): void {
  expect(coupon).toMatchObject({ object: 'coupon', percent_off: percent, amount_off: null, currency: null, duration: 'once', valid: true, times_redeemed: 0 });
  expect(coupon.id).toMatch(/^[A-Za-z0-9]{8}$/);
}

function expectMetadataUpdate(events: TriggerEvents, type: string, createdType: string): void {
  const updated = events.event(type);
  expect(updated.data.object).toMatchObject({ id: events.object(createdType).id, metadata: { foo: 'bar' } });
  const { updated: previousUpdated, ...previous } = updated.data.previous_attributes as Obj;
  expect(previous).toEqual({ metadata: { foo: null } });
  // Objects with an `updated` field (products) move it to the second of the change; when the
  // update falls in a later second than the creation, Stripe lists the old value too.
  if (previousUpdated !== undefined) expect(previousUpdated).toBeLessThan(updated.data.object.updated as number);
}

/** A schedule that starts now: its subscription is made and paid from the customer's card source, then the schedule's own event. */
function expectStartedSchedule(events: TriggerEvents): Obj {
  const customer = events.object('customer.created');
  const source = events.object('customer.source.created');
  const price = events.object('price.created');
  const schedule = events.object('subscription_schedule.created');
  const subscription = events.object('customer.subscription.created');
  expect(source).toMatchObject({ object: 'card', customer: customer.id, last4: '4242', brand: 'Visa' });
  expect(schedule).toMatchObject({ customer: customer.id, status: 'active', subscription: subscription.id, end_behavior: 'release' });
  expect(schedule.phases.map((phase: Obj) => phase.items[0])).toMatchObject([{ price: price.id, quantity: 1 }, { price: price.id, quantity: 2 }]);
  expect(schedule.phases[1].start_date).toBe(schedule.phases[0].end_date);
  expect(schedule.current_phase).toEqual({ start_date: schedule.phases[0].start_date, end_date: schedule.phases[0].end_date });
  expect(subscription).toMatchObject({ schedule: schedule.id, customer: customer.id });
  expect(events.object('charge.succeeded')).toMatchObject({ amount: 1500, payment_method: source.id, customer: customer.id });
  expect(events.object('invoice.paid')).toMatchObject({ amount_paid: 1500, status: 'paid' });
  return schedule;
}

function expectInvoiceFromItem(events: TriggerEvents, type: string): Obj {
  const customer = events.object('customer.created');
  const item = events.object('invoiceitem.created');
  const invoice = events.object(type);
  expect(invoice).toMatchObject({ customer: customer.id, amount_due: 2000, description: '(created by Stripe CLI)' });
  expect(invoice.lines.data[0].parent.invoice_item_details.invoice_item).toBe(item.id);
  return invoice;
}

const CASES: TriggerCase[] = [
  { name: 'coupon.created', types: ['coupon.created'], check: (events) => expectPercentCoupon(events.object('coupon.created'), 20) },
  { name: 'coupon.updated', types: ['coupon.created', 'coupon.updated'], check: (events) => expectMetadataUpdate(events, 'coupon.updated', 'coupon.created') },
  {
    name: 'coupon.deleted',
    types: ['coupon.created', 'coupon.deleted'],
    async check(events) {
      const deleted = events.object('coupon.deleted');
      expect(deleted).toMatchObject({ id: events.object('coupon.created').id, percent_off: 20 });
      expect(await get(`/v1/coupons/${deleted.id}`)).toEqual({ id: deleted.id, object: 'coupon', deleted: true });
    },
  },
  {
    name: 'promotion_code.created',
    types: ['coupon.created', 'promotion_code.created'],
    check(events) {
      const code = events.object('promotion_code.created');
      expect(code).toMatchObject({ object: 'promotion_code', active: true, promotion: { type: 'coupon', coupon: events.object('coupon.created').id }, times_redeemed: 0 });
      expect(code.id).toMatch(/^promo_/);
      expect(code.code).toMatch(/^[A-Z0-9]{8}$/);
    },
  },
  { name: 'promotion_code.updated', types: ['coupon.created', 'promotion_code.created', 'promotion_code.updated'], check: (events) => expectMetadataUpdate(events, 'promotion_code.updated', 'promotion_code.created') },
  {
    name: 'customer.discount.created',
    types: ['coupon.created', 'customer.created', 'customer.discount.created'],
    async check(events) {
      const customer = events.object('customer.created');
      const discount = events.object('customer.discount.created');
      expect(discount).toMatchObject({ object: 'discount', customer: customer.id, source: { type: 'coupon', coupon: events.object('coupon.created').id }, end: null, subscription: null });
      expect(discount.id).toMatch(/^di_/);
      expect((await get(`/v1/customers/${customer.id}`)).discount.id).toBe(discount.id);
    },
  },
  {
    name: 'customer.discount.updated',
    types: ['coupon.created', 'customer.created', 'customer.discount.created', 'coupon.created', 'customer.discount.updated'],
    check(events) {
      const [first, second] = events.all('coupon.created').map((event) => event.data.object as Obj);
      expect(second!.percent_off).toBe(30);
      const updated = events.event('customer.discount.updated');
      expect(updated.data.object).toMatchObject({ id: events.object('customer.discount.created').id, source: { coupon: second!.id } });
      expect(updated.data.previous_attributes).toMatchObject({ source: { coupon: first!.id, type: 'coupon' } });
    },
  },
  {
    name: 'customer.discount.deleted',
    types: ['coupon.created', 'customer.created', 'customer.discount.created', 'customer.discount.deleted'],
    async check(events) {
      const deleted = events.object('customer.discount.deleted');
      expect(deleted.id).toBe(events.object('customer.discount.created').id);
      expect((await get(`/v1/customers/${deleted.customer}`)).discount).toBeNull();
    },
  },
  {
    name: 'tax_rate.created',
    types: ['tax_rate.created'],
    check: (events) => expect(events.object('tax_rate.created')).toMatchObject({ object: 'tax_rate', display_name: 'test', inclusive: true, percentage: 10, effective_percentage: 10, active: true, description: '(created by Stripe CLI)' }),
  },
  { name: 'tax_rate.updated', types: ['tax_rate.created', 'tax_rate.updated'], check: (events) => expectMetadataUpdate(events, 'tax_rate.updated', 'tax_rate.created') },
  {
    name: 'plan.created',
    types: ['product.created', 'plan.created', 'price.created'],
    check(events) {
      const plan = events.object('plan.created');
      expect(plan).toMatchObject({ object: 'plan', amount: 2000, amount_decimal: '2000', currency: 'usd', interval: 'month', interval_count: 1, product: events.object('product.created').id });
      expect(events.object('price.created')).toMatchObject({ id: plan.id, unit_amount: 2000, type: 'recurring', recurring: { interval: 'month' } });
      expect(events.object('product.created').name).toBe('myproduct');
    },
  },
  {
    name: 'plan.updated',
    types: ['product.created', 'plan.created', 'price.created', 'plan.updated', 'price.updated'],
    check(events) {
      expectMetadataUpdate(events, 'plan.updated', 'plan.created');
      expectMetadataUpdate(events, 'price.updated', 'price.created');
    },
  },
  {
    name: 'plan.deleted',
    types: ['product.created', 'plan.created', 'price.created', 'plan.deleted', 'price.deleted'],
    async check(events) {
      const id = events.object('plan.created').id;
      expect(events.object('plan.deleted').id).toBe(id);
      expect((await get(`/v1/plans/${id}`)).error).toMatchObject({ code: 'resource_missing' });
    },
  },
  {
    name: 'price.updated',
    types: [...RECURRING_PRICE, 'price.updated', 'plan.updated'],
    check(events) {
      expectMetadataUpdate(events, 'price.updated', 'price.created');
      expectMetadataUpdate(events, 'plan.updated', 'plan.created');
    },
  },
  {
    name: 'product.updated',
    types: ['product.created', 'product.updated'],
    check(events) {
      expectMetadataUpdate(events, 'product.updated', 'product.created');
      expect(events.object('product.updated')).toMatchObject({ name: 'myproduct', description: '(created by Stripe CLI)', tax_details: null });
    },
  },
  {
    name: 'product.deleted',
    types: ['product.created', 'product.deleted'],
    async check(events) {
      const id = events.object('product.created').id;
      expect(events.object('product.deleted').id).toBe(id);
      expect(await get(`/v1/products/${id}`)).toEqual({ id, object: 'product', deleted: true });
    },
  },
  {
    name: 'billing_portal.configuration.created',
    types: ['billing_portal.configuration.created'],
    check(events) {
      const configuration = events.object('billing_portal.configuration.created');
      expect(configuration).toMatchObject({
        object: 'billing_portal.configuration',
        active: true,
        business_profile: { headline: 'created by the Stripe CLI', privacy_policy_url: 'https://www.example.com', terms_of_service_url: 'https://www.example.com' },
        features: { subscription_cancel: { enabled: true, mode: 'at_period_end' }, invoice_history: { enabled: false } },
      });
      expect(configuration.id).toMatch(/^bpc_/);
    },
  },
  {
    name: 'billing_portal.configuration.updated',
    types: ['billing_portal.configuration.created', 'billing_portal.configuration.updated'],
    check: (events) => expect(events.event('billing_portal.configuration.updated').data.previous_attributes).toMatchObject({ metadata: { foo: null } }),
  },
  {
    name: 'billing_portal.session.created',
    types: ['customer.created', 'billing_portal.session.created'],
    async check(events) {
      const session = events.object('billing_portal.session.created');
      expect(session).toMatchObject({ object: 'billing_portal.session', customer: events.object('customer.created').id, flow: null, return_url: null });
      expect(session.url).toMatch(/^https:\/\/billing\.stripe\.com\/p\/session\/test_/);
      expect((await get(`/v1/billing_portal/configurations/${session.configuration}`)).is_default).toBe(true);
    },
  },
  {
    name: 'payment_link.created',
    types: [...RECURRING_PRICE, 'payment_link.created'],
    check(events) {
      const link = events.object('payment_link.created');
      expect(link).toMatchObject({ object: 'payment_link', active: true, currency: 'usd', allow_promotion_codes: false, customer_creation: 'always', invoice_creation: null });
      expect(link.url).toMatch(/^https:\/\/buy\.stripe\.com\/test_/);
    },
  },
  {
    name: 'payment_link.updated',
    types: [...RECURRING_PRICE, 'payment_link.created', 'payment_link.updated'],
    check(events) {
      const updated = events.event('payment_link.updated');
      expect(updated.data.object).toMatchObject({ id: events.object('payment_link.created').id, allow_promotion_codes: true });
      expect(updated.data.previous_attributes).toEqual({ allow_promotion_codes: false });
    },
  },
  {
    name: 'invoice.updated',
    types: ['customer.created', 'invoiceitem.created', 'invoice.created', 'invoice.updated'],
    check(events) {
      expect(expectInvoiceFromItem(events, 'invoice.updated')).toMatchObject({ status: 'draft', metadata: { foo: 'bar' } });
      expect(events.event('invoice.updated').data.previous_attributes).toEqual({ metadata: { foo: null } });
    },
  },
  {
    name: 'invoice.voided',
    types: [...OPEN_INVOICE, 'invoice.voided'],
    check(events) {
      const invoice = expectInvoiceFromItem(events, 'invoice.voided');
      expect(invoice).toMatchObject({ status: 'void', amount_remaining: 0, number: events.object('invoice.finalized').number });
      expect(invoice.status_transitions.voided_at).toBe(events.event('invoice.voided').created);
    },
  },
  {
    name: 'invoice.marked_uncollectible',
    types: [...OPEN_INVOICE, 'invoice.marked_uncollectible'],
    check(events) {
      const invoice = expectInvoiceFromItem(events, 'invoice.marked_uncollectible');
      expect(invoice).toMatchObject({ status: 'uncollectible', amount_remaining: 2000 });
      expect(invoice.status_transitions.marked_uncollectible_at).toEqual(expect.any(Number));
    },
  },
  {
    name: 'invoice.sent',
    types: [...OPEN_INVOICE, 'invoice.sent'],
    check(events) {
      const invoice = expectInvoiceFromItem(events, 'invoice.sent');
      expect(invoice).toMatchObject({ status: 'open', collection_method: 'send_invoice', customer_email: 'bob@example.com' });
      expect(invoice.due_date - events.object('invoice.created').created).toBe(7 * 24 * 60 * 60);
    },
  },
  ...['credit_note.created', 'credit_note.updated', 'credit_note.voided'].map((name) => ({
    name,
    types: [...OPEN_INVOICE, 'credit_note.created', ...(name === 'credit_note.created' ? [] : [name])],
    check(events: TriggerEvents) {
      const invoice = events.object('invoice.finalized');
      const note = events.object(name);
      expect(note).toMatchObject({ object: 'credit_note', invoice: invoice.id, customer: invoice.customer, amount: 1000, total: 1000, type: 'pre_payment', pre_payment_amount: 1000, number: `${invoice.number}-CN-01` });
      expect(note.lines.data[0]).toMatchObject({ type: 'custom_line_item', unit_amount: 1000, quantity: 1, amount: 1000, description: '(created by Stripe CLI)' });
      if (name === 'credit_note.voided') expect(note).toMatchObject({ status: 'void', voided_at: expect.any(Number) });
      if (name === 'credit_note.updated') expect(events.event(name).data.previous_attributes).toEqual({ metadata: { foo: null } });
    },
  })),
  { name: 'test_helpers.test_clock.created', types: ['test_helpers.test_clock.created'], check: (events) => expect(events.object('test_helpers.test_clock.created')).toMatchObject({ frozen_time: 1577836800, name: '(created by Stripe CLI)', status: 'ready', status_details: {} }) },
  { name: 'test_helpers.test_clock.deleted', types: ['test_helpers.test_clock.created', 'test_helpers.test_clock.deleted'] },
  ...['test_helpers.test_clock.advancing', 'test_helpers.test_clock.ready'].map((name) => ({
    name,
    types: ['test_helpers.test_clock.created', 'test_helpers.test_clock.advancing', 'test_helpers.test_clock.ready'],
    async check(events: TriggerEvents) {
      const id = events.object('test_helpers.test_clock.created').id;
      expect(events.object('test_helpers.test_clock.advancing')).toMatchObject({ id, status: 'advancing', frozen_time: 1577836800, status_details: { advancing: { target_frozen_time: 1580515200 } } });
      expect(events.object('test_helpers.test_clock.ready')).toMatchObject({ id, status: 'ready', frozen_time: 1580515200, status_details: {} });
      // The clock finishes by itself: Stripe's own event, not the request's.
      expect(events.event('test_helpers.test_clock.ready').request).toEqual({ id: null, idempotency_key: null });
      expect(await get(`/v1/test_helpers/test_clocks/${id}`)).toMatchObject({ status: 'ready', frozen_time: 1580515200 });
    },
  })),
  {
    name: 'customer.subscription.trial_will_end',
    types: ['customer.created', ...RECURRING_PRICE, 'customer.subscription.created', 'invoice.created', 'invoice.finalized', 'invoice.paid', 'invoice.payment_succeeded', 'customer.subscription.trial_will_end'],
    check(events) {
      const subscription = events.object('customer.subscription.trial_will_end');
      expect(subscription).toMatchObject({ id: events.object('customer.subscription.created').id, status: 'trialing', default_payment_method: null });
      expect(subscription.trial_end - subscription.trial_start).toBe(24 * 60 * 60);
      expect(events.object('invoice.paid')).toMatchObject({ amount_due: 0, amount_paid: 0, status: 'paid', billing_reason: 'subscription_create' });
      expect(events.object('invoice.paid').lines.data[0]).toMatchObject({ amount: 0, description: 'Trial period for myproduct' });
      expect(events.event('customer.subscription.trial_will_end').request).toEqual({ id: null, idempotency_key: null });
    },
  },
  {
    name: 'customer.subscription.paused',
    types: ['customer.created', ...RECURRING_PRICE, 'customer.subscription.created', 'invoice.created', 'invoice.finalized', 'invoice.paid', 'invoice.payment_succeeded', 'customer.subscription.updated', 'customer.subscription.paused'],
    check(events) {
      const created = events.object('customer.subscription.created');
      expect(created).toMatchObject({ status: 'trialing', trial_settings: { end_behavior: { missing_payment_method: 'pause' } } });
      const updated = events.event('customer.subscription.updated');
      expect(updated.data.previous_attributes).toEqual({ status: 'trialing', trial_end: created.trial_end });
      expect(events.object('customer.subscription.paused')).toMatchObject({ id: created.id, status: 'paused', trial_end: updated.created });
    },
  },
  { name: 'subscription_schedule.created', types: SCHEDULE_STARTED, check: expectStartedSchedule },
  {
    name: 'subscription_schedule.updated',
    types: [...SCHEDULE_STARTED, 'subscription_schedule.updated'],
    check(events) {
      expectStartedSchedule(events);
      expectMetadataUpdate(events, 'subscription_schedule.updated', 'subscription_schedule.created');
    },
  },
  {
    name: 'subscription_schedule.canceled',
    types: [...SCHEDULE_STARTED, 'customer.subscription.deleted', 'subscription_schedule.canceled'],
    check(events) {
      const schedule = expectStartedSchedule(events);
      expect(events.object('customer.subscription.deleted')).toMatchObject({ id: schedule.subscription, status: 'canceled' });
      expect(events.object('subscription_schedule.canceled')).toMatchObject({ id: schedule.id, status: 'canceled', canceled_at: expect.any(Number), current_phase: null });
    },
  },
  {
    name: 'subscription_schedule.released',
    types: [...SCHEDULE_STARTED, 'customer.subscription.updated', 'subscription_schedule.released'],
    check(events) {
      const schedule = expectStartedSchedule(events);
      const unmanaged = events.event('customer.subscription.updated');
      expect(unmanaged.data.object).toMatchObject({ id: schedule.subscription, schedule: null, status: 'active' });
      expect(unmanaged.data.previous_attributes).toEqual({ schedule: schedule.id });
      expect(events.object('subscription_schedule.released')).toMatchObject({ id: schedule.id, status: 'released', subscription: null, released_subscription: schedule.subscription });
    },
  },
  ...['quote.created', 'quote.finalized', 'quote.canceled'].map((name) => ({
    name,
    types: ['customer.created', 'customer.source.created', ...RECURRING_PRICE, 'quote.created', ...(name === 'quote.created' ? [] : [name])],
    check(events: TriggerEvents) {
      const quote = events.object(name);
      expect(quote).toMatchObject({ object: 'quote', customer: events.object('customer.created').id, amount_total: 15000, currency: 'usd', description: '(created by Stripe CLI)' });
      expect(quote.computed.recurring).toMatchObject({ amount_total: 15000, interval: 'month', interval_count: 1 });
      expect(quote.status).toBe({ 'quote.created': 'draft', 'quote.finalized': 'open', 'quote.canceled': 'canceled' }[name]);
      if (name === 'quote.finalized') expect(quote.number).toMatch(/^QT-[A-Z0-9]{8}-0001$/);
    },
  })),
  {
    name: 'quote.accepted',
    types: [
      'customer.created', 'customer.source.created', ...RECURRING_PRICE, 'quote.created', 'quote.finalized',
      'customer.subscription.created', 'invoice.created', 'invoice.finalized',
      'payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded',
      'invoice.paid', 'invoice.payment_succeeded', 'invoice_payment.paid',
      'customer.subscription.updated', 'quote.accepted', 'charge.updated',
    ],
    check(events) {
      const accepted = events.object('quote.accepted');
      const subscription = events.object('customer.subscription.updated');
      expect(accepted).toMatchObject({ status: 'accepted', subscription: subscription.id, status_transitions: { accepted_at: expect.any(Number) } });
      expect(subscription).toMatchObject({ status: 'active', customer: accepted.customer });
      expect(subscription.items.data[0]).toMatchObject({ quantity: 10, price: { id: events.object('price.created').id } });
      expect(events.object('invoice.paid')).toMatchObject({ amount_paid: 15000 });
    },
  },
];

describe('billing triggers against the offline emulator', () => {
  test('every trigger in the table is listed as working offline', () => {
    expect(offlineTriggers).toEqual(expect.arrayContaining(CASES.map((entry) => entry.name)));
  });

  test.each(CASES)('$name', async ({ name, types, check }) => {
    const { events } = await harness.run(name);
    expect(events.types()).toEqual(types);
    await check?.(events);
  });
});
