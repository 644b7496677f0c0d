import type { DeliveryRecord } from '../types.js';

export interface SessionCounts {
  events: number;
  ok: number;
  failed: number;
  rejected: number;
}

/** Tallies deliveries for the exit summary; pure so `listen` and `trigger` count alike. */
export function countDelivery(counts: SessionCounts, record: DeliveryRecord): SessionCounts {
  const rejected = record.rejection !== undefined || !record.verified;
  const failed = !rejected && (handlerFailed(record) || appRejected(record));
  return {
    events: counts.events + 1,
    ok: counts.ok + (!rejected && !failed ? 1 : 0),
    failed: counts.failed + (failed ? 1 : 0),
    rejected: counts.rejected + (rejected ? 1 : 0),
  };
}

export function handlerFailed(record: DeliveryRecord): boolean {
  const outcome = record.handler?.outcome.status;
  return outcome === 'error' || outcome === 'timeout';
}

/** The user's app did not take the event: it answered 3xx/4xx/5xx, or could not be reached. */
export function appRejected(record: DeliveryRecord): boolean {
  const outcome = record.forward?.outcome;
  return outcome !== undefined && (outcome.status === 'failed' || outcome.statusCode >= 300);
}

export const emptyCounts = (): SessionCounts => ({ events: 0, ok: 0, failed: 0, rejected: 0 });
