import type Stripe from 'stripe';
import type { ObjectContext } from './object-context.js';
import type { Wire } from './wire.js';

export interface TaxRateTerms {
  displayName: string;
  percentage: number;
  inclusive: boolean;
  description: string | null;
  country: string | null;
  state: string | null;
  jurisdiction: string | null;
  taxType: string | null;
  active: boolean;
  metadata: Record<string, string>;
}

/** A percentage tax rate (`POST /v1/tax_rates`); Stripe reports the same figure as effective until a location narrows it. */
export function taxRate(ctx: ObjectContext, terms: TaxRateTerms): Wire<Stripe.TaxRate> {
  return {
    id: ctx.id('txr'),
    object: 'tax_rate',
    active: terms.active,
    country: terms.country,
    created: ctx.created,
    description: terms.description,
    display_name: terms.displayName,
    effective_percentage: terms.percentage,
    flat_amount: null,
    inclusive: terms.inclusive,
    jurisdiction: terms.jurisdiction,
    jurisdiction_level: null,
    livemode: false,
    metadata: terms.metadata,
    percentage: terms.percentage,
    rate_type: 'percentage',
    state: terms.state,
    tax_type: terms.taxType,
  } satisfies Wire<Stripe.TaxRate>;
}
