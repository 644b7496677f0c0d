/**
 * Paying a payment intent by SEPA Direct Debit: the debit is submitted (charge.pending,
 * payment_intent.processing) and settles days later in live mode, a moment later with Stripe's
 * test IBANs (charge.succeeded and payment_intent.succeeded, or charge.failed and
 * payment_intent.payment_failed). The IBAN that settles after minutes stays processing here.
 */
import { deepMerge } from '../deep-merge.js';
import type { StoredObject } from '../object-store.js';
import type { ObjectContext } from '../objects/object-context.js';
import { charge as chargeObject } from '../objects/payments.js';
import type { PaymentOutcome } from './payment-flow.js';
import type { ResolvedPaymentMethod } from './payment-methods.js';
import type { ResourceScope } from './resource-scope.js';
import { saveChanges } from './stored.js';

const DAY = 24 * 60 * 60;
const INSUFFICIENT_FUNDS = "The customer's account has insufficient funds to cover this payment.";

export function debitBankAccount(scope: ResourceScope, ctx: ObjectContext, paymentIntent: StoredObject, { paymentMethod, card: account }: ResolvedPaymentMethod): PaymentOutcome {
  const charge = scope.store.put(pendingCharge(ctx, paymentIntent, paymentMethod));
  const processing = saveChanges(scope, paymentIntent, { last_payment_error: null, latest_charge: charge.id, payment_method: paymentMethod.id, status: 'processing' });
  scope.emit('charge.pending', charge);
  scope.emit('payment_intent.processing', processing);
  if (account.outcome === 'delayed') return { ok: 'pending', paymentIntent: processing, charge };
  const settles = account.outcome === 'decline' ? 'failed' : 'succeeded';
  if (settles === 'succeeded') {
    scope.emitLater('charge.succeeded', saveChanges(scope, charge, { paid: true, status: 'succeeded' }));
    scope.emitLater('payment_intent.succeeded', saveChanges(scope, processing, { amount_received: paymentIntent.amount, status: 'succeeded' }));
  } else {
    const failed = saveChanges(scope, charge, {
      failure_balance_transaction: ctx.id('txn:failure'),
      failure_code: 'insufficient_funds',
      failure_message: INSUFFICIENT_FUNDS,
      outcome: { ...(charge.outcome as object), network_status: 'declined_by_network', reason: 'insufficient_funds', seller_message: 'The bank returned the debit.', type: 'issuer_declined' },
      status: 'failed',
    });
    scope.emitLater('charge.failed', failed);
    scope.emitLater('payment_intent.payment_failed', saveChanges(scope, processing, {
      last_payment_error: { code: 'insufficient_funds', doc_url: 'https://stripe.com/docs/error-codes/insufficient-funds', message: INSUFFICIENT_FUNDS, payment_method: paymentMethod, type: 'card_error' },
      payment_method: null,
      status: 'requires_payment_method',
    }));
  }
  return { ok: 'pending', paymentIntent: processing, charge, settles };
}

/** The charge while the debit is with the bank: captured, not yet paid, the mandate named. */
function pendingCharge(ctx: ObjectContext, paymentIntent: StoredObject, paymentMethod: StoredObject): StoredObject {
  const amount = paymentIntent.amount as number;
  const { generated_from: _generatedFrom, ...account } = paymentMethod.sepa_debit as Record<string, unknown>;
  const base = deepMerge(chargeObject(ctx, 'succeeded'), {
    amount,
    amount_captured: amount,
    balance_transaction: ctx.id('txn'),
    billing_details: paymentMethod.billing_details,
    calculated_statement_descriptor: 'WEBHOOK-DEV',
    customer: paymentIntent.customer ?? null,
    currency: paymentIntent.currency,
    description: paymentIntent.description ?? null,
    metadata: paymentIntent.metadata ?? {},
    outcome: { advice_code: null, network_advice_code: null, network_decline_code: null, network_status: 'approved_by_network', reason: null, risk_level: 'not_assessed', risk_score: null, seller_message: 'Payment complete.', type: 'authorized' },
    paid: false,
    receipt_email: paymentIntent.receipt_email ?? null,
    shipping: paymentIntent.shipping ?? null,
    status: 'pending',
  });
  return {
    ...base,
    payment_method_details: { sepa_debit: { ...account, expected_debit_date: new Date((ctx.created + 2 * DAY) * 1000).toISOString().slice(0, 10), mandate: ctx.id('mandate') }, type: 'sepa_debit' },
  } as unknown as StoredObject;
}
