/**
 * Connect objects as the API returns them: connected accounts, the platform's OAuth application
 * (what account.application.* events carry), transfers and their reversals. Typed as stripe-node's
 * own types, so shape drift between API versions is a compile error.
 */
import type Stripe from 'stripe';
import type { ObjectContext } from './object-context.js';

export interface NewAccount {
  type: Stripe.Account.Type;
  country: string;
  email: string | null;
  defaultCurrency: string;
  metadata: Record<string, string>;
}

/** The platform controls custom and express accounts; a standard account controls itself. */
const CONTROLLER: Record<string, Stripe.Account.Controller> = {
  standard: { is_controller: true, type: 'account' },
  express: { fees: { payer: 'application' }, is_controller: true, losses: { payments: 'application' }, requirement_collection: 'stripe', stripe_dashboard: { type: 'express' }, type: 'application' },
  custom: { fees: { payer: 'application' }, is_controller: true, losses: { payments: 'application' }, requirement_collection: 'application', stripe_dashboard: { type: 'none' }, type: 'application' },
};

/** A freshly made account: nothing submitted yet, so charges and payouts are off until onboarding. */
export function account(ctx: ObjectContext, input: NewAccount): Stripe.Account {
  const id = ctx.id('acct');
  const due = input.type === 'standard' ? [] : ['business_profile.url', 'business_type', 'external_account', 'tos_acceptance.date', 'tos_acceptance.ip'];
  const requirements = {
    alternatives: [],
    current_deadline: null,
    currently_due: due,
    disabled_reason: due.length === 0 ? null : 'requirements.past_due',
    errors: [],
    eventually_due: due,
    past_due: due,
    pending_verification: [],
  } satisfies Stripe.Account.Requirements;
  return {
    id,
    object: 'account',
    business_profile: {
      mcc: null,
      minority_owned_business_designation: null,
      name: null,
      specified_commercial_transactions_act_url: null,
      support_address: null,
      support_email: null,
      support_phone: null,
      support_url: null,
      url: null,
    },
    business_type: null,
    capabilities: {},
    charges_enabled: false,
    controller: CONTROLLER[input.type] ?? { type: 'application' },
    country: input.country,
    created: ctx.created,
    default_currency: input.defaultCurrency,
    details_submitted: false,
    email: input.email,
    external_accounts: { object: 'list', data: [], has_more: false, url: `/v1/accounts/${id}/external_accounts` },
    future_requirements: { ...requirements, currently_due: [], disabled_reason: null, eventually_due: [], past_due: [] },
    metadata: input.metadata,
    payouts_enabled: false,
    requirements,
    tos_acceptance: { date: null, ip: null, user_agent: null },
    type: input.type,
  };
}

/** The platform as connected accounts see it: account.application.* events carry this. */
export function application(ctx: ObjectContext): Stripe.Application {
  return { id: ctx.id('ca'), object: 'application', name: null };
}

export interface NewTransfer {
  amount: number;
  currency: string;
  destination: string;
  description: string | null;
  metadata: Record<string, string>;
  transferGroup: string | null;
}

export function transfer(ctx: ObjectContext, input: NewTransfer): Stripe.Transfer {
  const id = ctx.id('tr');
  return {
    id,
    object: 'transfer',
    amount: input.amount,
    amount_reversed: 0,
    balance_transaction: ctx.id('txn'),
    created: ctx.created,
    currency: input.currency,
    description: input.description,
    destination: input.destination,
    // The payment the transfer makes on the connected account.
    destination_payment: ctx.id('py'),
    livemode: false,
    metadata: input.metadata,
    reversals: { object: 'list', data: [], has_more: false, url: `/v1/transfers/${id}/reversals` },
    reversed: false,
    source_transaction: null,
    source_type: 'card',
    transfer_group: input.transferGroup,
  };
}

export function transferReversal(ctx: ObjectContext, transferId: string, amount: number, currency: string, metadata: Record<string, string>): Stripe.TransferReversal {
  return {
    id: ctx.id('trr'),
    object: 'transfer_reversal',
    amount,
    balance_transaction: ctx.id('txn'),
    created: ctx.created,
    currency,
    destination_payment_refund: ctx.id('pyr'),
    metadata,
    source_refund: null,
    transfer: transferId,
  };
}
