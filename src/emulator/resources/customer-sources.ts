/**
 * A card source given as `source` when a customer is made (the fixtures of subscription schedules
 * and quotes do): saved as the customer's `default_source` (customer.source.created), and charged
 * when the customer's invoices are paid with no payment method named.
 */
import { paymentMethod as paymentMethodView } from '../objects/payments.js';
import { cardSource } from '../objects/card-sources.js';
import { createObjectContext } from '../objects/object-context.js';
import type { StoredObject } from '../object-store.js';
import { invalidRequest } from '../stripe-errors.js';
import type { ResolvedPaymentMethod } from './payment-methods.js';
import { refuseDeclinedCard } from './payment-methods.js';
import type { ResourceScope } from './resource-scope.js';
import { saveChanges } from './stored.js';
import { testCardFor, VISA } from './test-cards.js';

export function addCardSource(scope: ResourceScope, customer: StoredObject, token: string | undefined): StoredObject {
  if (token === undefined) return customer;
  const card = testCardFor(token);
  if (card === undefined || !token.startsWith('tok_')) throw invalidRequest(`No such token: '${token}'. Use a Stripe test token such as tok_visa.`, { code: 'resource_missing', param: 'source' });
  refuseDeclinedCard(card);
  const source = scope.store.put(cardSource(createObjectContext(scope.created, { cus: customer.id }), card) as StoredObject);
  scope.cards.set(source.id, card);
  const updated = saveChanges(scope, customer, { default_source: source.id });
  scope.emit('customer.source.created', source);
  return updated;
}

/**
 * The customer's default source as the payment flow takes a payment method: charges name the
 * `card_…` as their payment method, as Stripe's do for sources.
 */
export function defaultSourceMethod(scope: ResourceScope, customer: StoredObject): ResolvedPaymentMethod | undefined {
  if (typeof customer.default_source !== 'string') return undefined;
  const source = scope.store.get('card', customer.default_source);
  if (source === undefined) return undefined;
  const view = paymentMethodView(createObjectContext(scope.created, { pm: source.id, cus: customer.id }));
  return { paymentMethod: { ...view, id: source.id, object: 'payment_method' }, card: scope.cards.get(source.id) ?? VISA };
}
