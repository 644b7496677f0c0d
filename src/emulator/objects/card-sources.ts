import type Stripe from 'stripe';
import type { TestCard } from '../resources/test-cards.js';
import type { ObjectContext } from './object-context.js';
import { testCard } from './object-context.js';
import type { Wire } from './wire.js';

/** A card saved on a customer as a source (`source=tok_visa`), Stripe's older way to keep a card. */
export function cardSource(ctx: ObjectContext, card: TestCard): Wire<Stripe.Card> {
  const base = testCard(ctx.created);
  return {
    id: ctx.id('card'),
    object: 'card',
    address_city: null,
    address_country: null,
    address_line1: null,
    address_line1_check: null,
    address_line2: null,
    address_state: null,
    address_zip: null,
    address_zip_check: null,
    allow_redisplay: 'unspecified',
    brand: card.brand === 'amex' ? 'American Express' : card.brand === 'mastercard' ? 'MasterCard' : 'Visa',
    country: 'US',
    customer: ctx.id('cus'),
    cvc_check: 'pass',
    dynamic_last4: null,
    exp_month: base.exp_month as number,
    exp_year: base.exp_year as number,
    fingerprint: base.fingerprint as string,
    funding: card.funding,
    last4: card.last4,
    metadata: {},
    name: null,
    regulated_status: 'unregulated',
    tokenization_method: null,
  } satisfies Wire<Stripe.Card>;
}
