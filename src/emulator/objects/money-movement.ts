/**
 * Money moving in and out of the Stripe balance: payouts to the bank account and top-ups from
 * it. Typed as stripe-node's own types.
 */
import type Stripe from 'stripe';
import type { ObjectContext } from './object-context.js';

const DAY = 24 * 60 * 60;

export interface NewMovement {
  amount: number;
  currency: string;
  description: string | null;
  statementDescriptor: string | null;
  metadata: Record<string, string>;
}

/**
 * A manual standard payout to the account's default bank account, arriving in two business days
 * (rounded to days here). Test-mode payouts start pending and are paid shortly after.
 */
export function payout(ctx: ObjectContext, input: NewMovement & { method: string }): Stripe.Payout {
  return {
    id: ctx.id('po'),
    object: 'payout',
    amount: input.amount,
    application_fee: null,
    application_fee_amount: null,
    arrival_date: ctx.created + 2 * DAY,
    automatic: false,
    balance_transaction: ctx.id('txn'),
    created: ctx.created,
    currency: input.currency,
    description: input.description,
    destination: ctx.id('ba'),
    failure_balance_transaction: null,
    failure_code: null,
    failure_message: null,
    livemode: false,
    metadata: input.metadata,
    method: input.method,
    original_payout: null,
    payout_method: null,
    reconciliation_status: 'not_applicable',
    reversed_by: null,
    source_type: 'card',
    statement_descriptor: input.statementDescriptor,
    status: 'pending',
    trace_id: { status: 'pending', value: null },
    type: 'bank_account',
  };
}

/** A top-up from the account's bank account: pending until the debit clears. */
export function topup(ctx: ObjectContext, input: NewMovement): Stripe.Topup {
  return {
    id: ctx.id('tu'),
    object: 'topup',
    amount: input.amount,
    balance_transaction: null,
    created: ctx.created,
    currency: input.currency,
    description: input.description,
    expected_availability_date: ctx.created + 5 * DAY,
    failure_code: null,
    failure_message: null,
    initiated_by: null,
    livemode: false,
    metadata: input.metadata,
    source: null,
    statement_descriptor: input.statementDescriptor,
    status: 'pending',
    transfer_group: null,
  };
}
