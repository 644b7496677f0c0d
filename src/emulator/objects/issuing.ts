/**
 * Issuing objects as the API returns them: cardholders, the cards issued to them, authorizations
 * and transactions on those cards. Each builder is typed as stripe-node's own type, so a field
 * Stripe adds (or drops) in a new API version is a compile error here, not a silent difference.
 */
import type Stripe from 'stripe';
import type { Address } from '../resources/params.js';
import type { ObjectContext } from './object-context.js';

export interface NewCardholder {
  name: string;
  type: Stripe.Issuing.Cardholder.Type;
  email: string | null;
  phoneNumber: string | null;
  billingAddress: Address;
  firstName: string | null;
  lastName: string | null;
  termsAcceptance: { date: number | null; ip: string | null } | null;
  metadata: Record<string, string>;
}

export function issuingCardholder(ctx: ObjectContext, input: NewCardholder): Stripe.Issuing.Cardholder {
  const individual = input.type === 'individual';
  return {
    id: ctx.id('ich'),
    object: 'issuing.cardholder',
    billing: { address: input.billingAddress },
    company: individual ? null : { tax_id_provided: false },
    created: ctx.created,
    email: input.email,
    individual: individual
      ? {
          card_issuing: input.termsAcceptance === null ? null : { user_terms_acceptance: { ...input.termsAcceptance, user_agent: null } },
          dob: null,
          first_name: input.firstName,
          last_name: input.lastName,
          verification: null,
        }
      : null,
    livemode: false,
    metadata: input.metadata,
    name: input.name,
    phone_number: input.phoneNumber,
    preferred_locales: [],
    // A cardholder with terms accepted and a billing address is complete enough for virtual cards.
    requirements: { disabled_reason: null, past_due: [] },
    spending_controls: emptySpendingControls(),
    status: 'active',
    type: input.type,
  };
}

function emptySpendingControls(): Stripe.Issuing.Cardholder.SpendingControls & Stripe.Issuing.Card.SpendingControls {
  return {
    allowed_card_presences: [],
    allowed_categories: [],
    allowed_merchant_countries: [],
    blocked_card_presences: [],
    blocked_categories: [],
    blocked_merchant_countries: [],
    spending_limits: [],
    spending_limits_currency: null,
  };
}

export interface NewIssuingCard {
  cardholder: Stripe.Issuing.Cardholder;
  currency: string;
  type: Stripe.Issuing.Card.Type;
  status: Stripe.Issuing.Card.Status;
  last4: string;
  metadata: Record<string, string>;
}

/** Virtual cards expire three years out; Stripe issues Visa in the US, the EU and the UK. */
export function issuingCard(ctx: ObjectContext, input: NewIssuingCard): Stripe.Issuing.Card {
  return {
    id: ctx.id('ic'),
    object: 'issuing.card',
    brand: 'Visa',
    cancellation_reason: null,
    cardholder: input.cardholder,
    created: ctx.created,
    currency: input.currency,
    exp_month: 12,
    exp_year: new Date(ctx.created * 1000).getUTCFullYear() + 3,
    financial_account: null,
    last4: input.last4,
    latest_fraud_warning: null,
    lifecycle_controls: null,
    livemode: false,
    metadata: input.metadata,
    personalization_design: null,
    replaced_by: null,
    replacement_for: null,
    replacement_reason: null,
    second_line: null,
    shipping: null,
    spending_controls: { ...emptySpendingControls(), allowed_card_presences: null, allowed_categories: null, allowed_merchant_countries: null, blocked_card_presences: null, blocked_categories: null, blocked_merchant_countries: null },
    status: input.status,
    type: input.type,
    wallets: { apple_pay: { eligible: false, ineligible_reason: 'missing_cardholder_contact' }, google_pay: { eligible: false, ineligible_reason: 'missing_cardholder_contact' }, primary_account_identifier: null },
  };
}

/** Where the emulated purchases happen, unless the request names a merchant. */
export function merchantData(input: Partial<Stripe.Issuing.Transaction.MerchantData> = {}): Stripe.Issuing.Transaction.MerchantData & Stripe.Issuing.Authorization.MerchantData {
  return {
    category: input.category ?? 'ac_refrigeration_repair',
    category_code: input.category_code ?? '7623',
    city: input.city ?? 'San Francisco',
    country: input.country ?? 'US',
    name: input.name ?? 'Rocket Rides',
    network_id: input.network_id ?? '1234567890',
    postal_code: input.postal_code ?? '94111',
    state: input.state ?? 'CA',
    tax_id: null,
    terminal_id: null,
    url: null,
  };
}

