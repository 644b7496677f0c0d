/**
 * Billing objects (customers, products, prices, subscriptions, invoices) in the shape of the API
 * version stripe-node pins: billing periods live on subscription items and invoice lines, and
 * line items name their price under `pricing.price_details`.
 */
import type Stripe from 'stripe';
import type { ObjectContext } from './object-context.js';
import { list, oneMonthLater, TEST_CUSTOMER } from './object-context.js';
import type { Wire } from './wire.js';

type StripeObject = Record<string, unknown>;

const UNIT_AMOUNT = 2000;
const CURRENCY = 'usd';
const PRODUCT_NAME = 'Premium plan';

export function customer(ctx: ObjectContext): StripeObject {
  return {
    id: ctx.id('cus'),
    object: 'customer',
    address: null,
    balance: 0,
    created: ctx.created,
    currency: null,
    customer_account: null,
    default_source: null,
    delinquent: false,
    description: null,
    email: TEST_CUSTOMER.email,
    invoice_prefix: invoicePrefix(ctx),
    invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
    livemode: false,
    metadata: {},
    name: TEST_CUSTOMER.name,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: null,
  } satisfies Wire<Stripe.Customer>;
}

/** Derived from the customer id so the invoice number agrees with the customer's prefix. */
function invoicePrefix(ctx: ObjectContext): string {
  return ctx.id('cus').slice(4, 12).toUpperCase();
}

export function product(ctx: ObjectContext): Wire<Stripe.Product> {
  return {
    id: ctx.id('prod'),
    object: 'product',
    active: true,
    created: ctx.created,
    default_price: ctx.id('price'),
    description: null,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: {},
    name: PRODUCT_NAME,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    tax_details: null,
    type: 'service',
    unit_label: null,
    updated: ctx.created,
    url: null,
  } satisfies Wire<Stripe.Product>;
}

export function price(ctx: ObjectContext): Wire<Stripe.Price> {
  return {
    id: ctx.id('price'),
    object: 'price',
    active: true,
    billing_scheme: 'per_unit',
    created: ctx.created,
    currency: CURRENCY,
    custom_unit_amount: null,
    livemode: false,
    lookup_key: null,
    metadata: {},
    nickname: null,
    product: ctx.id('prod'),
    recurring: { interval: 'month', interval_count: 1, meter: null, trial_period_days: null, usage_type: 'licensed' },
    tax_behavior: 'unspecified',
    tiers_mode: null,
    transform_quantity: null,
    type: 'recurring',
    unit_amount: UNIT_AMOUNT,
    unit_amount_decimal: String(UNIT_AMOUNT),
  } satisfies Wire<Stripe.Price>;
}

/** The legacy Plan view of a recurring price: same id, still present on subscription items. */
export function planFromPrice(source: Wire<Stripe.Price>): Wire<Stripe.Plan> {
  const recurring = source.recurring;
  return {
    id: source.id,
    object: 'plan',
    active: source.active,
    amount: source.unit_amount,
    amount_decimal: source.unit_amount_decimal,
    billing_scheme: source.billing_scheme,
    created: source.created,
    currency: source.currency,
    interval: recurring?.interval ?? 'month',
    interval_count: recurring?.interval_count ?? 1,
    livemode: false,
    metadata: source.metadata,
    meter: recurring?.meter ?? null,
    nickname: source.nickname,
    product: source.product,
    tiers_mode: source.tiers_mode,
    transform_usage: null,
    trial_period_days: recurring?.trial_period_days ?? null,
    usage_type: recurring?.usage_type ?? 'licensed',
  } satisfies Wire<Stripe.Plan>;
}

