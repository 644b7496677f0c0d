import type { DeliveryRecord } from '../types.js';

export interface TriggerEventCollector {
  add(record: DeliveryRecord): void;
  deliveries(): DeliveryRecord[];
  /** Expected event types with no delivery yet. */
  missing(): string[];
  complete(): boolean;
}

/**
 * Which events belong to a trigger. The Stripe CLI prints no event ids, so attribution is by time:
 * every delivery that arrives after the trigger starts belongs to it, until each expected type has
 * arrived (and, since a record is emitted only once the handler finished, been handled) and then a
 * quiet period has passed with nothing new. The caller owns the clock and the quiet timer.
 */
export function createTriggerEventCollector(expected: readonly string[]): TriggerEventCollector {
  const collected: DeliveryRecord[] = [];
  const waiting = new Set(expected);
  return {
    add(record) {
      collected.push(record);
      const type = record.event?.type;
      if (type !== undefined) waiting.delete(type);
    },
    deliveries: () => [...collected],
    missing: () => [...waiting],
    complete: () => waiting.size === 0,
  };
}