export interface NewAuthorization {
  card: Stripe.Issuing.Card;
  amount: number;
  currency: string;
  method: Stripe.Issuing.Authorization.AuthorizationMethod;
  approved: boolean;
}

/**
 * A pending authorization the card's spending controls approved. `pending_request` is what the
 * issuing_authorization.request webhook asks about; once decided it is null.
 */
export function issuingAuthorization(ctx: ObjectContext, input: NewAuthorization): Stripe.Issuing.Authorization {
  const { card, amount, currency } = input;
  return {
    id: ctx.id('iauth'),
    object: 'issuing.authorization',
    amount: input.approved ? amount : 0,
    amount_details: { atm_fee: null, cashback_amount: 0 },
    approved: input.approved,
    authorization_method: input.method,
    balance_transactions: [],
    card,
    cardholder: card.cardholder.id,
    card_presence: null,
    created: ctx.created,
    currency,
    fleet: null,
    fraud_challenges: [],
    fuel: null,
    livemode: false,
    merchant_amount: amount,
    merchant_currency: currency,
    merchant_data: merchantData(),
    metadata: {},
    network_data: { acquiring_institution_id: null, system_trace_audit_number: null, transaction_id: null },
    pending_request: null,
    request_history: [
      {
        amount,
        amount_details: { atm_fee: null, cashback_amount: 0 },
        approved: input.approved,
        authorization_code: input.approved ? '123456' : null,
        created: ctx.created,
        currency,
        merchant_amount: amount,
        merchant_currency: currency,
        network_risk_score: null,
        reason: input.approved ? 'webhook_approved' : 'card_inactive',
        reason_message: null,
        requested_at: ctx.created,
      },
    ],
    status: input.approved ? 'pending' : 'closed',
    transactions: [],
    verification_data: {
      address_line1_check: 'not_provided',
      address_postal_code_check: 'not_provided',
      authentication_exemption: null,
      cvc_check: 'match',
      expiry_check: 'match',
      postal_code: null,
      three_d_secure: null,
    },
    verified_by_fraud_challenge: null,
    wallet: null,
  };
}

/** The authorization as the issuing_authorization.request webhook asks about it: undecided. */
export function pendingAuthorizationRequest(authorization: Stripe.Issuing.Authorization): Stripe.Issuing.Authorization {
  return {
    ...authorization,
    amount: 0,
    approved: false,
    pending_request: {
      amount: authorization.merchant_amount,
      amount_details: { atm_fee: null, cashback_amount: 0 },
      currency: authorization.currency,
      is_amount_controllable: false,
      merchant_amount: authorization.merchant_amount,
      merchant_currency: authorization.merchant_currency,
      network_risk_score: null,
    },
    request_history: [],
    status: 'pending',
  };
}

export interface NewIssuingTransaction {
  card: Stripe.Issuing.Card;
  amount: number;
  currency: string;
  merchant: Stripe.Issuing.Transaction.MerchantData;
  receipt: Stripe.Issuing.Transaction.PurchaseDetails.Receipt[] | null;
  metadata: Record<string, string>;
}

/**
 * A capture the card's holder pays: Issuing amounts are negative (money leaving the balance).
 * A force capture has no authorization before it.
 */
export function issuingTransaction(ctx: ObjectContext, input: NewIssuingTransaction): Stripe.Issuing.Transaction {
  return {
    id: ctx.id('ipi'),
    object: 'issuing.transaction',
    amount: -input.amount,
    amount_details: { atm_fee: null, cashback_amount: 0 },
    authorization: null,
    balance_transaction: ctx.id('txn'),
    card: input.card.id,
    cardholder: input.card.cardholder.id,
    created: ctx.created,
    currency: input.currency,
    dispute: null,
    livemode: false,
    merchant_amount: -input.amount,
    merchant_currency: input.currency,
    merchant_data: input.merchant,
    metadata: input.metadata,
    network_data: { authorization_code: null, processing_date: null, transaction_id: null },
    purchase_details:
      input.receipt === null ? null : { fleet: null, flight: null, fuel: null, lodging: null, receipt: input.receipt, reference: null },
    type: 'capture',
    wallet: null,
  };
}
