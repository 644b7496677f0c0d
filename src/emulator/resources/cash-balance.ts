/**
 * Customer cash balances: bank transfers a customer sends (`POST
 * /v1/test_helpers/customers/:id/fund_cash_balance` stands in for the bank) land in their cash
 * balance, which pays the payment intents waiting for a transfer (automatic reconciliation, oldest
 * first). What is left over is announced as cash_balance.funds_available. The balance is the
 * ledger: each transaction records the balance it ends with.
 */
import type Stripe from 'stripe';
import type { StoredObject } from '../object-store.js';
import { appliedTransaction, bankTransferInstructions, cashBalance, fundedTransaction } from '../objects/cash-balance.js';
import { createObjectContext } from '../objects/object-context.js';
import { invalidRequest } from '../stripe-errors.js';
import { optionalString, requiredInteger, requiredString } from './params.js';
import type { PaymentOutcome } from './payment-flow.js';
import type { ResourceRoute, ResourceScope } from './resource-scope.js';
import { findObject, saveChanges, storeTyped } from './stored.js';

export function cashBalanceRoutes(): ResourceRoute[] {
  return [
    { method: 'POST', path: '/v1/test_helpers/customers/:id/fund_cash_balance', handle: fundCashBalance },
    { method: 'GET', path: '/v1/customers/:id/cash_balance', handle: readCashBalance },
  ];
}

const TRANSACTION = 'customer_cash_balance_transaction';

/** The customer's balance in each currency: the ending balance of its newest transaction there. */
function balances(scope: ResourceScope, customer: string): Record<string, number> {
  const available: Record<string, number> = {};
  for (const transaction of scope.store.list(TRANSACTION)) {
    if (transaction.customer !== customer) continue;
    const currency = String(transaction.currency);
    available[currency] ??= transaction.ending_balance as number;
  }
  return available;
}

function readCashBalance(scope: ResourceScope): { status: number; body: Stripe.CashBalance } {
  const customer = findObject(scope, 'customer', scope.request.params.id ?? '', { label: 'customer' });
  return { status: 200, body: cashBalance(customer.id, balances(scope, customer.id)) };
}

function fundCashBalance(scope: ResourceScope): StoredObject {
  const { form } = scope.request;
  const customer = findObject(scope, 'customer', scope.request.params.id ?? '', { label: 'customer' });
  const amount = requiredInteger(form, 'amount');
  if (amount <= 0) throw invalidRequest('This value must be greater than or equal to 1.', { param: 'amount' });
  const currency = requiredString(form, 'currency').toLowerCase();
  const before = balances(scope, customer.id)[currency] ?? 0;
  const funded = storeTyped(scope, fundedTransaction(createObjectContext(scope.created), { customer: customer.id, currency, netAmount: amount, endingBalance: before + amount }, optionalString(form, 'reference') ?? null));
  scope.emit('customer_cash_balance_transaction.created', funded);
  const left = reconcile(scope, customer.id, currency, before + amount);
  if (left > 0) scope.emit('cash_balance.funds_available', cashBalance(customer.id, { ...balances(scope, customer.id), [currency]: left }) as unknown as StoredObject);
  return funded;
}

/**
 * Applies the balance to the customer's intents waiting for a transfer in that currency: each
 * application is a transaction; a fully paid intent succeeds, a partly paid one sends
 * payment_intent.partially_funded with what remains. Returns the balance left.
 */
function reconcile(scope: ResourceScope, customer: string, currency: string, balance: number): number {
  const waiting = scope.store.list('payment_intent').reverse().filter((intent) => intent.customer === customer && intent.currency === currency && awaitedAmount(intent) !== undefined);
  let left = balance;
  for (const intent of waiting) {
    if (left === 0) break;
    const remaining = awaitedAmount(intent)!;
    const applied = Math.min(left, remaining);
    left -= applied;
    const transaction = storeTyped(scope, appliedTransaction(createObjectContext(scope.created), { customer, currency, netAmount: -applied, endingBalance: left }, intent.id));
    scope.emit('customer_cash_balance_transaction.created', transaction);
    if (applied === remaining) {
      scope.emit('payment_intent.succeeded', saveChanges(scope, intent, { amount_received: intent.amount, next_action: null, status: 'succeeded' }));
    } else {
      const action = intent.next_action as Stripe.PaymentIntent.NextAction;
      const nextAction = { ...action, display_bank_transfer_instructions: { ...action.display_bank_transfer_instructions, amount_remaining: remaining - applied } };
      scope.emit('payment_intent.partially_funded', saveChanges(scope, intent, { next_action: nextAction }));
    }
  }
  return left;
}

function awaitedAmount(intent: StoredObject): number | undefined {
  if (intent.status !== 'requires_action') return undefined;
  const action = intent.next_action as Stripe.PaymentIntent.NextAction | null;
  return action?.display_bank_transfer_instructions?.amount_remaining ?? undefined;
}

/**
 * Confirming an intent with customer_balance: it waits in requires_action for a bank transfer,
 * showing the instructions (payment_intent.requires_action); a balance already there pays it at once.
 */
export function awaitBankTransfer(scope: ResourceScope, paymentIntent: StoredObject, paymentMethod: StoredObject): PaymentOutcome {
  if (typeof paymentIntent.customer !== 'string') throw invalidRequest('A PaymentIntent paid with customer_balance needs a customer.', { param: 'customer' });
  const currency = String(paymentIntent.currency);
  const waiting = saveChanges(scope, paymentIntent, {
    next_action: bankTransferInstructions(createObjectContext(scope.created), currency, paymentIntent.amount as number),
    payment_method: paymentMethod.id,
    status: 'requires_action',
  });
  scope.emit('payment_intent.requires_action', waiting);
  const balance = balances(scope, paymentIntent.customer)[currency] ?? 0;
  if (balance > 0) reconcile(scope, paymentIntent.customer, currency, balance);
  return { ok: 'pending', paymentIntent: scope.store.get('payment_intent', paymentIntent.id) ?? waiting };
}
