import type { DeliveryRecord } from '../types.js';

/** Where deliveries come from: the in-process session, or a running session's control stream. */
export interface DeliverySource {
  /** Returns the unsubscribe function. */
  subscribe(listener: (record: DeliveryRecord) => void): () => void;
}
