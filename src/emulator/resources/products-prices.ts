/**
 * `/v1/products` and `/v1/prices`. A recurring price is also a Plan in Stripe's older API, so
 * creating one sends plan.created after price.created.
 */
import { deepMerge } from '../deep-merge.js';
import type { StoredObject } from '../object-store.js';
import { planFromPrice, price as priceObject, product as productObject } from '../objects/billing.js';
import { createObjectContext } from '../objects/object-context.js';
import { invalidRequest } from '../stripe-errors.js';
import { optionalBoolean, optionalInteger, optionalObject, optionalString, requiredString, updateMetadata } from './params.js';
import type { ResourceRoute, ResourceScope } from './resource-scope.js';
import { findObject } from './stored.js';

export function productPriceRoutes(): ResourceRoute[] {
  return [
    { method: 'POST', path: '/v1/products', handle: createProduct },
    { method: 'GET', path: '/v1/products/:id', handle: (scope) => findObject(scope, 'product', scope.request.params.id ?? '', { allowDeleted: true }) },
    { method: 'POST', path: '/v1/prices', handle: createPrice },
    { method: 'GET', path: '/v1/prices/:id', handle: (scope) => findObject(scope, 'price', scope.request.params.id ?? '') },
  ];
}

function createProduct(scope: ResourceScope): StoredObject {
  const { form } = scope.request;
  const product = scope.store.put(
    deepMerge(productObject(createObjectContext(scope.created)), {
      active: optionalBoolean(form, 'active') ?? true,
      default_price: null,
      description: optionalString(form, 'description') ?? null,
      metadata: updateMetadata({}, form.metadata).metadata,
      name: requiredString(form, 'name'),
    }) as StoredObject,
  );
  scope.emit('product.created', product);
  return product;
}

/** `product` names a stored product; `product_data[name]` makes one on the way (product.created first). */
function productFor(scope: ResourceScope): string {
  const { form } = scope.request;
  const id = optionalString(form, 'product');
  if (id !== undefined) return findObject(scope, 'product', id, { param: 'product' }).id;
  const data = optionalObject(form, 'product_data');
  if (data === undefined) throw invalidRequest('You must specify either `product` or `product_data` when creating a price.');
  const product = scope.store.put(
    deepMerge(productObject(createObjectContext(scope.created)), { default_price: null, name: requiredString(data, 'name'), metadata: updateMetadata({}, data.metadata).metadata }) as StoredObject,
  );
  scope.emit('product.created', product);
  return product.id;
}

function createPrice(scope: ResourceScope): StoredObject {
  const { form } = scope.request;
  const currency = requiredString(form, 'currency').toLowerCase();
  const unitAmount = optionalInteger(form, 'unit_amount');
  if (unitAmount === undefined) throw invalidRequest('webhook-dev\'s offline emulator needs `unit_amount` for a price (tiers and custom amounts are not emulated).', { param: 'unit_amount' });
  const product = productFor(scope);
  const recurringForm = optionalObject(form, 'recurring');
  const base = priceObject(createObjectContext(scope.created, { prod: product }));
  const recurring = recurringForm === undefined
    ? null
    : {
        interval: requiredString(recurringForm, 'interval'),
        interval_count: optionalInteger(recurringForm, 'interval_count') ?? 1,
        meter: null,
        trial_period_days: null,
        usage_type: optionalString(recurringForm, 'usage_type') ?? 'licensed',
      };
  const price = scope.store.put(
    deepMerge(base, {
      currency,
      lookup_key: optionalString(form, 'lookup_key') ?? null,
      metadata: updateMetadata({}, form.metadata).metadata,
      nickname: optionalString(form, 'nickname') ?? null,
      recurring,
      type: recurring === null ? 'one_time' : 'recurring',
      unit_amount: unitAmount,
      unit_amount_decimal: String(unitAmount),
    }) as StoredObject,
  );
  scope.emit('price.created', price);
  if (recurring !== null) scope.emit('plan.created', planFromPrice(price) as StoredObject);
  return price;
}
