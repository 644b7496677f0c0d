import { forwardFailed } from '../forwarder/judge-answer.js';
import type { DeliveryRecord, ForwardResult } from '../types.js';

export interface SessionCounts {
  events: number;
  ok: number;
  failed: number;
  rejected: number;
  /** Failures that were the app's, by what it did: `{ "the app answered 400": 3 }`. Absent when none. */
  appFailures?: Record<string, number>;
}

/** Tallies deliveries for the exit summary; pure so `listen` and `trigger` count alike. */
export function countDelivery(counts: SessionCounts, record: DeliveryRecord): SessionCounts {
  const rejected = record.rejection !== undefined || !record.verified;
  const byApp = !rejected && !handlerFailed(record) && appRejected(record);
  const failed = !rejected && (handlerFailed(record) || byApp);
  const appFailures = byApp ? tally(counts.appFailures, appFailureWords(record.forward!)) : counts.appFailures;
  return {
    events: counts.events + 1,
    ok: counts.ok + (!rejected && !failed ? 1 : 0),
    failed: counts.failed + (failed ? 1 : 0),
    rejected: counts.rejected + (rejected ? 1 : 0),
    ...(appFailures ? { appFailures } : {}),
  };
}

/** What the app did, in the words the summary uses: it was the app, not webhook-dev, that said no. */
export function appFailureWords(forward: ForwardResult): string {
  const outcome = forward.outcome;
  if (outcome.status === 'failed') return 'the app could not be reached';
  if (outcome.statusCode < 300) return `the app answered ${outcome.statusCode} but reported a failure`;
  return `the app answered ${outcome.statusCode}`;
}

function tally(counts: Record<string, number> | undefined, key: string): Record<string, number> {
  return { ...counts, [key]: (counts?.[key] ?? 0) + 1 };
}

export function handlerFailed(record: DeliveryRecord): boolean {
  const outcome = record.handler?.outcome.status;
  return outcome === 'error' || outcome === 'timeout';
}

/** The user's app did not take the event: it answered 3xx/4xx/5xx, a 2xx that said otherwise, or could not be reached. */
export function appRejected(record: DeliveryRecord): boolean {
  return record.forward !== undefined && forwardFailed(record.forward);
}

export const emptyCounts = (): SessionCounts => ({ events: 0, ok: 0, failed: 0, rejected: 0 });
