import type Stripe from 'stripe';
import type { ObjectContext } from './object-context.js';
import type { Wire } from './wire.js';

export interface MeterTerms {
  displayName: string;
  eventName: string;
  formula: string;
  /** The payload key that names the customer; Stripe's default is `stripe_customer_id`. */
  customerKey: string;
  /** The payload key that carries the value; Stripe's default is `value`. */
  valueKey: string;
  eventTimeWindow: string | null;
}

/** A billing meter (`POST /v1/billing/meters`), active from the moment it is made. */
export function billingMeter(ctx: ObjectContext, terms: MeterTerms): Wire<Stripe.Billing.Meter> {
  return {
    id: ctx.id('mtr'),
    object: 'billing.meter',
    created: ctx.created,
    customer_mapping: { event_payload_key: terms.customerKey, type: 'by_id' },
    default_aggregation: { formula: terms.formula },
    display_name: terms.displayName,
    event_name: terms.eventName,
    event_time_window: terms.eventTimeWindow,
    livemode: false,
    status: 'active',
    status_transitions: { deactivated_at: null },
    updated: ctx.created,
    value_settings: { event_payload_key: terms.valueKey },
  } satisfies Wire<Stripe.Billing.Meter>;
}
