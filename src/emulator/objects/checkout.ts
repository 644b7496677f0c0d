import type Stripe from 'stripe';
import type { ObjectContext } from './object-context.js';
import { emptyAddress, TEST_CUSTOMER } from './object-context.js';
import type { Wire } from './wire.js';

const AMOUNT = 2000;

export type CheckoutSessionState = 'open' | 'complete' | 'expired';

/** A one-off payment Checkout Session; complete is what `checkout.session.completed` carries. */
export function checkoutSession(ctx: ObjectContext, state: CheckoutSessionState = 'complete'): Wire<Stripe.Checkout.Session> {
  const id = ctx.id('cs_test');
  const complete = state === 'complete';
  const oneDay = 24 * 60 * 60;
  return {
    id,
    object: 'checkout.session',
    adaptive_pricing: { enabled: true },
    after_expiration: null,
    allow_promotion_codes: null,
    allowed_payment_method_types: null,
    amount_subtotal: AMOUNT,
    amount_total: AMOUNT,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    billing_address_collection: null,
    cancel_url: 'https://example.com/cancel',
    client_reference_id: null,
    client_secret: null,
    collected_information: null,
    consent: null,
    consent_collection: null,
    created: ctx.created,
    currency: 'usd',
    currency_conversion: null,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer: complete ? ctx.id('cus') : null,
    customer_account: null,
    customer_creation: 'if_required',
    customer_details: !complete ? null : {
      address: { ...emptyAddress(), country: 'US', postal_code: '94103' },
      business_name: null,
      email: TEST_CUSTOMER.email,
      individual_name: null,
      name: TEST_CUSTOMER.name,
      phone: null,
      tax_exempt: 'none',
      tax_ids: [],
    },
    customer_email: null,
    discounts: [],
    expires_at: ctx.created + oneDay,
    invoice: null,
    integration_identifier: null,
    invoice_creation: { enabled: false, invoice_data: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: null, metadata: {}, rendering_options: null } },
    livemode: false,
    locale: null,
    managed_payments: null,
    metadata: {},
    mode: 'payment',
    origin_context: null,
    payment_intent: complete ? ctx.id('pi') : null,
    payment_link: null,
    payment_method_collection: 'if_required',
    payment_method_configuration_details: null,
    payment_method_options: { card: { request_three_d_secure: 'automatic' } },
    payment_method_types: ['card'],
    payment_status: complete ? 'paid' : 'unpaid',
    permissions: null,
    phone_number_collection: { enabled: false },
    recovered_from: null,
    saved_payment_method_options: null,
    setup_intent: null,
    shipping_address_collection: null,
    shipping_cost: null,
    shipping_options: [],
    status: state,
    submit_type: null,
    subscription: null,
    success_url: 'https://example.com/success',
    total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
    ui_mode: 'hosted',
    url: state === 'open' ? `https://checkout.stripe.com/c/pay/${id}` : null,
    wallet_options: null,
  } satisfies Wire<Stripe.Checkout.Session>;
}
