/**
 * Confirming a payment intent: with a card, the charge it makes, the state it leaves the intent in
 * and the events Stripe sends, in Stripe's order; SEPA debits and bank transfers go their own way
 * (sepa-debit-flow.ts, cash-balance.ts). Payment intents, invoices and Checkout all pay
 * through here, so a decline or a dispute looks the same whichever way it was reached.
 */
import { deepMerge } from '../deep-merge.js';
import type { StoredObject } from '../object-store.js';
import { createObjectContext, type ObjectContext } from '../objects/object-context.js';
import { balance, cardDeclined, charge as chargeObject, dispute as disputeObject } from '../objects/payments.js';
import { stripeError, type ApiResponse } from '../stripe-errors.js';
import type { ResolvedPaymentMethod } from './payment-methods.js';
import type { ResourceScope } from './resource-scope.js';
import { saveChanges } from './stored.js';
import { awaitBankTransfer } from './cash-balance.js';
import { debitBankAccount } from './sepa-debit-flow.js';
import { declinesCharges, type TestCard } from './test-cards.js';

export type PaymentOutcome =
  | { ok: true; paymentIntent: StoredObject; charge: StoredObject }
  /**
   * The intent waits: for the customer (3D Secure, a bank transfer: requires_action) or for the
   * bank (a debit: processing). `settles` is how a processing debit ends a moment later, if it does.
   */
  | { ok: 'pending'; paymentIntent: StoredObject; charge?: StoredObject; settles?: 'succeeded' | 'failed' }
  | { ok: false; paymentIntent: StoredObject; charge: StoredObject; error: ApiResponse };

const DECLINE_MESSAGES: Record<string, string> = {
  generic_decline: 'Your card was declined.',
  insufficient_funds: 'Your card has insufficient funds.',
};

/**
 * Charges the intent's amount to the card. Success with automatic capture sends charge.succeeded
 * and payment_intent.succeeded, then (Stripe captures asynchronously) charge.updated once the
 * balance transaction exists; manual capture stops at requires_capture; a decline sends
 * charge.failed and payment_intent.payment_failed and answers 402.
 */
export function payPaymentIntent(scope: ResourceScope, paymentIntent: StoredObject, method: ResolvedPaymentMethod): PaymentOutcome {
  const ctx = paymentContext(scope, paymentIntent, method.paymentMethod);
  if (method.paymentMethod.type === 'sepa_debit') return debitBankAccount(scope, ctx, paymentIntent, method);
  if (method.paymentMethod.type === 'customer_balance') return awaitBankTransfer(scope, paymentIntent, method.paymentMethod);
  if (method.card.outcome === 'authenticate') return requireAuthentication(scope, paymentIntent, method.paymentMethod);
  if (declinesCharges(method.card)) return decline(scope, ctx, paymentIntent, method);
  const manual = paymentIntent.capture_method === 'manual';
  const charge = scope.store.put(buildCharge(ctx, paymentIntent, method, manual ? 'authorized' : 'captured'));
  scope.emit('charge.succeeded', charge);
  if (manual) {
    const held = saveChanges(scope, paymentIntent, { status: 'requires_capture', amount_capturable: paymentIntent.amount, latest_charge: charge.id, payment_method: method.paymentMethod.id, last_payment_error: null });
    scope.emit('payment_intent.amount_capturable_updated', held, { amount_capturable: 0 });
    return { ok: true, paymentIntent: held, charge };
  }
  const succeeded = saveChanges(scope, paymentIntent, { status: 'succeeded', amount_received: paymentIntent.amount, latest_charge: charge.id, payment_method: method.paymentMethod.id, last_payment_error: null });
  scope.emit('payment_intent.succeeded', succeeded);
  const settled = settleCharge(scope, ctx, charge);
  if (method.card.availableAtOnce === true) scope.emitLater('balance.available', availableBalance(settled));
  raiseDispute(scope, ctx, settled, method.card);
  return { ok: true, paymentIntent: succeeded, charge: settled };
}

/**
 * A card whose bank wants 3D Secure: no charge yet, the intent waits for the customer in
 * requires_action, with what Stripe.js needs to show the challenge (payment_intent.requires_action).
 */
function requireAuthentication(scope: ResourceScope, paymentIntent: StoredObject, paymentMethod: StoredObject): PaymentOutcome {
  const waiting = saveChanges(scope, paymentIntent, {
    last_payment_error: null,
    next_action: threeDSecureAction(createObjectContext(scope.created)),
    payment_method: paymentMethod.id,
    status: 'requires_action',
  });
  scope.emit('payment_intent.requires_action', waiting);
  return { ok: 'pending', paymentIntent: waiting };
}

/** The next_action of an intent waiting for 3D Secure, for payment and setup intents alike. */
export function threeDSecureAction(ctx: ObjectContext): Record<string, unknown> {
  return {
    type: 'use_stripe_sdk',
    use_stripe_sdk: {
      directory_server_encryption: { algorithm: 'RSA', certificate: '', directory_server_id: 'A000000003', root_certificate_authorities: [] },
      directory_server_name: 'visa',
      merchant: ctx.id('acct'),
      one_click_authn: null,
      server_transaction_id: ctx.id('3ds'),
      three_d_secure_2_source: ctx.id('payatt'),
      three_ds_method_url: '',
      three_ds_optimizations: 'kf',
      type: 'stripe_3ds2_fingerprint',
    },
  };
}

