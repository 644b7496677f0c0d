/** A card saved on a customer as a source (the legacy Sources/Tokens API), typed as stripe-node's Card. */
import type Stripe from 'stripe';
import type { TestCard } from '../resources/test-cards.js';
import type { ObjectContext } from './object-context.js';
import { testCard } from './object-context.js';

export function cardSource(ctx: ObjectContext, card: TestCard, customer: string): Stripe.Card {
  const visa = testCard(ctx.created);
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
    brand: BRAND_NAMES[card.brand] ?? card.brand,
    country: 'US',
    customer,
    cvc_check: 'pass',
    dynamic_last4: null,
    exp_month: visa.exp_month as number,
    exp_year: visa.exp_year as number,
    fingerprint: visa.fingerprint as string,
    funding: card.funding,
    last4: card.last4,
    metadata: {},
    name: null,
    regulated_status: 'unregulated',
    tokenization_method: null,
  };
}

/** Sources name brands as printed ("Visa"), where payment methods use the lower-case network. */
const BRAND_NAMES: Record<string, string> = { visa: 'Visa', mastercard: 'MasterCard', amex: 'American Express' };
