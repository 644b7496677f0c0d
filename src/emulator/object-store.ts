/**
 * In-memory API objects by id, for endpoints that read back what the emulator made: events, and
 * the customers, payment intents… that `stripe trigger` fixtures create and refer to. Each object type keeps its newest `limitPerType`
 * entries so a long session or a benchmark cannot grow memory without bound.
 */
export interface StoredObject {
  id: string;
  object: string;
  [key: string]: unknown;
}

export class ObjectStore {
  readonly #byType = new Map<string, Map<string, StoredObject>>();
  readonly #limitPerType: number;

  constructor({ limitPerType = 1000 }: { limitPerType?: number } = {}) {
    this.#limitPerType = limitPerType;
  }

  put<T extends StoredObject>(object: T): T {
    let objects = this.#byType.get(object.object);
    if (objects === undefined) {
      objects = new Map();
      this.#byType.set(object.object, objects);
    }
    objects.delete(object.id);
    objects.set(object.id, object);
    if (objects.size > this.#limitPerType) {
      const oldest = objects.keys().next();
      if (oldest.done !== true) objects.delete(oldest.value);
    }
    return object;
  }

  get(type: string, id: string): StoredObject | undefined {
    return this.#byType.get(type)?.get(id);
  }

  /** Newest first, as Stripe's list endpoints return them. */
  list(type: string): StoredObject[] {
    return [...(this.#byType.get(type)?.values() ?? [])].reverse();
  }
}
