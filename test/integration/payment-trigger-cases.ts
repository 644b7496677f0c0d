/**
 * The payments, Connect and Issuing triggers the emulator runs offline: for each, the events
 * Stripe sends in Stripe's order and the links between their objects. Run against the real Stripe
 * CLI by emulator-triggers-payments.test.ts; emulator-triggers.test.ts checks that the two tables
 * together cover the emulator's whole list.
 */
import { expect } from 'vitest';
import type { Obj, TriggerEvents } from '../helpers/trigger-events.js';

export interface PaymentTriggerCase {
  name: string;
  types: string[];
  /** Events that are Connect events of the account the trigger made (account.* on a connected account). */
  connect?: string[];
  check?: (events: TriggerEvents) => void;
}

const PAYMENT_SUCCEEDED = ['payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded', 'charge.updated'];
const FUNDED_PAYMENT = [...PAYMENT_SUCCEEDED, 'balance.available'];
const CARDHOLDER = ['issuing_cardholder.created'];
const CARD = [...CARDHOLDER, 'issuing_card.created'];

function expectCardholder(events: TriggerEvents, country: string): Obj {
  const cardholder = events.object('issuing_cardholder.created');
  expect(cardholder).toMatchObject({ object: 'issuing.cardholder', name: 'My Cardholder', type: 'individual', status: 'active', billing: { address: { country } } });
  expect(cardholder.id).toMatch(/^ich_/);
  expect(cardholder.individual).toMatchObject({ first_name: 'My', last_name: 'Cardholder', card_issuing: { user_terms_acceptance: { date: 1470266163, ip: '91.121.146.224' } } });
  return cardholder;
}

function expectCard(events: TriggerEvents, currency: string, status: string): Obj {
  const card = events.object('issuing_card.created');
  expect(card).toMatchObject({ object: 'issuing.card', currency, status, type: 'virtual', brand: 'Visa' });
  expect(card.id).toMatch(/^ic_/);
  expect(card.last4).toMatch(/^\d{4}$/);
  // The card embeds its cardholder, as Stripe expands it.
  expect(card.cardholder).toEqual(events.object('issuing_cardholder.created'));
  return card;
}

function issuingCases(suffix: '' | '.eu' | '.gb', country: string, currency: string): PaymentTriggerCase[] {
  return [
    { name: `issuing_cardholder.created${suffix}`, types: CARDHOLDER, check: (events) => void expectCardholder(events, country) },
    {
      name: `issuing_card.created${suffix}`,
      types: CARD,
      check(events) {
        expectCardholder(events, country);
        expectCard(events, currency, 'inactive');
      },
    },
    {
      name: `issuing_authorization.request${suffix}`,
      types: [...CARD, 'issuing_authorization.request', 'issuing_authorization.created'],
      check(events) {
        const card = expectCard(events, currency, 'active');
        const request = events.object('issuing_authorization.request');
        const created = events.object('issuing_authorization.created');
        expect(request.id).toBe(created.id);
        expect(request).toMatchObject({ approved: false, status: 'pending', pending_request: { amount: 100, currency } });
        expect(created).toMatchObject({ object: 'issuing.authorization', approved: true, status: 'pending', amount: 100, currency, authorization_method: 'online', pending_request: null, cardholder: card.cardholder.id });
        expect(created.card.id).toBe(card.id);
        expect(created.request_history[0]).toMatchObject({ approved: true, amount: 100 });
      },
    },
  ];
}

function expectTransaction(events: TriggerEvents): Obj {
  const card = events.object('issuing_card.created');
  const transaction = events.object('issuing_transaction.created');
  expect(transaction).toMatchObject({ object: 'issuing.transaction', type: 'capture', amount: -100, currency: 'usd', card: card.id, cardholder: card.cardholder.id, authorization: null });
  return transaction;
}