/** One item of a subscription; the API resources pass the stored price the item was made from. */
export function subscriptionItem(ctx: ObjectContext, itemPrice: Wire<Stripe.Price> = price(ctx), quantity = 1): Wire<Stripe.SubscriptionItem> {
  return {
    id: ctx.id('si'),
    object: 'subscription_item',
    billing_thresholds: null,
    created: ctx.created,
    current_period_end: oneMonthLater(ctx.created),
    current_period_start: ctx.created,
    current_trial: null,
    discounts: [],
    metadata: {},
    plan: planFromPrice(itemPrice),
    price: itemPrice,
    quantity,
    subscription: ctx.id('sub'),
    tax_rates: [],
  } satisfies Wire<Stripe.SubscriptionItem>;
}

export type SubscriptionStatus = 'incomplete' | 'trialing' | 'active' | 'paused' | 'canceled';

export function subscription(ctx: ObjectContext, status: SubscriptionStatus = 'active'): StripeObject {
  const id = ctx.id('sub');
  const canceled = status === 'canceled';
  return {
    id,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: ctx.created,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: 'classic' },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: canceled ? ctx.created : null,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: canceled ? 'cancellation_requested' : null },
    collection_method: 'charge_automatically',
    created: ctx.created,
    currency: CURRENCY,
    customer: ctx.id('cus'),
    customer_account: null,
    days_until_due: null,
    default_payment_method: ctx.id('pm'),
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    ended_at: canceled ? ctx.created : null,
    invoice_settings: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: { type: 'self' } },
    items: list(`/v1/subscription_items?subscription=${id}`, [subscriptionItem(ctx)]),
    latest_invoice: ctx.id('in'),
    livemode: false,
    managed_payments: null,
    metadata: {},
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: 'off' },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: ctx.created,
    status,
    test_clock: null,
    transfer_data: null,
    trial_end: null,
    trial_settings: { end_behavior: { billing_cycle_anchor: null, missing_payment_method: 'create_invoice' } },
    trial_start: null,
  } satisfies Wire<Stripe.Subscription>;
}

export function invoiceLine(ctx: ObjectContext): Wire<Stripe.InvoiceLineItem> {
  return {
    id: ctx.id('il'),
    object: 'line_item',
    amount: UNIT_AMOUNT,
    currency: CURRENCY,
    description: `1 × ${PRODUCT_NAME} (at $${(UNIT_AMOUNT / 100).toFixed(2)} / month)`,
    discount_amounts: [],
    discountable: true,
    discounts: [],
    invoice: ctx.id('in'),
    livemode: false,
    metadata: {},
    parent: {
      invoice_item_details: null,
      subscription_item_details: { invoice_item: null, proration: false, proration_details: { credited_items: null }, subscription: ctx.id('sub'), subscription_item: ctx.id('si') },
      type: 'subscription_item_details',
    },
    period: { end: oneMonthLater(ctx.created), start: ctx.created },
    pretax_credit_amounts: [],
    pricing: { price_details: { price: ctx.id('price'), product: ctx.id('prod') }, type: 'price_details', unit_amount_decimal: String(UNIT_AMOUNT) },
    quantity: 1,
    quantity_decimal: '1',
    subscription: ctx.id('sub'),
    subtotal: UNIT_AMOUNT,
    taxes: [],
  } satisfies Wire<Stripe.InvoiceLineItem>;
}

export type InvoiceState = 'draft' | 'open' | 'paid' | 'payment_failed';

