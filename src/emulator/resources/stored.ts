import type Stripe from 'stripe';
import type { StoredObject } from '../object-store.js';
import type { Wire } from '../objects/wire.js';
import { ApiFailure, resourceMissing } from '../stripe-errors.js';
import type { ResourceScope } from './resource-scope.js';

/**
 * The stored object or Stripe's `resource_missing` 404 (`No such customer: 'cus_…'`). A deleted
 * object is missing too, except to GET, which shows its `deleted: true` stub as Stripe does.
 */
export function findObject(scope: Pick<ResourceScope, 'store'>, type: string, id: string, { label = type, param = 'id', allowDeleted = false } = {}): StoredObject {
  const found = scope.store.get(type, id);
  if (found === undefined || (found.deleted === true && !allowDeleted)) throw new ApiFailure(resourceMissing(label, id, param));
  return found;
}

/** A copy with `changes` applied, stored in place of the old one. */
export function saveChanges<T extends StoredObject>(scope: Pick<ResourceScope, 'store'>, object: T, changes: Record<string, unknown>): T {
  return scope.store.put({ ...object, ...changes });
}

/** Which of `changes` differ from `object`, with their old values: `previous_attributes`. */
export function previousValues(object: StoredObject, changes: Record<string, unknown>): Record<string, unknown> {
  const previous: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(changes)) {
    if (JSON.stringify(object[key]) !== JSON.stringify(value)) previous[key] = object[key] ?? null;
  }
  return previous;
}

/** A stored price as the builders that embed prices (subscription items, plans) take it. */
export function asPrice(stored: StoredObject): Wire<Stripe.Price> {
  return stored as unknown as Wire<Stripe.Price>;
}
