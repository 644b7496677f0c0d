/**
 * The real `stripe trigger` against the offline emulator, with a real `stripe listen` forwarding
 * to a receiver: each supported trigger's fixture runs, sends the events Stripe sends in Stripe's
 * order, and every event reaches the receiver signed with the session's secret. The order is
 * taken from the emulator (the CLI forwards concurrently, so a receiver sees no order).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { offlineTriggers, startEmulator, type Emulator } from '../../src/emulator/start-emulator.js';
import type { StripeEventLike } from '../../src/types.js';
import { runStripeTrigger, startStripeListen, type CliResult, type RunningListen } from '../helpers/stripe-cli-processes.js';
import { expectDeliveredAsPublished, TriggerEvents, type Obj } from '../helpers/trigger-events.js';
import { waitFor } from '../helpers/wait-for.js';
import { emulatorAuth } from '../helpers/emulator-auth.js';
import { PAYMENT_TRIGGER_CASES } from './payment-trigger-cases.js';

const configHome = mkdtempSync(join(tmpdir(), 'webhook-dev-triggers-'));
const published: StripeEventLike[] = [];
const deliveries = new Map<string, { body: string; headers: IncomingHttpHeaders }>();
const timings: [string, number][] = [];
let emulator: Emulator;
let receiver: Server;
let listen: RunningListen | undefined;

beforeAll(async () => {
  emulator = await startEmulator({ onEvent: (event) => published.push(event) });
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      deliveries.set((JSON.parse(body) as StripeEventLike).id, { body, headers: request.headers });
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const address = receiver.address() as { port: number };
  listen = await startStripeListen({ apiBase: emulator.apiBase, configHome, apiKey: emulator.apiKey }, ['--forward-to', `http://127.0.0.1:${address.port}/webhook`]);
  await emulator.waitForListener(15_000);
});

afterAll(async () => {
  await listen?.close();
  await new Promise<void>((resolve) => {
    receiver?.closeAllConnections();
    receiver?.close(() => resolve());
  });
  await emulator?.close();
  rmSync(configHome, { recursive: true, force: true });
  if (timings.length > 0) console.info(`[emulator] stripe trigger timings:\n${timings.map(([name, ms]) => `  ${name.padEnd(40)} ${ms.toFixed(0)} ms`).join('\n')}`);
});

function trigger(name: string, extraArgs: string[] = []): Promise<CliResult> {
  return runStripeTrigger({ apiBase: emulator.apiBase, configHome, apiKey: emulator.apiKey }, name, extraArgs);
}

/** A fixture whose one request the emulator does not know (no trigger of the CLI's calls it). */
const UNKNOWN_ENDPOINT_FIXTURE = JSON.stringify({ _meta: { template_version: 0 }, fixtures: [{ name: 'order', path: '/v1/climate/orders', method: 'post', params: { product: 'climsku_x', metric_tons: '1' } }] });

const PAYMENT_SUCCEEDED = ['payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded', 'charge.updated'];
const PAYMENT_FAILED = ['payment_intent.created', 'charge.failed', 'payment_intent.payment_failed'];
const SUBSCRIPTION_STARTED = [
  'customer.created', 'payment_method.attached', 'product.created', 'price.created', 'plan.created',
  'customer.subscription.created', 'invoice.created', 'invoice.finalized',
  'payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded',
  'invoice.paid', 'invoice.payment_succeeded', 'invoice_payment.paid',
  'customer.subscription.updated', 'charge.updated',
];
const INVOICE_PREPARED = ['customer.created', 'payment_method.attached', 'invoiceitem.created', 'invoice.created', 'invoice.finalized', 'payment_intent.created'];
const INVOICE_PAID = [...INVOICE_PREPARED, 'charge.succeeded', 'payment_intent.succeeded', 'invoice.paid', 'invoice.payment_succeeded', 'invoice_payment.paid', 'charge.updated'];

function expectChargeOf(events: TriggerEvents, chargeType: string): { pi: Obj; charge: Obj } {
  const pi = events.object('payment_intent.created');
  const charge = events.object(chargeType);
  expect(charge.payment_intent).toBe(pi.id);
  return { pi, charge };
}