/** The balance transaction of a captured charge arrives a moment later, as a charge.updated. */
export function settleCharge(scope: ResourceScope, ctx: ObjectContext, charge: StoredObject): StoredObject {
  const settled = saveChanges(scope, charge, { balance_transaction: ctx.id('txn') });
  scope.emitLater('charge.updated', settled, { balance_transaction: null });
  return settled;
}

function availableBalance(charge: StoredObject): Record<string, unknown> {
  const amount = charge.amount as number;
  return deepMerge(balance(), { available: [{ amount, currency: charge.currency, source_types: { card: amount } }], pending: [{ amount: 0, currency: charge.currency, source_types: { card: 0 } }] });
}

/** Ids the objects of one payment share: the charge names the intent, its customer and its method. */
export function paymentContext(scope: ResourceScope, paymentIntent: StoredObject, paymentMethod: StoredObject): ObjectContext {
  const known: Record<string, string> = { pi: paymentIntent.id, pm: paymentMethod.id };
  if (typeof paymentIntent.customer === 'string') known.cus = paymentIntent.customer;
  return createObjectContext(scope.created, known);
}

type ChargeState = 'captured' | 'authorized' | 'failed';

function buildCharge(ctx: ObjectContext, paymentIntent: StoredObject, { paymentMethod, card }: ResolvedPaymentMethod, state: ChargeState): StoredObject {
  const amount = paymentIntent.amount as number;
  const failed = state === 'failed';
  const declineCode = card.declineCode ?? 'generic_decline';
  const overrides: Record<string, unknown> = {
    amount,
    amount_captured: state === 'captured' ? amount : 0,
    // Captured asynchronously: the balance transaction is not there yet (charge.updated brings it).
    balance_transaction: null,
    billing_details: paymentMethod.billing_details,
    captured: state === 'captured',
    currency: paymentIntent.currency,
    customer: paymentIntent.customer ?? null,
    description: paymentIntent.description ?? null,
    metadata: paymentIntent.metadata ?? {},
    payment_method_details: {
      card: {
        amount_authorized: failed ? null : amount,
        brand: card.brand,
        funding: card.funding,
        last4: card.last4,
        overcapture: { maximum_amount_capturable: amount, status: 'unavailable' },
      },
      type: 'card',
    },
    receipt_email: paymentIntent.receipt_email ?? null,
    shipping: paymentIntent.shipping ?? null,
  };
  if (failed) {
    overrides.failure_message = DECLINE_MESSAGES[declineCode] ?? DECLINE_MESSAGES.generic_decline;
    overrides.outcome = { reason: declineCode };
  }
  return deepMerge(chargeObject(ctx, failed ? 'failed' : 'succeeded'), overrides) as StoredObject;
}

function decline(scope: ResourceScope, ctx: ObjectContext, paymentIntent: StoredObject, method: ResolvedPaymentMethod): PaymentOutcome {
  const charge = scope.store.put(buildCharge(ctx, paymentIntent, method, 'failed'));
  const declineCode = method.card.declineCode ?? 'generic_decline';
  const lastPaymentError = {
    ...cardDeclined(ctx),
    charge: charge.id,
    decline_code: declineCode,
    message: DECLINE_MESSAGES[declineCode] ?? DECLINE_MESSAGES.generic_decline,
    payment_method: method.paymentMethod,
  };
  const failed = saveChanges(scope, paymentIntent, { status: 'requires_payment_method', last_payment_error: lastPaymentError, latest_charge: charge.id, payment_method: null });
  scope.emit('charge.failed', charge);
  scope.emit('payment_intent.payment_failed', failed);
  return { ok: false, paymentIntent: failed, charge, error: cardError(scope, lastPaymentError, { payment_intent: failed }) };
}

/** Stripe's 402 for a declined card: the decline, plus the payment intent it left behind. */
export function cardError(scope: ResourceScope, lastError: Record<string, unknown>, intent: { payment_intent: StoredObject } | { setup_intent: StoredObject }): ApiResponse {
  const { message, type: _type, ...details } = lastError;
  return stripeError(402, 'card_error', String(message), {
    ...details,
    ...intent,
    request_log_url: `https://dashboard.stripe.com/test/logs/${scope.request.requestId}?t=${scope.created}`,
  });
}

/**
 * The dispute test cards: the bank disputes the charge right after it succeeds. An inquiry only
 * asks questions (no money moves); a chargeback takes the funds, which sends funds_withdrawn.
 */
function raiseDispute(scope: ResourceScope, ctx: ObjectContext, charge: StoredObject, card: TestCard): void {
  if (card.outcome !== 'dispute' && card.outcome !== 'dispute_inquiry') return;
  const inquiry = card.outcome === 'dispute_inquiry';
  const disputeCtx = createObjectContext(scope.created, { ch: charge.id, pi: String(charge.payment_intent) });
  const dispute = scope.store.put(
    deepMerge(disputeObject(disputeCtx), {
      amount: charge.amount,
      currency: charge.currency,
      balance_transactions: [],
      is_charge_refundable: inquiry,
      payment_method_details: { card: { brand: card.brand, case_type: inquiry ? 'inquiry' : 'chargeback', network_reason_code: inquiry ? null : '10.4' }, type: 'card' },
      reason: inquiry ? 'general' : 'fraudulent',
      status: inquiry ? 'warning_needs_response' : 'needs_response',
    }) as StoredObject,
  );
  saveChanges(scope, charge, { disputed: true });
  scope.emitLater('charge.dispute.created', dispute);
  if (inquiry) return;
  const withdrawn = saveChanges(scope, dispute, { balance_transactions: [disputeCtx.id('txn:dispute')] });
  scope.emitLater('charge.dispute.funds_withdrawn', withdrawn);
}
