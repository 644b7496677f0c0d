/** Payment links (`/v1/payment_links`): a hosted page selling fixed line items. */
import type Stripe from 'stripe';
import { randomAlnum } from '../ids.js';
import type { ObjectContext } from './object-context.js';
import type { Wire } from './wire.js';

export function paymentLink(ctx: ObjectContext, currency: string, recurring: boolean): Wire<Stripe.PaymentLink> {
  return {
    id: ctx.id('plink'),
    object: 'payment_link',
    active: true,
    after_completion: { hosted_confirmation: { custom_message: null }, type: 'hosted_confirmation' },
    allow_promotion_codes: false,
    application: null,
    application_fee_amount: null,
    application_fee_percent: null,
    automatic_tax: { enabled: false, liability: null },
    billing_address_collection: 'auto',
    consent_collection: null,
    currency,
    custom_fields: [],
    custom_text: { after_submit: null, shipping_address: null, submit: null, terms_of_service_acceptance: null },
    customer_creation: recurring ? 'always' : 'if_required',
    inactive_message: null,
    invoice_creation: recurring ? null : { enabled: false, invoice_data: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: null, metadata: {}, rendering_options: null } },
    livemode: false,
    managed_payments: null,
    metadata: {},
    on_behalf_of: null,
    payment_intent_data: null,
    payment_method_collection: 'always',
    payment_method_options: null,
    payment_method_types: null,
    phone_number_collection: { enabled: false },
    restrictions: null,
    shipping_address_collection: null,
    shipping_options: [],
    submit_type: 'auto',
    subscription_data: recurring ? { description: null, invoice_settings: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: { type: 'self' } }, metadata: {}, trial_period_days: null, trial_settings: null } : null,
    tax_id_collection: { enabled: false, required: 'never' },
    transfer_data: null,
    url: `https://buy.stripe.com/test_${randomAlnum(14)}`,
  } satisfies Wire<Stripe.PaymentLink>;
}
