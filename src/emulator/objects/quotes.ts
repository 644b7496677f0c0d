/** Quotes: a draft offer of line items to a customer, finalized to `open`, then accepted or canceled. */
import type Stripe from 'stripe';
import type { ObjectContext } from './object-context.js';
import type { Wire } from './wire.js';

type Quote = Wire<Stripe.Quote>;

/** Stripe's default: a quote expires 30 days after it was made. */
const VALIDITY_SECONDS = 30 * 24 * 60 * 60;

export interface QuoteTerms {
  customer: string;
  currency: string;
  /** The total of one-time lines plus one period of recurring ones, in the smallest unit. */
  amount: number;
  /** Recurring lines: the total the subscription will bill each period. */
  recurringAmount: number | null;
  recurringInterval: { interval: 'day' | 'month' | 'week' | 'year'; interval_count: number } | null;
  description: string | null;
  metadata: Record<string, string>;
}

export function quote(ctx: ObjectContext, terms: QuoteTerms): Quote {
  const totals = { amount_discount: 0, amount_shipping: 0, amount_tax: 0 };
  return {
    id: ctx.id('qt'),
    object: 'quote',
    amount_subtotal: terms.amount,
    amount_total: terms.amount,
    application: null,
    application_fee_amount: null,
    application_fee_percent: null,
    automatic_tax: { enabled: false, liability: null, provider: null, status: null },
    collection_method: 'charge_automatically',
    computed: {
      recurring: terms.recurringAmount === null || terms.recurringInterval === null
        ? null
        : { amount_subtotal: terms.recurringAmount, amount_total: terms.recurringAmount, interval: terms.recurringInterval.interval, interval_count: terms.recurringInterval.interval_count, total_details: totals },
      upfront: { amount_subtotal: terms.amount, amount_total: terms.amount, total_details: totals },
    },
    created: ctx.created,
    currency: terms.currency,
    customer: terms.customer,
    customer_account: null,
    description: terms.description,
    discounts: [],
    expires_at: ctx.created + VALIDITY_SECONDS,
    footer: null,
    from_quote: null,
    header: null,
    invoice: null,
    invoice_settings: { custom_fields: null, days_until_due: null, description: null, footer: null, issuer: { type: 'self' } },
    livemode: false,
    metadata: terms.metadata,
    number: null,
    on_behalf_of: null,
    status: 'draft',
    status_transitions: { accepted_at: null, canceled_at: null, finalized_at: null },
    subscription: null,
    subscription_data: { billing_mode: { type: 'classic' }, description: null, effective_date: null, metadata: null, trial_period_days: null },
    subscription_schedule: null,
    test_clock: null,
    total_details: totals,
    transfer_data: null,
  } satisfies Quote;
}