const issuing: PaymentTriggerCase[] = [
  ...issuingCases('', 'US', 'usd'),
  ...issuingCases('.eu', 'ES', 'eur'),
  ...issuingCases('.gb', 'GB', 'gbp'),
  { name: 'issuing_transaction.created', types: [...CARD, 'issuing_transaction.created'], check: (events) => void expectTransaction(events) },
  {
    name: 'issuing_transaction.updated',
    types: [...CARD, 'issuing_transaction.created', 'issuing_transaction.updated'],
    check(events) {
      const updated = events.event('issuing_transaction.updated');
      expect(updated.data.object).toMatchObject({ id: expectTransaction(events).id, metadata: { order_id: '6735' } });
      expect(updated.data.previous_attributes).toEqual({ metadata: { order_id: null } });
    },
  },
  {
    name: 'issuing_transaction.purchase_details_receipt_updated',
    types: [...CARD, 'issuing_transaction.created', 'issuing_transaction.purchase_details_receipt_updated'],
    check(events) {
      const transaction = expectTransaction(events);
      expect(transaction.merchant_data).toMatchObject({ category: 'taxicabs_limousines', category_code: '4121', name: 'Rocket Rides', network_id: '1234567890' });
      const receipt = events.event('issuing_transaction.purchase_details_receipt_updated');
      expect((receipt.data.object as Obj).purchase_details.receipt).toEqual([{ description: 'Ride from SFO to downtown', quantity: 1, total: 10000, unit_cost: 10000 }]);
      // Stripe processes the receipt after the capture: no request caused it.
      expect(receipt.request).toEqual({ id: null, idempotency_key: null });
    },
  },
];

function expectTransfer(events: TriggerEvents): Obj {
  const transfer = events.object('transfer.created');
  expect(transfer).toMatchObject({ object: 'transfer', amount: 1000, currency: 'usd', amount_reversed: 0, reversed: false });
  expect(transfer.destination).toMatch(/^acct_/);
  return transfer;
}

const connect: PaymentTriggerCase[] = [
  {
    name: 'account.updated',
    types: ['account.updated'],
    connect: ['account.updated'],
    check(events) {
      const updated = events.event('account.updated');
      expect(updated.data.object).toMatchObject({ object: 'account', type: 'standard', metadata: { foo: 'bar' }, charges_enabled: false });
      expect(updated.data.previous_attributes).toEqual({ metadata: { foo: null } });
      // A Connect event: it names the connected account it happened on.
      expect(updated.account).toBe(updated.data.object.id);
    },
  },
  {
    name: 'account.application.deauthorized',
    types: ['account.application.deauthorized'],
    connect: ['account.application.deauthorized'],
    check(events) {
      const event = events.event('account.application.deauthorized');
      expect(event.data.object).toMatchObject({ object: 'application', name: null });
      expect(event.data.object.id).toMatch(/^ca_/);
      expect(event.account).toMatch(/^acct_/);
    },
  },
  { name: 'transfer.created', types: [...FUNDED_PAYMENT, 'transfer.created'], check: (events) => void expectTransfer(events) },
  {
    name: 'transfer.updated',
    types: [...FUNDED_PAYMENT, 'transfer.created', 'transfer.updated'],
    check(events) {
      const updated = events.event('transfer.updated');
      expect(updated.data.object).toMatchObject({ id: expectTransfer(events).id, metadata: { foo: 'bar' } });
      expect(updated.data.previous_attributes).toEqual({ metadata: { foo: null } });
    },
  },
  {
    name: 'transfer.reversed',
    types: [...FUNDED_PAYMENT, 'transfer.created', 'transfer.reversed'],
    check(events) {
      const reversed = events.object('transfer.reversed');
      expect(reversed).toMatchObject({ id: expectTransfer(events).id, amount_reversed: 100, reversed: false });
      expect(reversed.reversals.data).toHaveLength(1);
      expect(reversed.reversals.data[0]).toMatchObject({ object: 'transfer_reversal', amount: 100, transfer: reversed.id });
    },
  },
];

function expectMetadataUpdate(events: TriggerEvents, type: string, created: Obj, key = 'foo', value = 'bar'): void {
  const updated = events.event(type);
  expect(updated.data.object).toMatchObject({ id: created.id, metadata: { [key]: value } });
  expect(updated.data.previous_attributes).toEqual({ metadata: { [key]: null } });
}

