/**
 * `/v1/products` and `/v1/prices`. A recurring price is also a Plan in Stripe's older API, so
 * creating or changing one sends the plan event after the price event (`/v1/plans` sends them
 * the other way round: see plans.ts).
 */
import { deepMerge } from '../deep-merge.js';
import type { FormObject } from '../form-body.js';
import type { StoredObject } from '../object-store.js';
import { planFromPrice, price as priceObject, product as productObject } from '../objects/billing.js';
import { createObjectContext } from '../objects/object-context.js';
import { invalidRequest } from '../stripe-errors.js';
import { optionalBoolean, optionalInteger, optionalObject, optionalString, requiredString, updateMetadata } from './params.js';
import type { ResourceRoute, ResourceScope } from './resource-scope.js';
import { asPrice, findObject } from './stored.js';
import { deleteObject, updateObject } from './update-object.js';

export function productPriceRoutes(): ResourceRoute[] {
  return [
    { method: 'POST', path: '/v1/products', handle: createProduct },
    { method: 'GET', path: '/v1/products/:id', handle: (scope) => findObject(scope, 'product', scope.request.params.id ?? '', { allowDeleted: true }) },
    { method: 'POST', path: '/v1/products/:id', handle: updateProduct },
    { method: 'DELETE', path: '/v1/products/:id', handle: deleteProduct },
    { method: 'POST', path: '/v1/prices', handle: createPrice },
    { method: 'GET', path: '/v1/prices/:id', handle: (scope) => findObject(scope, 'price', scope.request.params.id ?? '') },
    { method: 'POST', path: '/v1/prices/:id', handle: updatePrice },
  ];
}

/** Stores a new product and sends product.created: `/v1/products`, `product_data` and `/v1/plans` all make one this way. */
export function storeProduct(scope: ResourceScope, data: FormObject): StoredObject {
  const product = scope.store.put(
    deepMerge(productObject(createObjectContext(scope.created)) as StoredObject, {
      active: optionalBoolean(data, 'active') ?? true,
      default_price: null,
      description: optionalString(data, 'description') ?? null,
      metadata: updateMetadata({}, data.metadata).metadata,
      name: requiredString(data, 'name'),
    }),
  );
  scope.emit('product.created', product);
  return product;
}

function createProduct(scope: ResourceScope): StoredObject {
  return storeProduct(scope, scope.request.form);
}

function text(form: FormObject, name: string): string | null | undefined {
  const value = optionalString(form, name);
  return value === undefined ? undefined : value === '' ? null : value;
}

function updateProduct(scope: ResourceScope): StoredObject {
  const product = findObject(scope, 'product', scope.request.params.id ?? '');
  const { form } = scope.request;
  const name = optionalString(form, 'name');
  if (name === '') throw invalidRequest('You cannot set name to an empty string.', { param: 'name' });
  const changes = { active: optionalBoolean(form, 'active'), description: text(form, 'description'), name, url: text(form, 'url') };
  const changed = Object.values(changes).some((value) => value !== undefined) || form.metadata !== undefined;
  return updateObject(scope, product, { changes: { ...changes, ...(changed ? { updated: scope.created } : {}) }, metadata: form.metadata, eventType: 'product.updated' });
}

/** Stripe refuses to delete a product that still has prices. */
function deleteProduct(scope: ResourceScope): StoredObject {
  const product = findObject(scope, 'product', scope.request.params.id ?? '');
  if (scope.store.list('price').some((price) => price.product === product.id && price.deleted !== true)) {
    throw invalidRequest('This product cannot be deleted because it has one or more user-created prices.', { code: 'product_has_prices' });
  }
  return deleteObject(scope, product, 'product.deleted');
}

