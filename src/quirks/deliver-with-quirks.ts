import { setTimeout as sleepFor } from 'node:timers/promises';
import type { DeliveryQuirks } from '../types.js';
import { createQuirkPlanner } from './plan-quirks.js';
import type { QuirkSettings } from './quirk-settings.js';

/** One send of a payload list made without a session (`send`, `replay` standalone). */
export interface PlannedSend {
  /** The item's index in the list given. */
  index: number;
  /** 1 for a first delivery (and its duplicate copy), 2… for retries. */
  attempt: number;
  quirks: DeliveryQuirks;
  /** Wait this long before sending. */
  waitMs: number;
}

/** What `sendOne` reports: whether the target took the delivery (a 2xx, as Stripe judges it). */
export interface SendOutcome {
  ok: boolean;
}

export interface QuirkSendResult<R> {
  index: number;
  attempt: number;
  quirks: DeliveryQuirks;
  result: R;
}

export interface DeliverWithQuirksResult<R> {
  sends: QuirkSendResult<R>[];
  /** Items that failed and then succeeded on a retry: the attempt that succeeded. */
  succeeded: Array<{ index: number; attempt: number }>;
  /** Items still failing at the last attempt allowed. */
  givenUp: Array<{ index: number; attempts: number }>;
}

/**
 * The order and extras for a list of `count` payloads sent together without a session: they
 * arrived "together", so --shuffle permutes the whole list (nothing keeps its place), --delay holds
 * each one, and --duplicate sends a copy right after its original. Retries depend on the answers,
 * so deliverWithQuirks plans them as it goes.
 */
export function planQuirks(count: number, settings: QuirkSettings): PlannedSend[] {
  const planner = createQuirkPlanner(settings);
  const plans = Array.from({ length: count }, () => planner.next());
  const order = settings.shuffleMs !== undefined && count > 1 ? planner.shuffle(count) : plans.map((_, index) => index);
  return order.flatMap((index, position) => {
    const plan = plans[index]!;
    const quirks: DeliveryQuirks = {
      ...(plan.delayMs > 0 ? { delayedMs: plan.delayMs } : {}),
      ...(position !== index ? { reordered: true as const } : {}),
    };
    const first: PlannedSend = { index, attempt: 1, quirks, waitMs: plan.delayMs };
    return plan.duplicate ? [first, { index, attempt: 1, quirks: { duplicate: true }, waitMs: 0 }] : [first];
  });
}

/**
 * Sends `items` one after another with the quirks applied, for a command that sends without a
 * session. `sendOne` signs each send afresh (a copy or a retry carries a new timestamp) and says
 * whether the target took it; with --retry a failed first delivery is sent again on the
 * compressed schedule, up to --max-attempts. The same seed gives the same sends for the same list.
 */
export async function deliverWithQuirks<T, R extends SendOutcome>(
  items: readonly T[],
  sendOne: (item: T, send: { attempt: number; quirks: DeliveryQuirks }) => Promise<R>,
  settings: QuirkSettings,
  { sleep = (ms: number) => sleepFor(ms), signal }: { sleep?: (ms: number) => Promise<unknown>; signal?: AbortSignal } = {},
): Promise<DeliverWithQuirksResult<R>> {
  const planner = createQuirkPlanner(settings);
  const sends: QuirkSendResult<R>[] = [];
  const succeeded: DeliverWithQuirksResult<R>['succeeded'] = [];
  const givenUp: DeliverWithQuirksResult<R>['givenUp'] = [];
  for (const planned of planQuirks(items.length, settings)) {
    if (signal?.aborted) break;
    if (planned.waitMs > 0) await sleep(planned.waitMs);
    const item = items[planned.index]!;
    let result = await sendOne(item, { attempt: 1, quirks: planned.quirks });
    sends.push({ index: planned.index, attempt: 1, quirks: planned.quirks, result });
    // A duplicate copy is not retried: Stripe retries an event, and its first delivery stands for it.
    if (settings.retry === undefined || planned.quirks.duplicate) continue;
    let attempt = 1;
    while (!result.ok && attempt < settings.retry.maxAttempts && !signal?.aborted) {
      attempt += 1;
      await sleep(planner.retryDelay(attempt));
      result = await sendOne(item, { attempt, quirks: { retry: true } });
      sends.push({ index: planned.index, attempt, quirks: { retry: true }, result });
    }
    if (result.ok && attempt > 1) succeeded.push({ index: planned.index, attempt });
    if (!result.ok && attempt === settings.retry.maxAttempts) givenUp.push({ index: planned.index, attempts: attempt });
  }
  return { sends, succeeded, givenUp };
}
