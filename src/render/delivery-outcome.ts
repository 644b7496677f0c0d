import type { DeliveryRecord } from '../types.js';

export type DeliveryOutcome = 'ok' | 'error' | 'timeout' | 'unhandled' | 'inspected' | 'rejected';

/**
 * One word for what happened to a delivery, shared by both reporters (and usable for counting):
 * a rejection wins over everything, no handler result means inspect mode.
 */
export function deliveryOutcome(record: DeliveryRecord): DeliveryOutcome {
  if (record.rejection !== undefined || !record.verified) return 'rejected';
  if (record.handler === undefined) return 'inspected';
  return record.handler.outcome.status;
}
