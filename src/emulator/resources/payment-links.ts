/**
 * `/v1/payment_links`: create from line items of stored prices, retrieve, update. The link's
 * currency is its prices'; a recurring price makes a subscription link.
 */
import { deepMerge } from '../deep-merge.js';
import type { StoredObject } from '../object-store.js';
import { createObjectContext } from '../objects/object-context.js';
import { paymentLink } from '../objects/payment-links.js';
import { invalidRequest, missingParam } from '../stripe-errors.js';
import { optionalBoolean, optionalInteger, optionalList, optionalString, requiredString, updateMetadata } from './params.js';
import type { ResourceRoute, ResourceScope } from './resource-scope.js';
import { findObject } from './stored.js';
import { updateObject } from './update-object.js';

export function paymentLinkRoutes(): ResourceRoute[] {
  return [
    { method: 'POST', path: '/v1/payment_links', handle: createPaymentLink },
    { method: 'GET', path: '/v1/payment_links/:id', handle: (scope) => findObject(scope, 'payment_link', scope.request.params.id ?? '') },
    { method: 'POST', path: '/v1/payment_links/:id', handle: updatePaymentLink },
  ];
}

function linePrices(scope: ResourceScope): StoredObject[] {
  const lines = optionalList(scope.request.form, 'line_items') ?? [];
  if (lines.length === 0) throw missingParam('line_items');
  return lines.map((line, index) => {
    const fields = typeof line === 'object' && !Array.isArray(line) ? line : {};
    const price = findObject(scope, 'price', requiredString(fields, 'price'), { param: `line_items[${index}][price]` });
    if ((optionalInteger(fields, 'quantity') ?? 1) < 1) throw invalidRequest('Quantity must be at least 1.', { param: `line_items[${index}][quantity]` });
    return price;
  });
}

function createPaymentLink(scope: ResourceScope): StoredObject {
  const { form } = scope.request;
  const prices = linePrices(scope);
  const currency = String(prices[0]!.currency);
  if (prices.some((price) => price.currency !== currency)) throw invalidRequest('All prices on a payment link must have the same currency.', { param: 'line_items' });
  const base = paymentLink(createObjectContext(scope.created), currency, prices.some((price) => price.type === 'recurring')) as StoredObject;
  const created = scope.store.put(
    deepMerge(base, {
      allow_promotion_codes: optionalBoolean(form, 'allow_promotion_codes') ?? false,
      metadata: updateMetadata({}, form.metadata).metadata,
    }),
  );
  scope.emit('payment_link.created', created);
  return created;
}

function updatePaymentLink(scope: ResourceScope): StoredObject {
  const link = findObject(scope, 'payment_link', scope.request.params.id ?? '');
  const { form } = scope.request;
  const inactiveMessage = optionalString(form, 'inactive_message');
  return updateObject(scope, link, {
    changes: {
      active: optionalBoolean(form, 'active'),
      allow_promotion_codes: optionalBoolean(form, 'allow_promotion_codes'),
      inactive_message: inactiveMessage === undefined ? undefined : inactiveMessage === '' ? null : inactiveMessage,
    },
    metadata: form.metadata,
    eventType: 'payment_link.updated',
  });
}
