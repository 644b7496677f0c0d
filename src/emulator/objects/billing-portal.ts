/** Customer portal configurations and sessions (`/v1/billing_portal/…`). */
import type Stripe from 'stripe';
import { randomAlnum } from '../ids.js';
import type { ObjectContext } from './object-context.js';
import type { Wire } from './wire.js';

type Configuration = Wire<Stripe.BillingPortal.Configuration>;

/** Everything off, as a configuration made with only `features[…][enabled]` flags starts. */
export function portalConfiguration(ctx: ObjectContext, isDefault: boolean): Configuration {
  return {
    id: ctx.id('bpc'),
    object: 'billing_portal.configuration',
    active: true,
    application: null,
    business_profile: { headline: null, privacy_policy_url: null, terms_of_service_url: null },
    created: ctx.created,
    default_return_url: null,
    features: {
      customer_update: { allowed_updates: [], enabled: false },
      invoice_history: { enabled: false },
      payment_method_update: { enabled: false, payment_method_configuration: null },
      subscription_cancel: {
        cancellation_reason: { enabled: false, feedback_options: null, options: ['too_expensive', 'missing_features', 'switched_service', 'unused', 'other'] },
        enabled: false,
        mode: 'at_period_end',
        proration_behavior: 'none',
      },
      subscription_pause: { duration: { interval_options: [], type: 'indefinite' }, enabled: false },
      subscription_update: {
        billing_cycle_anchor: null,
        default_allowed_updates: [],
        enabled: false,
        products: [],
        proration_behavior: 'none',
        schedule_at_period_end: { conditions: [] },
        trial_update_behavior: 'end_trial',
      },
    },
    is_default: isDefault,
    livemode: false,
    login_page: { enabled: false, url: null },
    metadata: {},
    name: null,
    updated: ctx.created,
  } satisfies Configuration;
}

export function portalSession(ctx: ObjectContext, configuration: string, returnUrl: string | null): Wire<Stripe.BillingPortal.Session> {
  return {
    id: ctx.id('bps'),
    object: 'billing_portal.session',
    configuration,
    created: ctx.created,
    customer: ctx.id('cus'),
    customer_account: null,
    flow: null,
    livemode: false,
    locale: null,
    on_behalf_of: null,
    return_url: returnUrl,
    url: `https://billing.stripe.com/p/session/test_${randomAlnum(48)}`,
  } satisfies Wire<Stripe.BillingPortal.Session>;
}
