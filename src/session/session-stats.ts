import type { DeliveryRecord } from '../types.js';

export interface SessionCounts {
  events: number;
  ok: number;
  failed: number;
  rejected: number;
}

/** Tallies deliveries for the exit summary; pure so the same rules serve `trigger` later. */
export function countDelivery(counts: SessionCounts, record: DeliveryRecord): SessionCounts {
  const outcome = record.handler?.outcome.status;
  return {
    events: counts.events + 1,
    ok: counts.ok + (record.verified && !record.rejection && outcome !== 'error' && outcome !== 'timeout' ? 1 : 0),
    failed: counts.failed + (outcome === 'error' || outcome === 'timeout' ? 1 : 0),
    rejected: counts.rejected + (record.rejection ? 1 : 0),
  };
}

export const emptyCounts = (): SessionCounts => ({ events: 0, ok: 0, failed: 0, rejected: 0 });