function expectSucceededPayment(events: TriggerEvents, amount: number): void {
  const { pi, charge } = expectChargeOf(events, 'charge.succeeded');
  const succeeded = events.object('payment_intent.succeeded');
  expect(succeeded).toMatchObject({ id: pi.id, status: 'succeeded', amount, amount_received: amount, latest_charge: charge.id, payment_method: charge.payment_method });
  expect(charge).toMatchObject({ amount, captured: true, paid: true, status: 'succeeded', balance_transaction: null });
  const updated = events.event('charge.updated');
  expect(updated.data.previous_attributes).toEqual({ balance_transaction: null });
  expect((updated.data.object as Obj).balance_transaction).toMatch(/^txn_/);
  // Stripe attaches the balance transaction on its own, after the request.
  expect(updated.request).toEqual({ id: null, idempotency_key: null });
}

function expectFailedPayment(events: TriggerEvents): void {
  const { pi, charge } = expectChargeOf(events, 'charge.failed');
  const failed = events.object('payment_intent.payment_failed');
  expect(charge).toMatchObject({ status: 'failed', paid: false, failure_code: 'card_declined' });
  expect(failed).toMatchObject({ id: pi.id, status: 'requires_payment_method', latest_charge: charge.id });
  expect(failed.last_payment_error).toMatchObject({ type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', charge: charge.id });
}

function expectSubscriptionLinks(events: TriggerEvents): void {
  const customer = events.object('customer.created');
  const product = events.object('product.created');
  const price = events.object('price.created');
  const subscription = events.object('customer.subscription.created');
  const invoice = events.object('invoice.paid');
  const pi = events.object('payment_intent.succeeded');
  expect(events.object('payment_method.attached').customer).toBe(customer.id);
  expect(customer.invoice_settings.default_payment_method).toBe(events.object('payment_method.attached').id);
  expect(price).toMatchObject({ product: product.id, unit_amount: 1500, recurring: { interval: 'month' } });
  expect(events.object('plan.created')).toMatchObject({ id: price.id, amount: 1500, product: product.id });
  expect(subscription).toMatchObject({ customer: customer.id, status: 'incomplete', latest_invoice: invoice.id });
  expect(subscription.items.data[0].price.id).toBe(price.id);
  expect(invoice).toMatchObject({ customer: customer.id, status: 'paid', amount_paid: 1500, billing_reason: 'subscription_create' });
  expect(invoice.parent.subscription_details.subscription).toBe(subscription.id);
  expect(invoice.lines.data[0].parent.subscription_item_details.subscription_item).toBe(subscription.items.data[0].id);
  expect(pi).toMatchObject({ customer: customer.id, amount: 1500, payment_method: customer.invoice_settings.default_payment_method });
  expect(events.object('charge.succeeded').payment_intent).toBe(pi.id);
  expect(events.object('invoice_payment.paid')).toMatchObject({ invoice: invoice.id, payment: { payment_intent: pi.id, type: 'payment_intent' } });
  const activated = events.all('customer.subscription.updated')[0]!;
  expect(activated.data.previous_attributes).toEqual({ status: 'incomplete' });
  expect(activated.data.object).toMatchObject({ id: subscription.id, status: 'active' });
}

function expectInvoiceLinks(events: TriggerEvents, invoiceType: string): { customer: Obj; invoice: Obj } {
  const customer = events.object('customer.created');
  const item = events.object('invoiceitem.created');
  const invoice = events.object(invoiceType);
  expect(item).toMatchObject({ customer: customer.id, amount: 2000 });
  expect(invoice).toMatchObject({ customer: customer.id, amount_due: 2000, parent: null });
  expect(invoice.lines.data[0].parent.invoice_item_details.invoice_item).toBe(item.id);
  return { customer, invoice };
}

interface TriggerCase {
  name: string;
  types: string[];
  check?: (events: TriggerEvents) => void | Promise<void>;
}

const CASES: TriggerCase[] = [
  {
    name: 'payment_intent.succeeded',
    types: PAYMENT_SUCCEEDED,
    check(events) {
      expectSucceededPayment(events, 2000);
      const pi = events.object('payment_intent.succeeded');
      expect(pi).toMatchObject({ description: '(created by Stripe CLI)', shipping: { name: 'Jenny Rosen', address: { line1: '510 Townsend St', city: 'San Francisco' } } });
      // The request's own events name it; all three the same request.
      const requests = events.list.slice(0, 3).map((event) => event.request as Obj);
      expect(requests[0]!.id).toMatch(/^req_/);
      expect(requests[0]!.idempotency_key).toMatch(/^[0-9a-f-]{36}$/);
      expect(requests[1]).toEqual(requests[0]);
      expect(requests[2]).toEqual(requests[0]);
    },
  },
  { name: 'payment_intent.payment_failed', types: PAYMENT_FAILED, check: expectFailedPayment },
  {
    name: 'payment_intent.canceled',
    types: ['payment_intent.created', 'payment_intent.canceled'],
    check(events) {
      const created = events.object('payment_intent.created');
      expect(events.object('payment_intent.canceled')).toMatchObject({ id: created.id, status: 'canceled', cancellation_reason: 'requested_by_customer' });
      expect(events.event('payment_intent.canceled').request).not.toEqual(events.event('payment_intent.created').request);
    },
  },
  {
    name: 'payment_intent.created',
    types: ['payment_intent.created'],
    check: (events) => expect(events.object('payment_intent.created')).toMatchObject({ status: 'requires_payment_method', amount: 2000, latest_charge: null }),
  },
  { name: 'charge.succeeded', types: PAYMENT_SUCCEEDED, check: (events) => expectSucceededPayment(events, 100) },
  { name: 'charge.failed', types: PAYMENT_FAILED, check: expectFailedPayment },
  {
    name: 'charge.refunded',
    types: [...PAYMENT_SUCCEEDED, 'charge.refunded', 'refund.created'],
    check(events) {
      expectSucceededPayment(events, 100);
      const refunded = events.event('charge.refunded');
      const refund = events.object('refund.created');
      expect(refunded.data.object).toMatchObject({ id: events.object('charge.succeeded').id, refunded: true, amount_refunded: 100 });
      expect(refunded.data.previous_attributes).toEqual({ amount_refunded: 0, refunded: false });
      expect(refund).toMatchObject({ charge: refunded.data.object.id, payment_intent: events.object('payment_intent.created').id, amount: 100, status: 'succeeded' });
    },
  },
  {
    name: 'charge.captured',
    types: ['payment_intent.created', 'charge.succeeded', 'payment_intent.amount_capturable_updated', 'charge.captured', 'payment_intent.succeeded'],
    check(events) {
      const { pi, charge } = expectChargeOf(events, 'charge.succeeded');
      expect(charge).toMatchObject({ captured: false, amount_captured: 0 });
      expect(events.object('payment_intent.amount_capturable_updated')).toMatchObject({ id: pi.id, status: 'requires_capture', amount_capturable: 2000 });
      const captured = events.event('charge.captured');
      expect(captured.data.object).toMatchObject({ id: charge.id, captured: true, amount_captured: 2000 });
      expect(captured.data.previous_attributes).toMatchObject({ captured: false, amount_captured: 0 });
      expect(events.object('payment_intent.succeeded')).toMatchObject({ id: pi.id, amount_received: 2000 });
    },
  },
  {
    name: 'charge.dispute.created',
    types: [...PAYMENT_SUCCEEDED, 'charge.dispute.created'],
    check(events) {
      expectSucceededPayment(events, 100);
      expect(events.object('charge.dispute.created')).toMatchObject({
        charge: events.object('charge.succeeded').id,
        payment_intent: events.object('payment_intent.created').id,
        amount: 100,
        status: 'warning_needs_response',
      });
    },
  },
  { name: 'customer.created', types: ['customer.created'], check: (events) => expect(events.object('customer.created')).toMatchObject({ description: '(created by Stripe CLI)' }) },
  {
    name: 'customer.updated',
    types: ['customer.created', 'customer.updated'],
    async check(events) {
      const updated = events.event('customer.updated');
      expect(updated.data.object).toMatchObject({ id: events.object('customer.created').id, metadata: { foo: 'bar' } });
      expect(updated.data.previous_attributes).toEqual({ metadata: { foo: null } });
      // The store keeps the change: the API returns it.
      const response = await fetch(`${emulator.apiBase}/v1/customers/${updated.data.object.id}`, { headers: emulatorAuth(emulator) });
      expect(((await response.json()) as Obj).metadata).toEqual({ foo: 'bar' });
    },
  },
  {
    name: 'customer.deleted',
    types: ['customer.created', 'customer.deleted'],
    check: (events) => expect(events.object('customer.deleted').id).toBe(events.object('customer.created').id),
  },
  { name: 'customer.subscription.created', types: SUBSCRIPTION_STARTED, check: expectSubscriptionLinks },
  {
    name: 'customer.subscription.updated',
    types: [...SUBSCRIPTION_STARTED, 'customer.subscription.updated'],
    check(events) {
      expectSubscriptionLinks(events);
      const updated = events.event('customer.subscription.updated');
      expect(updated.data.previous_attributes).toEqual({ metadata: { foo: null } });
      expect(updated.data.object).toMatchObject({ status: 'active', metadata: { foo: 'bar' } });
    },
  },
  {
    name: 'customer.subscription.deleted',
    types: [...SUBSCRIPTION_STARTED, 'customer.subscription.deleted'],
    check(events) {
      expectSubscriptionLinks(events);
      expect(events.object('customer.subscription.deleted')).toMatchObject({ id: events.object('customer.subscription.created').id, status: 'canceled' });
    },
  },
  ...['invoice.paid', 'invoice.payment_succeeded'].map((name) => ({
    name,
    types: INVOICE_PAID,
    check(events: TriggerEvents) {
      const { customer, invoice } = expectInvoiceLinks(events, 'invoice.paid');
      const pi = events.object('payment_intent.succeeded');
      expect(invoice).toMatchObject({ status: 'paid', amount_paid: 2000 });
      expect(events.object('invoice.payment_succeeded').id).toBe(invoice.id);
      expect(pi).toMatchObject({ customer: customer.id, payment_method: events.object('payment_method.attached').id });
      expect(events.object('invoice_payment.paid').payment.payment_intent).toBe(pi.id);
    },
  })),
  {
    name: 'invoice.payment_failed',
    types: [...INVOICE_PREPARED, 'charge.failed', 'payment_intent.payment_failed', 'invoice.payment_failed'],
    check(events) {
      const { invoice } = expectInvoiceLinks(events, 'invoice.payment_failed');
      expect(invoice).toMatchObject({ status: 'open', attempted: true, amount_paid: 0 });
      expect(events.object('charge.failed').payment_method_details.card.last4).toBe('0341');
    },
  },
  {
    name: 'invoice.finalized',
    types: ['customer.created', 'invoiceitem.created', 'invoice.created', 'invoice.finalized'],
    check(events) {
      expect(events.object('invoice.created')).toMatchObject({ status: 'draft', number: null });
      expect(expectInvoiceLinks(events, 'invoice.finalized').invoice).toMatchObject({ status: 'open', number: expect.stringMatching(/-0001$/) });
    },
  },
  {
    name: 'checkout.session.completed',
    types: ['product.created', 'price.created', 'payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded', 'checkout.session.completed', 'charge.updated'],
    check(events) {
      expectSucceededPayment(events, 3000);
      const session = events.object('checkout.session.completed');
      expect(session).toMatchObject({ status: 'complete', payment_status: 'paid', mode: 'payment', amount_total: 3000, payment_intent: events.object('payment_intent.created').id });
      expect(session.customer_details).toMatchObject({ email: 'stripe@example.com', name: 'Jenny Rosen' });
      expect(events.object('payment_intent.created').shipping).toMatchObject({ name: 'Jenny Rosen' });
    },
  },
  {
    name: 'checkout.session.expired',
    types: ['product.created', 'price.created', 'checkout.session.expired'],
    check: (events) => expect(events.object('checkout.session.expired')).toMatchObject({ status: 'expired', amount_total: 3000, payment_intent: null }),
  },
  {
    name: 'payment_method.attached',
    types: ['customer.created', 'payment_method.attached'],
    check: (events) => expect(events.object('payment_method.attached')).toMatchObject({ customer: events.object('customer.created').id, card: { last4: '4242' } }),
  },
  {
    name: 'setup_intent.succeeded',
    types: ['setup_intent.created', 'setup_intent.succeeded'],
    check: (events) => expect(events.object('setup_intent.succeeded')).toMatchObject({ id: events.object('setup_intent.created').id, status: 'succeeded', payment_method: expect.stringMatching(/^pm_/) }),
  },
  { name: 'product.created', types: ['product.created'], check: (events) => expect(events.object('product.created')).toMatchObject({ name: 'myproduct' }) },
  {
    name: 'price.created',
    types: ['product.created', 'price.created', 'plan.created'],
    check: (events) => expect(events.object('price.created')).toMatchObject({ product: events.object('product.created').id, type: 'recurring' }),
  },
  {
    name: 'balance.available',
    types: [...PAYMENT_SUCCEEDED, 'balance.available'],
    check(events) {
      expectSucceededPayment(events, 2000);
      expect(events.object('balance.available').available[0]).toMatchObject({ amount: 2000, currency: 'usd' });
      expect(events.event('balance.available').request).toEqual({ id: null, idempotency_key: null });
    },
  },
  {
    name: 'payment_intent.amount_capturable_updated',
    types: ['payment_intent.created', 'charge.succeeded', 'payment_intent.amount_capturable_updated'],
    check: (events) => expect(events.object('payment_intent.amount_capturable_updated')).toMatchObject({ status: 'requires_capture', latest_charge: expectChargeOf(events, 'charge.succeeded').charge.id }),
  },
  {
    name: 'payment_method.detached',
    types: ['customer.created', 'payment_method.attached', 'payment_method.detached'],
    check(events) {
      const detached = events.event('payment_method.detached');
      expect(detached.data.object).toMatchObject({ id: events.object('payment_method.attached').id, customer: null });
      expect(detached.data.previous_attributes).toEqual({ customer: events.object('customer.created').id });
    },
  },
  { name: 'setup_intent.created', types: ['setup_intent.created'] },
  { name: 'setup_intent.canceled', types: ['setup_intent.created', 'setup_intent.canceled'], check: (events) => expect(events.object('setup_intent.canceled').status).toBe('canceled') },
  {
    name: 'setup_intent.setup_failed',
    types: ['setup_intent.created', 'setup_intent.setup_failed'],
    check: (events) => expect(events.object('setup_intent.setup_failed').last_setup_error).toMatchObject({ type: 'card_error', code: 'card_declined' }),
  },
  { name: 'invoiceitem.created', types: ['customer.created', 'invoiceitem.created'] },
  { name: 'invoiceitem.deleted', types: ['customer.created', 'invoiceitem.created', 'invoiceitem.deleted'] },
  { name: 'invoice.created', types: ['customer.created', 'invoiceitem.created', 'invoice.created'], check: (events) => expect(expectInvoiceLinks(events, 'invoice.created').invoice.status).toBe('draft') },
  { name: 'invoice.deleted', types: ['customer.created', 'invoiceitem.created', 'invoice.created', 'invoice.deleted'], check: (events) => expectInvoiceLinks(events, 'invoice.deleted') },
  {
    name: 'subscription.payment_succeeded',
    types: [...SUBSCRIPTION_STARTED.slice(0, 2), 'customer.updated', ...SUBSCRIPTION_STARTED.slice(2)],
    check: (events) => expect(events.event('customer.updated').data.previous_attributes).toEqual({ invoice_settings: { default_payment_method: null } }),
  },
  {
    name: 'subscription.payment_failed',
    types: [...SUBSCRIPTION_STARTED.slice(0, 2), 'customer.updated', ...SUBSCRIPTION_STARTED.slice(2, 9), 'charge.failed', 'payment_intent.payment_failed', 'invoice.payment_failed'],
    check(events) {
      expectFailedPayment(events);
      const invoice = events.object('invoice.payment_failed');
      expect(invoice).toMatchObject({ status: 'open', attempted: true, customer: events.object('customer.created').id });
      expect(invoice.parent.subscription_details.subscription).toBe(events.object('customer.subscription.created').id);
    },
  },
];

describe('stripe trigger against the offline emulator', () => {
  // The billing triggers have their own table: emulator-triggers-billing.test.ts.
  test('every trigger in this table and emulator-triggers-payments.test.ts is listed as working offline', () => {
    expect(offlineTriggers).toEqual(expect.arrayContaining([...CASES.map((entry) => entry.name), ...PAYMENT_TRIGGER_CASES.map((entry) => entry.name)]));
  });

  test.each(CASES)('$name', async ({ name, types, check }) => {
    const before = published.length;
    const startedAt = performance.now();
    const result = await trigger(name);
    timings.push([name, performance.now() - startedAt]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Trigger succeeded!');

    // Every event is published before the request that caused it is answered.
    const events = new TriggerEvents(published.slice(before));
    expect(events.types()).toEqual(types);
    await check?.(events);

    // Through the real `stripe listen`: each event arrives byte for byte, signed with the secret.
    await expectDeliveredAsPublished(name, events, { deliveries, secret: emulator.secret });
    await waitFor(() => events.list.every((event) => listen!.stdout().includes(`--> ${event.type} [${event.id}]`)), { description: 'the CLI to print every event' });
  });

  test('a trigger whose fixture needs an endpoint the emulator lacks fails fast, naming the request', async () => {
    const before = published.length;
    const startedAt = performance.now();
    const result = await trigger('customer.created', ['--raw', UNKNOWN_ENDPOINT_FIXTURE]);
    const elapsed = performance.now() - startedAt;
    expect(result.exitCode).toBe(1);
    expect(elapsed).toBeLessThan(5_000);
    expect(result.stderr).toContain('Trigger failed: Request failed, status=404');
    expect(result.stderr).toContain('does not support POST /v1/climate/orders');
    expect(result.stderr).toContain('Triggers that work offline: ');
    expect(result.stderr).toContain('payment_intent.succeeded');
    expect(result.stderr).not.toContain(emulator.apiKey);
    expect(published.length).toBe(before);
  });
});

describe('the emulated API answers like Stripe', () => {
  const post = (path: string, form: Record<string, string>) =>
    fetch(`${emulator.apiBase}${path}`, { method: 'POST', headers: { ...emulatorAuth(emulator), 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });

  test('a declined card answers 402 with a card_error carrying the payment intent', async () => {
    const response = await post('/v1/payment_intents', { amount: '2000', currency: 'usd', confirm: 'true', payment_method: 'pm_card_chargeDeclined', 'payment_method_types[]': 'card' });
    expect(response.status).toBe(402);
    const requestId = response.headers.get('request-id');
    const { error } = (await response.json()) as { error: Obj };
    expect(error).toMatchObject({ type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' });
    expect(error.charge).toMatch(/^ch_/);
    expect(error.payment_intent).toMatchObject({ object: 'payment_intent', status: 'requires_payment_method', latest_charge: error.charge });
    expect(error.payment_method).toMatchObject({ object: 'payment_method', card: { last4: '0002' } });
    expect(error.request_log_url).toContain(requestId);
    // The decline's events name the request that caused them.
    const failed = published.find((event) => event.type === 'payment_intent.payment_failed' && (event.data.object as Obj).id === error.payment_intent.id)!;
    expect((failed.request as Obj).id).toBe(requestId);
  });

  test('a missing parameter and an unknown object get Stripe errors', async () => {
    const missing = await post('/v1/payment_intents', { currency: 'usd' });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: { code: 'parameter_missing', param: 'amount', message: 'Missing required param: amount.', type: 'invalid_request_error' } });
    const unknown = await post('/v1/refunds', { payment_intent: 'pi_missing' });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: Obj }).error).toMatchObject({ code: 'resource_missing', message: "No such payment_intent: 'pi_missing'" });
  });
});
