import { forwardFailed } from '../forwarder/judge-answer.js';
import type { DeliveryRecord } from '../types.js';

export type DeliveryOutcome = 'ok' | 'error' | 'timeout' | 'unhandled' | 'inspected' | 'rejected' | 'app-failed';

/**
 * One word for what happened to a delivery, shared by both reporters (and usable for counting):
 * a rejection wins over everything, then a handler's failure, then the app's (`--forward-to`); no
 * handler result means inspect mode.
 */
export function deliveryOutcome(record: DeliveryRecord): DeliveryOutcome {
  if (record.rejection !== undefined || !record.verified) return 'rejected';
  const status = record.handler?.outcome.status;
  if (status === 'error' || status === 'timeout') return status;
  if (record.forward !== undefined && forwardFailed(record.forward)) return 'app-failed';
  return status ?? 'inspected';
}
