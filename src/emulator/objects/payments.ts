/**
 * Payment objects as the API returns them (payment intents, charges, payment methods, disputes,
 * balance), filled with the fields handlers read. Shapes follow the API version stripe-node pins.
 */
import type Stripe from 'stripe';
import type { ObjectContext } from './object-context.js';
import { billingDetails, clientSecret, testCard, TEST_CUSTOMER } from './object-context.js';

const AMOUNT = 2000;
const CURRENCY = 'usd';

export function paymentMethod(ctx: ObjectContext) {
  const card = testCard(ctx.created);
  return {
    id: ctx.id('pm'),
    object: 'payment_method',
    allow_redisplay: 'unspecified',
    billing_details: billingDetails(),
    card: {
      ...card,
      checks: { address_line1_check: null, address_postal_code_check: 'pass', cvc_check: 'pass' },
      display_brand: 'visa',
      generated_from: null,
      networks: { available: ['visa'], preferred: null },
      regulated_status: 'unregulated',
      three_d_secure_usage: { supported: true },
      wallet: null,
    },
    created: ctx.created,
    customer: ctx.id('cus'),
    customer_account: null,
    livemode: false,
    metadata: {},
    type: 'card',
  } satisfies Stripe.PaymentMethod;
}

export type PaymentIntentState = 'requires_payment_method' | 'requires_confirmation' | 'requires_capture' | 'succeeded' | 'payment_failed' | 'canceled';

const PAYMENT_INTENT_STATUS: Record<PaymentIntentState, string> = {
  requires_payment_method: 'requires_payment_method',
  requires_confirmation: 'requires_confirmation',
  requires_capture: 'requires_capture',
  succeeded: 'succeeded',
  // A declined attempt sends the intent back for another payment method.
  payment_failed: 'requires_payment_method',
  canceled: 'canceled',
};

