/** Subscription schedules: phases of items, one after the other, that drive a subscription. */
import type Stripe from 'stripe';
import type { ObjectContext } from './object-context.js';
import type { Wire } from './wire.js';

type Schedule = Wire<Stripe.SubscriptionSchedule>;
type Phase = Schedule['phases'][number];

export interface PhaseTerms {
  start: number;
  end: number;
  currency: string;
  items: { price: string; quantity: number }[];
}

export function schedulePhase(terms: PhaseTerms): Phase {
  return {
    add_invoice_items: [],
    application_fee_percent: null,
    billing_cycle_anchor: null,
    billing_thresholds: null,
    collection_method: null,
    currency: terms.currency,
    default_payment_method: null,
    default_tax_rates: [],
    description: null,
    discounts: [],
    end_date: terms.end,
    invoice_settings: null,
    items: terms.items.map(({ price, quantity }) => ({ billing_thresholds: null, discounts: [], metadata: {}, plan: price, price, quantity, tax_rates: [] })),
    metadata: {},
    on_behalf_of: null,
    proration_behavior: 'create_prorations',
    start_date: terms.start,
    transfer_data: null,
    trial_end: null,
  } satisfies Phase;
}

export interface ScheduleTerms {
  customer: string;
  endBehavior: 'cancel' | 'release';
  phases: Phase[];
  testClock: string | null;
  metadata: Record<string, string>;
}

/** A schedule that has not started yet; starting it sets `subscription`, `current_phase` and `status: active`. */
export function subscriptionSchedule(ctx: ObjectContext, terms: ScheduleTerms): Schedule {
  return {
    id: ctx.id('sub_sched'),
    object: 'subscription_schedule',
    application: null,
    billing_mode: { flexible: null, type: 'classic' },
    canceled_at: null,
    completed_at: null,
    created: ctx.created,
    current_phase: null,
    customer: terms.customer,
    customer_account: null,
    default_settings: {
      application_fee_percent: null,
      automatic_tax: { disabled_reason: null, enabled: false, liability: null },
      billing_cycle_anchor: 'automatic',
      billing_thresholds: null,
      collection_method: 'charge_automatically',
      default_payment_method: null,
      description: null,
      invoice_settings: { account_tax_ids: null, custom_fields: null, days_until_due: null, description: null, footer: null, issuer: { type: 'self' } },
      on_behalf_of: null,
      transfer_data: null,
    },
    end_behavior: terms.endBehavior,
    livemode: false,
    metadata: terms.metadata,
    pause_schedules: [],
    phases: terms.phases,
    released_at: null,
    released_subscription: null,
    status: 'not_started',
    subscription: null,
    test_clock: terms.testClock,
  } satisfies Schedule;
}
