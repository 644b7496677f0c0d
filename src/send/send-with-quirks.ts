import { deliverWithQuirks } from '../quirks/deliver-with-quirks.js';
import type { QuirkSettings } from '../quirks/quirk-settings.js';
import type { DeliveryQuirks, QuirkEventAttempt, QuirkSummary, SendReport } from '../types.js';

/** One payload of a list that `send` or `replay` delivers without a session. */
export interface QuirkItem {
  eventId: string;
  eventType: string;
}

/** What one send made: `ok` is what Stripe would judge (the target took it), for --retry. */
export interface QuirkSendDone<D> {
  ok: boolean;
  delivery: D;
}

export interface SentWithQuirks<D> {
  /** Every delivery made, in order: first deliveries, copies and retries. */
  deliveries: D[];
  /**
   * The deliveries that decide the verdict: each item's last attempt, and every duplicate copy
   * (a handler must take a copy too). A failed attempt that a later retry made good does not count.
   */
  standing: D[];
  summary: QuirkSummary;
}

/**
 * `send` and `replay` without a session: the items delivered one after another with the quirks
 * applied (deliverWithQuirks decides), and the summary a session would give of them. `sendOne`
 * signs afresh and shows the delivery; it is told the attempt and what the quirks made of it.
 */
export async function sendWithQuirks<T extends QuirkItem, D>(
  items: readonly T[],
  settings: QuirkSettings,
  sendOne: (item: T, send: { attempt: number; quirks: DeliveryQuirks }) => Promise<QuirkSendDone<D>>,
  { signal }: { signal?: AbortSignal } = {},
): Promise<SentWithQuirks<D>> {
  const { sends, succeeded, givenUp } = await deliverWithQuirks(items, sendOne, settings, signal ? { signal } : {});
  const lastAttempt = new Map<number, number>();
  for (const send of sends) if (!send.quirks.duplicate) lastAttempt.set(send.index, Math.max(lastAttempt.get(send.index) ?? 0, send.attempt));
  const standing = sends.filter((send) => send.quirks.duplicate === true || lastAttempt.get(send.index) === send.attempt).map((send) => send.result.delivery);
  const named = (index: number, attempt: number): QuirkEventAttempt => ({ eventId: items[index]!.eventId, eventType: items[index]!.eventType, attempt });
  return {
    deliveries: sends.map((send) => send.result.delivery),
    standing,
    summary: {
      settings,
      duplicates: sends.filter((send) => send.quirks.duplicate === true).length,
      reordered: sends.filter((send) => send.quirks.reordered === true).length,
      delayed: sends.filter((send) => send.quirks.delayedMs !== undefined).length,
      retries: sends.filter((send) => send.quirks.retry === true).length,
      succeeded: succeeded.map(({ index, attempt }) => named(index, attempt)),
      givenUp: givenUp.map(({ index, attempts }) => named(index, attempts)),
      // Nothing closes under a command that waits for every retry; an interrupted run exits instead.
      notRetried: [],
    },
  };
}

/** The report of one send as the quirks made it: its attempt, and the quirks when any touched it. */
export function asMadeByQuirks<R extends SendReport>(report: R, { attempt, quirks }: { attempt: number; quirks: DeliveryQuirks }): R {
  return { ...report, record: { ...report.record, attempt, ...(Object.keys(quirks).length > 0 ? { quirks } : {}) } };
}
