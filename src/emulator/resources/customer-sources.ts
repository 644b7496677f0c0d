/**
 * `/v1/customers/:id/sources`: cards saved with a token (`source=tok_visa`). The first one becomes
 * the customer's default_source, which Stripe reports as a customer.updated after
 * customer.source.created. A card source given as `source` when a customer is made (the fixtures of
 * subscription schedules and quotes do) is saved the same way, and charged when the customer's
 * invoices are paid with no payment method named.
 */
import type { StoredObject } from '../object-store.js';
import { cardSource } from '../objects/card-source.js';
import { paymentMethod as paymentMethodView } from '../objects/payments.js';
import { createObjectContext } from '../objects/object-context.js';
import { ApiFailure, invalidRequest, resourceMissing } from '../stripe-errors.js';
import { requiredString, updateMetadata } from './params.js';
import { refuseDeclinedCard, type ResolvedPaymentMethod } from './payment-methods.js';
import type { ResourceRoute, ResourceScope } from './resource-scope.js';
import { findObject, saveChanges, storeTyped, updateStoredMetadata } from './stored.js';
import { testCardFor, VISA } from './test-cards.js';

export function customerSourceRoutes(): ResourceRoute[] {
  return [
    { method: 'POST', path: '/v1/customers/:id/sources', handle: createSource },
    { method: 'GET', path: '/v1/customers/:id/sources/:source', handle: (scope) => findSource(scope).source },
    { method: 'POST', path: '/v1/customers/:id/sources/:source', handle: updateSource },
  ];
}

function createSource(scope: ResourceScope): StoredObject {
  const customer = findObject(scope, 'customer', scope.request.params.id ?? '', { label: 'customer' });
  const token = requiredString(scope.request.form, 'source');
  const card = testCardFor(token);
  if (card === undefined || !token.startsWith('tok_')) throw invalidRequest(`No such token: '${token}'. Offline, use a Stripe test token such as tok_visa.`, { code: 'resource_missing', param: 'source' });
  refuseDeclinedCard(card);
  const source = storeTyped(scope, { ...cardSource(createObjectContext(scope.created), card, customer.id), metadata: updateMetadata({}, scope.request.form.metadata).metadata });
  scope.cards.set(source.id, card);
  scope.emit('customer.source.created', source);
  if (customer.default_source === null || customer.default_source === undefined) {
    const updated = saveChanges(scope, customer, { default_source: source.id });
    scope.emit('customer.updated', updated, { default_source: null });
  }
  return source;
}

function findSource(scope: ResourceScope): { customer: StoredObject; source: StoredObject } {
  const customer = findObject(scope, 'customer', scope.request.params.id ?? '', { label: 'customer' });
  const id = scope.request.params.source ?? '';
  const source = scope.store.get('card', id);
  if (source === undefined || source.customer !== customer.id) throw new ApiFailure(resourceMissing('source', id));
  return { customer, source };
}

function updateSource(scope: ResourceScope): StoredObject {
  return updateStoredMetadata(scope, findSource(scope).source, ['customer.source.updated']);
}

export function addCardSource(scope: ResourceScope, customer: StoredObject, token: string | undefined): StoredObject {
  if (token === undefined) return customer;
  const card = testCardFor(token);
  if (card === undefined || !token.startsWith('tok_')) throw invalidRequest(`No such token: '${token}'. Use a Stripe test token such as tok_visa.`, { code: 'resource_missing', param: 'source' });
  refuseDeclinedCard(card);
  const source = storeTyped(scope, cardSource(createObjectContext(scope.created, { cus: customer.id }), card, customer.id));
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