/** `product` names a stored product; `product_data[name]` makes one on the way (product.created first). */
function productFor(scope: ResourceScope): string {
  const { form } = scope.request;
  const id = optionalString(form, 'product');
  if (id !== undefined) return findObject(scope, 'product', id, { param: 'product' }).id;
  const data = optionalObject(form, 'product_data');
  if (data === undefined) throw invalidRequest('You must specify either `product` or `product_data` when creating a price.');
  return storeProduct(scope, data).id;
}

export interface PriceTerms {
  product: string;
  currency: string;
  unitAmount: number;
  recurring: { interval: string; intervalCount: number; usageType: string; trialPeriodDays: number | null } | null;
  nickname: string | null;
  lookupKey: string | null;
  metadata: Record<string, string>;
}

/** Stores a new price (no event: the caller sends price.created and plan.created in its own order). */
export function storePrice(scope: ResourceScope, terms: PriceTerms): StoredObject {
  const base = priceObject(createObjectContext(scope.created, { prod: terms.product })) as StoredObject;
  return scope.store.put(
    deepMerge(base, {
      currency: terms.currency,
      lookup_key: terms.lookupKey,
      metadata: terms.metadata,
      nickname: terms.nickname,
      recurring: terms.recurring === null
        ? null
        : { interval: terms.recurring.interval, interval_count: terms.recurring.intervalCount, meter: null, trial_period_days: terms.recurring.trialPeriodDays, usage_type: terms.recurring.usageType },
      type: terms.recurring === null ? 'one_time' : 'recurring',
      unit_amount: terms.unitAmount,
      unit_amount_decimal: String(terms.unitAmount),
    }),
  );
}

export function planOf(price: StoredObject): StoredObject {
  return planFromPrice(asPrice(price)) as StoredObject;
}

function createPrice(scope: ResourceScope): StoredObject {
  const { form } = scope.request;
  const currency = requiredString(form, 'currency').toLowerCase();
  const unitAmount = optionalInteger(form, 'unit_amount');
  if (unitAmount === undefined) throw invalidRequest('webhook-dev\'s offline emulator needs `unit_amount` for a price (tiers and custom amounts are not emulated).', { param: 'unit_amount' });
  const product = productFor(scope);
  const recurringForm = optionalObject(form, 'recurring');
  const price = storePrice(scope, {
    product,
    currency,
    unitAmount,
    recurring: recurringForm === undefined
      ? null
      : {
          interval: requiredString(recurringForm, 'interval'),
          intervalCount: optionalInteger(recurringForm, 'interval_count') ?? 1,
          usageType: optionalString(recurringForm, 'usage_type') ?? 'licensed',
          trialPeriodDays: null,
        },
    nickname: optionalString(form, 'nickname') ?? null,
    lookupKey: optionalString(form, 'lookup_key') ?? null,
    metadata: updateMetadata({}, form.metadata).metadata,
  });
  scope.emit('price.created', price);
  if (price.type === 'recurring') scope.emit('plan.created', planOf(price));
  return price;
}

/** Only a price's display fields, `active` and metadata can change; plan.updated follows for a recurring one. */
function updatePrice(scope: ResourceScope): StoredObject {
  const price = findObject(scope, 'price', scope.request.params.id ?? '');
  const { form } = scope.request;
  return updateObject(scope, price, {
    changes: { active: optionalBoolean(form, 'active'), lookup_key: text(form, 'lookup_key'), nickname: text(form, 'nickname') },
    metadata: form.metadata,
    eventType: 'price.updated',
    follow: (updated, previous) => {
      if (updated.type === 'recurring') emitCompanion(scope, 'plan.updated', planOf(updated), previous);
    },
  });
}

/**
 * The other view of a changed price or plan (they share an id): the same changes, limited to the
 * fields that view has, so nothing shows up only because one object names a field differently.
 */
export function emitCompanion(scope: ResourceScope, type: string, companion: StoredObject, previous: Record<string, unknown>): void {
  const shared = Object.fromEntries(Object.entries(previous).filter(([key]) => key in companion));
  if (Object.keys(shared).length > 0) scope.emit(type, companion, shared);
}
