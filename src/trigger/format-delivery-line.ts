import { deliveryOutcome } from '../render/delivery-outcome.js';
import type { DeliveryRecord } from '../types.js';

/** `payment_intent.succeeded evt_123 ok 200`: one plain line per delivery for a report's log. */
export function formatDeliveryLine(record: DeliveryRecord): string {
  const outcome = deliveryOutcome(record);
  const error = record.handler?.outcome.status === 'error' ? `: ${record.handler.outcome.error.message}` : record.rejection ? `: ${record.rejection.message}` : '';
  return `${record.event?.type ?? '(not an event)'} ${record.event?.id ?? '-'} ${outcome} ${record.status}${error}`;
}