const balance: PaymentTriggerCase[] = [
  {
    name: 'payout.created',
    types: [...FUNDED_PAYMENT, 'payout.created'],
    check: (events) => expect(events.object('payout.created')).toMatchObject({ object: 'payout', amount: 1100, currency: 'usd', status: 'pending', method: 'standard', description: '(created by Stripe CLI)' }),
  },
  { name: 'payout.updated', types: [...FUNDED_PAYMENT, 'payout.created', 'payout.updated'], check: (events) => expectMetadataUpdate(events, 'payout.updated', events.object('payout.created')) },
  {
    name: 'topup.created',
    types: ['topup.created'],
    check: (events) => expect(events.object('topup.created')).toMatchObject({ object: 'topup', amount: 2000, currency: 'usd', status: 'pending', description: '(created by Stripe CLI)' }),
  },
  {
    name: 'reporting.report_run.succeeded',
    types: ['reporting.report_run.succeeded'],
    check(events) {
      const run = events.object('reporting.report_run.succeeded');
      expect(run).toMatchObject({ object: 'reporting.report_run', report_type: 'balance.summary.1', status: 'succeeded', parameters: { interval_start: 1641045832, interval_end: 1646143432 } });
      expect(run.result).toMatchObject({ object: 'file', purpose: 'finance_report_run', type: 'csv' });
      expect(events.event('reporting.report_run.succeeded').request).toEqual({ id: null, idempotency_key: null });
    },
  },
];

