import type { ReplayDelivery, ReplayTotals } from '../replay/replay-report.js';
import { toSendRecord, type SendRecord } from './json-records.js';

/**
 * `webhook-dev replay --json`: one `replay` record per re-delivery, then one `replay-summary`. A
 * replay record is a send record (the same keys, `target`, `status`, `forward`, `delivery`…) with
 * the event and copy it replays and the verdict `trigger` would give it.
 */
export interface ReplayRecord extends Omit<SendRecord, 'type' | 'tamper' | 'expected'> {
  type: 'replay';
  eventId: string;
  /** 1…times (`--times`). */
  copy: number;
  times: number;
  edited: boolean;
  /** The journal had masked a secret in the body: not the original bytes. */
  redacted: boolean;
  verdict: ReplayDelivery['verdict'];
}

export interface ReplaySummaryRecord extends ReplayTotals {
  type: 'replay-summary';
}

export function toReplayRecord(delivery: ReplayDelivery): ReplayRecord {
  const { type: _type, tamper: _tamper, expected: _expected, ...send } = toSendRecord(delivery);
  return { type: 'replay', eventId: delivery.eventId, copy: delivery.copy, times: delivery.times, edited: delivery.edited, redacted: delivery.redacted, verdict: delivery.verdict, ...send };
}

export function toReplaySummaryRecord(totals: ReplayTotals): ReplaySummaryRecord {
  return { type: 'replay-summary', ...totals };
}