export function paymentIntent(ctx: ObjectContext, state: PaymentIntentState) {
  const id = ctx.id('pi');
  const succeeded = state === 'succeeded';
  const failed = state === 'payment_failed';
  const charged = succeeded || failed || state === 'requires_capture';
  const withMethod = succeeded || state === 'requires_capture' || state === 'requires_confirmation';
  return {
    id,
    object: 'payment_intent',
    allowed_payment_method_types: null,
    amount: AMOUNT,
    amount_capturable: state === 'requires_capture' ? AMOUNT : 0,
    amount_details: { tip: {} },
    amount_received: succeeded ? AMOUNT : 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: { allow_redirects: 'always', enabled: true },
    canceled_at: state === 'canceled' ? ctx.created : null,
    cancellation_reason: null,
    capture_method: state === 'requires_capture' ? 'manual' : 'automatic_async',
    client_secret: clientSecret(id),
    confirmation_method: 'automatic',
    created: ctx.created,
    currency: CURRENCY,
    customer: ctx.id('cus'),
    customer_account: null,
    description: null,
    excluded_payment_method_types: null,
    last_payment_error: failed ? cardDeclined(ctx) : null,
    latest_charge: charged ? ctx.id('ch') : null,
    livemode: false,
    managed_payments: null,
    metadata: {},
    next_action: null,
    on_behalf_of: null,
    payment_method: withMethod ? ctx.id('pm') : null,
    payment_method_configuration_details: null,
    payment_method_options: { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
    payment_method_types: ['card'],
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: PAYMENT_INTENT_STATUS[state],
    transfer_data: null,
    transfer_group: null,
  } satisfies Stripe.PaymentIntent;
}

/**
 * What Stripe puts in `last_payment_error` for the test card 4000 0000 0000 0002; the body of
 * the 402 card_error is the same object plus the payment intent.
 */
export function cardDeclined(ctx: ObjectContext) {
  const method = paymentMethod(ctx);
  return {
    advice_code: 'try_again_later',
    charge: ctx.id('ch'),
    code: 'card_declined',
    decline_code: 'generic_decline',
    doc_url: 'https://stripe.com/docs/error-codes/card-declined',
    message: 'Your card was declined.',
    payment_method: { ...method, card: { ...method.card, last4: '0002' } },
    type: 'card_error',
  } satisfies Stripe.PaymentIntent.LastPaymentError;
}

export function charge(ctx: ObjectContext, status: 'succeeded' | 'failed') {
  const id = ctx.id('ch');
  const succeeded = status === 'succeeded';
  return {
    id,
    object: 'charge',
    amount: AMOUNT,
    amount_captured: succeeded ? AMOUNT : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: succeeded ? ctx.id('txn') : null,
    billing_details: billingDetails(),
    calculated_statement_descriptor: 'WEBHOOK-DEV',
    captured: succeeded,
    created: ctx.created,
    currency: CURRENCY,
    customer: ctx.id('cus'),
    description: null,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: succeeded ? null : 'card_declined',
    failure_message: succeeded ? null : 'Your card was declined.',
    fraud_details: {},
    livemode: false,
    metadata: {},
    on_behalf_of: null,
    outcome: succeeded
      ? { advice_code: null, network_advice_code: null, network_decline_code: null, network_status: 'approved_by_network', reason: null, risk_level: 'normal', risk_score: 32, seller_message: 'Payment complete.', type: 'authorized' }
      : { advice_code: 'try_again_later', network_advice_code: null, network_decline_code: null, network_status: 'declined_by_network', reason: 'generic_decline', risk_level: 'normal', risk_score: 41, seller_message: 'The bank did not return any further details with this decline.', type: 'issuer_declined' },
    paid: succeeded,
    payment_intent: ctx.id('pi'),
    payment_method: ctx.id('pm'),
    payment_method_details: { card: cardDetails(ctx), type: 'card' },
    radar_options: {},
    receipt_email: TEST_CUSTOMER.email,
    receipt_number: null,
    receipt_url: `https://pay.stripe.com/receipts/payment/${id.slice(3)}`,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status,
    transfer_data: null,
    transfer_group: null,
  } satisfies Stripe.Charge;
}

function cardDetails(ctx: ObjectContext) {
  return {
    ...testCard(ctx.created),
    amount_authorized: AMOUNT,
    authorization_code: '123456',
    checks: { address_line1_check: null, address_postal_code_check: 'pass', cvc_check: 'pass' },
    electronic_commerce_indicator: null,
    extended_authorization: { status: 'disabled' },
    incremental_authorization: { status: 'unavailable' },
    installments: null,
    mandate: null,
    multicapture: { status: 'unavailable' },
    network: 'visa',
    network_token: { used: false },
    network_transaction_id: '104557651805572',
    overcapture: { maximum_amount_capturable: AMOUNT, status: 'unavailable' },
    regulated_status: 'unregulated',
    three_d_secure: null,
    transaction_link_id: null,
    wallet: null,
  } satisfies Stripe.Charge.PaymentMethodDetails.Card;
}

export function dispute(ctx: ObjectContext) {
  const sevenDays = 7 * 24 * 60 * 60;
  return {
    id: ctx.id('dp'),
    object: 'dispute',
    amount: AMOUNT,
    balance_transactions: [],
    charge: ctx.id('ch'),
    created: ctx.created,
    currency: CURRENCY,
    enhanced_eligibility_types: [],
    intended_submission_method: null,
    evidence: disputeEvidence(),
    evidence_details: { due_by: ctx.created + sevenDays, enhanced_eligibility: {}, has_evidence: false, past_due: false, submission_count: 0, submission_method: 'not_submitted' },
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: ctx.id('pi'),
    payment_method_details: { card: { brand: 'visa', case_type: 'chargeback', network: 'visa', network_reason_code: '10.4' }, type: 'card' },
    reason: 'fraudulent',
    status: 'needs_response',
  } satisfies Stripe.Dispute;
}

const EVIDENCE_FIELDS = [
  'access_activity_log', 'billing_address', 'cancellation_policy', 'cancellation_policy_disclosure',
  'cancellation_rebuttal', 'customer_communication', 'customer_email_address', 'customer_name',
  'customer_purchase_ip', 'customer_signature', 'duplicate_charge_documentation',
  'duplicate_charge_explanation', 'duplicate_charge_id', 'product_description', 'receipt',
  'refund_policy', 'refund_policy_disclosure', 'refund_refusal_explanation', 'service_date',
  'service_documentation', 'shipping_address', 'shipping_carrier', 'shipping_date',
  'shipping_documentation', 'shipping_tracking_number', 'uncategorized_file', 'uncategorized_text',
] as const;

/** The evidence of a new dispute: the text and file fields empty, no enhanced evidence (Visa CE 3.0…). */
function disputeEvidence(): Record<(typeof EVIDENCE_FIELDS)[number], null> & { enhanced_evidence: Record<string, never> } {
  const empty = Object.fromEntries(EVIDENCE_FIELDS.map((field) => [field, null])) as Record<(typeof EVIDENCE_FIELDS)[number], null>;
  return { ...empty, enhanced_evidence: {} };
}

/** The Balance has no id: it is a singleton per account. */
export function balance() {
  return {
    object: 'balance',
    available: [{ amount: AMOUNT, currency: CURRENCY, source_types: { card: AMOUNT } }],
    livemode: false,
    pending: [{ amount: 0, currency: CURRENCY, source_types: { card: 0 } }],
  } satisfies Stripe.Balance;
}

/** A card refund of the whole charge, as `POST /v1/refunds` answers and `refund.created` carries it. */
export function refund(ctx: ObjectContext) {
  return {
    id: ctx.id('re'),
    object: 'refund',
    amount: AMOUNT,
    balance_transaction: ctx.id('txn:refund'),
    charge: ctx.id('ch'),
    created: ctx.created,
    currency: CURRENCY,
    customer: ctx.id('cus'),
    customer_account: null,
    destination_details: { card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' }, type: 'card' },
    metadata: {},
    payment_intent: ctx.id('pi'),
    payment_method: ctx.id('pm'),
    reason: null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
  } satisfies Stripe.Refund;
}

export type SetupIntentState = 'requires_payment_method' | 'requires_confirmation' | 'succeeded' | 'setup_failed' | 'canceled';

export function setupIntent(ctx: ObjectContext, state: SetupIntentState) {
  const id = ctx.id('seti');
  const failed = state === 'setup_failed';
  const withMethod = state === 'succeeded' || state === 'requires_confirmation';
  return {
    id,
    object: 'setup_intent',
    allowed_payment_method_types: null,
    application: null,
    automatic_payment_methods: null,
    cancellation_reason: null,
    client_secret: clientSecret(id),
    created: ctx.created,
    customer: ctx.id('cus'),
    customer_account: null,
    description: null,
    excluded_payment_method_types: null,
    flow_directions: null,
    last_setup_error: failed ? setupDeclined(ctx) : null,
    latest_attempt: state === 'succeeded' || failed ? ctx.id('setatt') : null,
    livemode: false,
    mandate: null,
    metadata: {},
    next_action: null,
    on_behalf_of: null,
    payment_method: withMethod ? ctx.id('pm') : null,
    payment_method_configuration_details: null,
    payment_method_options: { card: { mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
    payment_method_types: ['card'],
    single_use_mandate: null,
    status: failed ? 'requires_payment_method' : state,
    usage: 'off_session',
  } satisfies Stripe.SetupIntent;
}

/** A declined setup has no charge: the card was only verified. */
function setupDeclined(ctx: ObjectContext) {
  const { charge: _charge, ...error } = cardDeclined(ctx);
  return error;
}