const identity: PaymentTriggerCase[] = [
  {
    name: 'identity.verification_session.created',
    types: ['identity.verification_session.created'],
    check(events) {
      const session = events.object('identity.verification_session.created');
      expect(session).toMatchObject({ object: 'identity.verification_session', type: 'document', status: 'requires_input', options: { document: { require_matching_selfie: true } } });
      expect(session.url).toMatch(/^https:\/\/verify\.stripe\.com\//);
    },
  },
  {
    name: 'identity.verification_session.canceled',
    types: ['identity.verification_session.created', 'identity.verification_session.canceled'],
    check: (events) => expect(events.object('identity.verification_session.canceled')).toMatchObject({ id: events.object('identity.verification_session.created').id, status: 'canceled', url: null, client_secret: null }),
  },
  {
    name: 'identity.verification_session.redacted',
    types: ['identity.verification_session.created', 'identity.verification_session.canceled', 'identity.verification_session.redacted'],
    check: (events) => expect(events.object('identity.verification_session.redacted')).toMatchObject({ status: 'canceled', redaction: { status: 'redacted' } }),
  },
];

function expectFunded(events: TriggerEvents, amount: number, currency: string): Obj {
  const customer = events.object('customer.created');
  const funded = events.all('customer_cash_balance_transaction.created')[0]!.data.object as Obj;
  expect(funded).toMatchObject({ type: 'funded', customer: customer.id, currency, net_amount: amount, ending_balance: amount });
  return customer;
}

const cashBalance: PaymentTriggerCase[] = ['cash_balance.funds_available', 'customer_cash_balance_transaction.created'].map((name) => ({
  name,
  types: ['customer.created', 'customer_cash_balance_transaction.created', 'cash_balance.funds_available'],
  check(events: TriggerEvents) {
    const customer = expectFunded(events, 1000, 'usd');
    expect(events.object('customer_cash_balance_transaction.created').funded.bank_transfer.type).toBe('us_bank_transfer');
    expect(events.object('cash_balance.funds_available')).toEqual({ object: 'cash_balance', available: { usd: 1000 }, customer: customer.id, customer_account: null, livemode: false, settings: { reconciliation_mode: 'automatic', using_merchant_default: true } });
  },
}));

const disputes: PaymentTriggerCase[] = [
  {
    name: 'charge.dispute.closed',
    types: [...PAYMENT_SUCCEEDED, 'charge.dispute.created', 'charge.dispute.closed'],
    check(events) {
      const closed = events.event('charge.dispute.closed');
      expect(closed.data.object).toMatchObject({ id: events.object('charge.dispute.created').id, status: 'warning_closed' });
      expect(closed.data.previous_attributes).toEqual({ status: 'warning_needs_response' });
    },
  },
  { name: 'charge.dispute.updated', types: [...PAYMENT_SUCCEEDED, 'charge.dispute.created', 'charge.dispute.updated'], check: (events) => expectMetadataUpdate(events, 'charge.dispute.updated', events.object('charge.dispute.created')) },
];

const sources: PaymentTriggerCase[] = [
  {
    name: 'customer.source.created',
    types: ['customer.created', 'customer.source.created', 'customer.updated'],
    check(events) {
      const customer = events.object('customer.created');
      const source = events.object('customer.source.created');
      expect(source).toMatchObject({ object: 'card', brand: 'Visa', last4: '4242', customer: customer.id });
      expect(source.id).toMatch(/^card_/);
      const updated = events.event('customer.updated');
      expect(updated.data.object).toMatchObject({ id: customer.id, default_source: source.id });
      expect(updated.data.previous_attributes).toEqual({ default_source: null });
    },
  },
  {
    name: 'customer.source.updated',
    types: ['customer.created', 'customer.source.created', 'customer.updated', 'customer.source.updated'],
    check: (events) => expectMetadataUpdate(events, 'customer.source.updated', events.object('customer.source.created')),
  },
];

const updates: PaymentTriggerCase[] = [
  {
    name: 'charge.refund.updated',
    types: [...PAYMENT_SUCCEEDED, 'charge.refunded', 'refund.created', 'charge.refund.updated', 'refund.updated'],
    check(events) {
      expectMetadataUpdate(events, 'charge.refund.updated', events.object('refund.created'), 'order_id', '6735');
      expect(events.object('refund.updated')).toEqual(events.object('charge.refund.updated'));
    },
  },
  {
    name: 'payment_method.updated',
    types: ['customer.created', 'setup_intent.created', 'payment_method.attached', 'setup_intent.succeeded', 'payment_method.updated'],
    check: (events) => expectMetadataUpdate(events, 'payment_method.updated', events.object('payment_method.attached')),
  },
];

function expectSepaDebit(events: TriggerEvents, amount: number): { pi: Obj; charge: Obj } {
  const pi = events.object('payment_intent.created');
  const charge = events.object('charge.pending');
  expect(charge).toMatchObject({ status: 'pending', paid: false, payment_intent: pi.id, amount, currency: 'eur', payment_method_details: { type: 'sepa_debit' } });
  expect(charge.payment_method_details.sepa_debit.mandate).toMatch(/^mandate_/);
  expect(events.object('payment_intent.processing')).toMatchObject({ id: pi.id, status: 'processing', latest_charge: charge.id, payment_method_types: ['sepa_debit'] });
  return { pi, charge };
}

const CHECKOUT_SEPA = ['product.created', 'price.created', 'payment_intent.created', 'charge.pending', 'payment_intent.processing', 'checkout.session.completed'];

const paymentMethods: PaymentTriggerCase[] = [
  {
    name: 'payment_intent.processing',
    types: ['payment_intent.created', 'charge.pending', 'payment_intent.processing'],
    check(events) {
      const { charge } = expectSepaDebit(events, 1000);
      expect(charge.payment_method_details.sepa_debit).toMatchObject({ country: 'AT', last4: '3204', bank_code: '19043' });
      expect(charge.billing_details).toMatchObject({ name: 'Bob', email: 'bob@example.com' });
    },
  },
  {
    name: 'checkout.session.async_payment_succeeded',
    types: [...CHECKOUT_SEPA, 'charge.succeeded', 'payment_intent.succeeded', 'checkout.session.async_payment_succeeded'],
    check(events) {
      const { pi, charge } = expectSepaDebit(events, 3000);
      expect(events.object('checkout.session.completed')).toMatchObject({ payment_status: 'unpaid', status: 'complete', payment_intent: pi.id });
      expect(events.object('charge.succeeded')).toMatchObject({ id: charge.id, status: 'succeeded', paid: true });
      expect(events.object('payment_intent.succeeded')).toMatchObject({ id: pi.id, status: 'succeeded', amount_received: 3000 });
      expect(events.object('checkout.session.async_payment_succeeded')).toMatchObject({ payment_status: 'paid', payment_intent: pi.id });
      expect(events.event('checkout.session.async_payment_succeeded').request).toEqual({ id: null, idempotency_key: null });
    },
  },
  {
    name: 'checkout.session.async_payment_failed',
    types: [...CHECKOUT_SEPA, 'charge.failed', 'payment_intent.payment_failed', 'checkout.session.async_payment_failed'],
    check(events) {
      const { pi, charge } = expectSepaDebit(events, 3000);
      expect(events.object('charge.failed')).toMatchObject({ id: charge.id, status: 'failed', failure_code: 'insufficient_funds' });
      expect(events.object('payment_intent.payment_failed')).toMatchObject({ id: pi.id, status: 'requires_payment_method', last_payment_error: { code: 'insufficient_funds' } });
      expect(events.object('checkout.session.async_payment_failed')).toMatchObject({ payment_status: 'unpaid', payment_intent: pi.id });
    },
  },
  {
    name: 'payment_intent.partially_funded',
    types: ['customer.created', 'payment_intent.created', 'payment_intent.requires_action', 'customer_cash_balance_transaction.created', 'customer_cash_balance_transaction.created', 'payment_intent.partially_funded'],
    check(events) {
      const customer = expectFunded(events, 10000, 'jpy');
      const pi = events.object('payment_intent.created');
      expect(events.object('payment_intent.requires_action').next_action).toMatchObject({ type: 'display_bank_transfer_instructions', display_bank_transfer_instructions: { amount_remaining: 20000, currency: 'jpy', type: 'jp_bank_transfer' } });
      expect(events.object('customer_cash_balance_transaction.created')).toMatchObject({ type: 'applied_to_payment', applied_to_payment: { payment_intent: pi.id }, net_amount: -10000, ending_balance: 0, customer: customer.id });
      expect(events.object('payment_intent.partially_funded')).toMatchObject({ id: pi.id, status: 'requires_action', next_action: { display_bank_transfer_instructions: { amount_remaining: 10000 } } });
    },
  },
  {
    name: 'payment_intent.requires_action',
    types: ['payment_intent.created', 'payment_intent.requires_action'],
    check(events) {
      const pi = events.object('payment_intent.requires_action');
      expect(pi).toMatchObject({ id: events.object('payment_intent.created').id, status: 'requires_action', latest_charge: null, next_action: { type: 'use_stripe_sdk' } });
      expect(pi.payment_method).toMatch(/^pm_/);
    },
  },
  {
    name: 'setup_intent.requires_action',
    types: ['setup_intent.created', 'setup_intent.requires_action'],
    check: (events) => expect(events.object('setup_intent.requires_action')).toMatchObject({ id: events.object('setup_intent.created').id, status: 'requires_action', next_action: { type: 'use_stripe_sdk' } }),
  },
  {
    name: 'invoice.payment_action_required',
    types: ['customer.created', 'payment_method.attached', 'invoiceitem.created', 'invoice.created', 'invoice.finalized', 'payment_intent.created', 'payment_intent.requires_action', 'invoice.payment_action_required'],
    check(events) {
      const invoice = events.object('invoice.payment_action_required');
      expect(invoice).toMatchObject({ id: events.object('invoice.created').id, status: 'open', attempted: true, amount_paid: 0 });
      expect(events.object('payment_intent.requires_action')).toMatchObject({ status: 'requires_action', payment_method: events.object('payment_method.attached').id });
    },
  },
];

export const PAYMENT_TRIGGER_CASES: readonly PaymentTriggerCase[] = [...issuing, ...connect, ...balance, ...identity, ...cashBalance, ...disputes, ...sources, ...updates, ...paymentMethods];
