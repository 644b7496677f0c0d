/**
 * The update half of most API resources: `POST /v1/<things>/:id` with some fields and
 * `metadata[…]`. Only what changed goes into `previous_attributes` (metadata key by key, as
 * Stripe shows it), and a request that changes nothing sends no event.
 */
import type { FormValue } from '../form-body.js';
import type { StoredObject } from '../object-store.js';
import { updateMetadata } from './params.js';
import type { ResourceScope } from './resource-scope.js';
import { previousValues, saveChanges } from './stored.js';

export interface ObjectUpdate {
  /** Fields to set; undefined values are left alone. */
  changes?: Record<string, unknown>;
  /** The request's `metadata` parameter. */
  metadata?: FormValue | undefined;
  /** Sent when something changed, e.g. `coupon.updated`. */
  eventType: string;
  /** Events that follow the update's own (a price's plan.updated), given what changed. */
  follow?: (updated: StoredObject, previous: Record<string, unknown>) => void;
}

export function updateObject<T extends StoredObject>(scope: ResourceScope, object: T, { changes, metadata, eventType, follow }: ObjectUpdate): T {
  const update = computeUpdate(object, { changes, metadata });
  if (update === undefined) return object;
  const updated = saveChanges(scope, object, update.changes);
  scope.emit(eventType, updated, update.previous);
  follow?.(updated, update.previous);
  return updated;
}

/** The fields to save and their `previous_attributes`; undefined when nothing would change. */
export function computeUpdate(object: StoredObject, { changes = {}, metadata }: Pick<ObjectUpdate, 'changes' | 'metadata'>): { changes: Record<string, unknown>; previous: Record<string, unknown> } | undefined {
  const defined = Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined));
  const previous = previousValues(object, defined);
  const metadataChange = updateMetadata((object.metadata ?? {}) as Record<string, string>, metadata);
  if (metadataChange.previous !== undefined) {
    defined.metadata = metadataChange.metadata;
    previous.metadata = metadataChange.previous;
  }
  return Object.keys(previous).length === 0 ? undefined : { changes: defined, previous };
}

/** `DELETE /v1/<things>/:id`: the event carries the object as it was; the API answers with a stub. */
export function deleteObject(scope: ResourceScope, object: StoredObject, eventType: string): StoredObject {
  const stub = scope.store.put({ id: object.id, object: object.object, deleted: true });
  scope.emit(eventType, object);
  return stub;
}
