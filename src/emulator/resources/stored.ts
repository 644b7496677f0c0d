import type Stripe from 'stripe';
import type { StoredObject } from '../object-store.js';
import type { Wire } from '../objects/wire.js';
import { ApiFailure, resourceMissing } from '../stripe-errors.js';
import { updateMetadata } from './params.js';
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

/**
 * Stores an object built as a stripe-node type (which has no index signature, so it is not a
 * StoredObject to the compiler) and returns it as the store keeps it.
 */
export function storeTyped<T extends { id: string; object: string }>(scope: Pick<ResourceScope, 'store'>, object: T): StoredObject {
  return scope.store.put(object as unknown as StoredObject);
}

/** The stored object read back as the stripe-node type it was built as. */
export function findTyped<T>(scope: Pick<ResourceScope, 'store'>, type: string, id: string, options: { label?: string; param?: string } = {}): T {
  return findObject(scope, type, id, options) as unknown as T;
}

/**
 * The update most objects allow: `metadata[key]=value`. Saves the change and sends each of
 * `eventTypes` with the old values as `previous_attributes`; a request that changes nothing sends
 * nothing, as in Stripe.
 */
export function updateStoredMetadata(scope: ResourceScope, object: StoredObject, eventTypes: readonly string[], options?: { account?: string }): StoredObject {
  const { metadata, previous } = updateMetadata((object.metadata ?? {}) as Record<string, string>, scope.request.form.metadata);
  if (previous === undefined) return object;
  const updated = saveChanges(scope, object, { metadata });
  for (const type of eventTypes) scope.emit(type, updated, { metadata: previous }, options);
  return updated;
}

/** A stored price as the builders that embed prices (subscription items, plans) take it. */
export function asPrice(stored: StoredObject): Wire<Stripe.Price> {
  return stored as unknown as Wire<Stripe.Price>;
}
