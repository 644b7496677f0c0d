/**
 * Confirming a payment intent with a card: the charge it makes, the state it leaves the intent in
 * and the events Stripe sends, in Stripe's order. Payment intents, invoices and Checkout all pay
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
import { declinesCharges, type TestCard } from './test-cards.js';

export type PaymentOutcome =
  | { ok: true; paymentIntent: StoredObject; charge: StoredObject }
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