export function invoice(ctx: ObjectContext, state: InvoiceState): StripeObject {
  const id = ctx.id('in');
  const paid = state === 'paid';
  const draft = state === 'draft';
  const attempted = paid || state === 'payment_failed';
  const account = ctx.id('acct');
  const token = `test_${id.slice(3)}`;
  return {
    id,
    object: 'invoice',
    account_country: 'US',
    account_name: 'webhook-dev offline',
    account_tax_ids: null,
    amount_due: UNIT_AMOUNT,
    amount_overpaid: 0,
    amount_paid: paid ? UNIT_AMOUNT : 0,
    amount_remaining: paid ? 0 : UNIT_AMOUNT,
    amount_shipping: 0,
    application: null,
    attempt_count: attempted ? 1 : 0,
    attempted,
    auto_advance: !paid,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: null,
    billing_reason: 'subscription_create',
    collection_method: 'charge_automatically',
    created: ctx.created,
    currency: CURRENCY,
    custom_fields: null,
    customer: ctx.id('cus'),
    customer_account: null,
    customer_address: null,
    customer_email: TEST_CUSTOMER.email,
    customer_name: TEST_CUSTOMER.name,
    customer_phone: null,
    customer_shipping: null,
    customer_tax_exempt: 'none',
    customer_tax_ids: [],
    default_payment_method: null,
    default_source: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    due_date: null,
    effective_at: draft ? null : ctx.created,
    ending_balance: 0,
    footer: null,
    from_invoice: null,
    hosted_invoice_url: draft ? null : `https://invoice.stripe.com/i/${account}/${token}?s=ap`,
    invoice_pdf: draft ? null : `https://pay.stripe.com/invoice/${account}/${token}/pdf?s=ap`,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: list(`/v1/invoices/${id}/lines`, [invoiceLine(ctx)]),
    livemode: false,
    metadata: {},
    next_payment_attempt: state === 'payment_failed' ? ctx.created + 3 * 24 * 60 * 60 : null,
    number: draft ? null : `${invoicePrefix(ctx)}-0001`,
    on_behalf_of: null,
    parent: { quote_details: null, subscription_details: { metadata: {}, subscription: ctx.id('sub') }, type: 'subscription_details' },
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    period_end: ctx.created,
    period_start: ctx.created,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: null,
    shipping_cost: null,
    shipping_details: null,
    starting_balance: 0,
    statement_descriptor: null,
    status: paid ? 'paid' : draft ? 'draft' : 'open',
    status_transitions: { finalized_at: draft ? null : ctx.created, marked_uncollectible_at: null, paid_at: paid ? ctx.created : null, voided_at: null },
    subtotal: UNIT_AMOUNT,
    subtotal_excluding_tax: UNIT_AMOUNT,
    test_clock: null,
    total: UNIT_AMOUNT,
    total_discount_amounts: [],
    total_excluding_tax: UNIT_AMOUNT,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: draft ? null : ctx.created,
  } satisfies Wire<Stripe.Invoice>;
}

/** A one-off amount waiting for the customer's next invoice (`POST /v1/invoiceitems`). */
export function invoiceItem(ctx: ObjectContext): StripeObject {
  return {
    id: ctx.id('ii'),
    object: 'invoiceitem',
    amount: UNIT_AMOUNT,
    currency: CURRENCY,
    customer: ctx.id('cus'),
    customer_account: null,
    date: ctx.created,
    description: null,
    discountable: true,
    discounts: [],
    invoice: null,
    livemode: false,
    metadata: {},
    net_amount: UNIT_AMOUNT,
    parent: null,
    period: { end: ctx.created, start: ctx.created },
    pricing: null,
    proration: false,
    proration_details: { credited_items: null, discount_amounts: [] },
    quantity: 1,
    quantity_decimal: '1',
    tax_rates: [],
    test_clock: null,
  } satisfies Wire<Stripe.InvoiceItem>;
}

/** How an invoice was paid: since the 2025 API versions the invoice names its payment intents only here. */
export function invoicePayment(ctx: ObjectContext): StripeObject {
  return {
    id: ctx.id('inpay'),
    object: 'invoice_payment',
    amount_paid: UNIT_AMOUNT,
    amount_requested: UNIT_AMOUNT,
    created: ctx.created,
    currency: CURRENCY,
    invoice: ctx.id('in'),
    is_default: true,
    livemode: false,
    payment: { payment_intent: ctx.id('pi'), type: 'payment_intent' },
    status: 'paid',
    status_transitions: { canceled_at: null, paid_at: ctx.created },
  } satisfies Wire<Stripe.InvoicePayment>;
}
