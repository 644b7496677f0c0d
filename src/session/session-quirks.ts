/**
 * The delivery quirks of a session (--duplicate, --shuffle, --delay, --retry), at the front of its
 * one delivery path. Held deliveries (delay, shuffle) wait inside the dispatcher, after
 * verification and before the handler, so the Stripe CLI's request simply takes longer, as a slow
 * Stripe would. Duplicate copies and retries are POSTed to the session's own receiver on the
 * loopback, signed with its secret and a fresh timestamp, like the catch-up's recovered events
 * (listen-recovery.ts): they take the same path (verification, handler, app, journal, reporters,
 * trigger's waiters) and carry a mark that only this session can make (quirk-mark.ts).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { createQuirkMarker, QUIRK_HEADER, type QuirkMark } from '../quirks/quirk-mark.js';
import { createQuirkPlanner, type DeliveryPlan } from '../quirks/plan-quirks.js';
import type { QuirkSettings } from '../quirks/quirk-settings.js';
import { answerFor, type DeliveryMark, type DispatchResult, type EventDispatcher } from '../receiver/start-receiver.js';
import { signPayload } from '../signature/sign-payload.js';
import type { DeliveryQuirks, QuirkEventAttempt, QuirkSummary, StripeEventLike } from '../types.js';
import { postToOwnReceiver } from './send-to-receiver.js';

export interface SessionQuirksOptions {
  settings: QuirkSettings;
  receiverUrl: () => string;
  secret: () => string | undefined;
  post?: typeof fetch;
}

export interface SessionQuirks {
  /** The receiver's `readMark`: a copy or retry this session made, proven by its mark. */
  readMark(headers: IncomingHttpHeaders): DeliveryMark | undefined;
  /** The session's dispatcher with the quirks in front (and behind: copies and retries are planned from its result). */
  wrap(dispatch: EventDispatcher | undefined): EventDispatcher;
  /** True while a delivery is held or a copy or retry is due: `trigger` judges only once none is. */
  busy(): boolean;
  summary(): QuirkSummary;
  /** Called whenever busy() changes (the control stream tells an attached `trigger`). */
  onBusyChange(listener: (busy: boolean) => void): void;
  /** Stops every timer, hands over held deliveries at once, and gives up on copies and retries not yet made. */
  close(): Promise<void>;
}

export function createSessionQuirks({ settings, receiverUrl, secret, post = fetch }: SessionQuirksOptions): SessionQuirks {
  const planner = createQuirkPlanner(settings);
  const marker = createQuirkMarker();
  const timers = new Set<NodeJS.Timeout>();
  const holds = new Set<() => void>();
  const inFlight = new Set<Promise<void>>();
  const abort = new AbortController();
  /** Copies and retries planned and not yet arrived at the dispatcher (or failed to). */
  const due = new Set<number>();
  const pendingRetries = new Map<string, { attempt: number; eventType: string }>();
  const counts = { duplicates: 0, reordered: 0, delayed: 0, retries: 0 };
  const succeeded: QuirkEventAttempt[] = [];
  const givenUp: QuirkEventAttempt[] = [];
  const notRetried: QuirkEventAttempt[] = [];
  let held = 0;
  let nextId = 1;
  let closed = false;
  let wasBusy = false;
  const busyListeners = new Set<(busy: boolean) => void>();
  const busy = () => held > 0 || due.size > 0;
  /** After anything that may change busy(): tell the listeners if it did. */
  const changed = () => {
    if (busy() === wasBusy) return;
    wasBusy = !wasBusy;
    for (const listener of busyListeners) listener(wasBusy);
  };
  const shuffler = settings.shuffleMs === undefined ? undefined : createShuffler(settings.shuffleMs);

  function later(ms: number, fn: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
    return timer;
  }

  /** Resolves after `ms`, or at once when the session closes. */
  function wait(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      // later() forgets its timer when it fires; close() clears every timer before it releases holds.
      const done = () => {
        holds.delete(done);
        resolve();
      };
      later(ms, done);
      holds.add(done);
    });
  }

  /** Deliveries of one window are handed over in a seeded order in which none keeps its place. */
  function createShuffler(windowMs: number) {
    let batch: Array<(moved: boolean) => void> = [];
    let timer: NodeJS.Timeout | undefined;
    const release = async () => {
      timer = undefined;
      const taken = batch;
      batch = [];
      const order = taken.length > 1 ? planner.shuffle(taken.length) : [0];
      for (const [position, index] of order.entries()) {
        taken[index]!(position !== index);
        // The next goes once this one has been posted to the handler's worker, which starts
        // deliveries in the order it gets them (or sent on to the app, in that order).
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    return {
      enter: () =>
        new Promise<boolean>((resolve) => {
          batch.push(resolve);
          if (batch.length === 1) timer = later(windowMs, () => void release());
        }),
      flush() {
        if (timer === undefined) return;
        clearTimeout(timer);
        timers.delete(timer);
        void release();
      },
    };
  }

  async function hold(plan: DeliveryPlan): Promise<DeliveryQuirks> {
    const quirks: DeliveryQuirks = {};
    held += 1;
    changed();
    try {
      if (plan.delayMs > 0 && !closed) {
        await wait(plan.delayMs);
        // Released early by the close: it was not held as long as planned, so it does not count.
        if (!closed) {
          counts.delayed += 1;
          quirks.delayedMs = plan.delayMs;
        }
      }
      if (shuffler && !closed && (await shuffler.enter())) {
        counts.reordered += 1;
        quirks.reordered = true;
      }
    } finally {
      held -= 1;
      changed();
    }
    return quirks;
  }

  /** POSTs `raw` again to the session's own receiver, freshly signed and marked. */
  function redeliver(mark: Omit<QuirkMark, 'id'>, raw: Buffer, headers: IncomingHttpHeaders, afterMs: number, event: StripeEventLike): void {
    const id = nextId++;
    due.add(id);
    changed();
    later(afterMs, () => {
      if (mark.kind === 'retry') pendingRetries.delete(event.id);
      const key = secret();
      if (closed || key === undefined) {
        due.delete(id);
        return changed();
      }
      const signature = signPayload(raw, { secret: key });
      const sending = postToOwnReceiver(
        receiverUrl(),
        {
          headers: {
            'content-type': firstValue(headers['content-type']) ?? 'application/json; charset=utf-8',
            'user-agent': firstValue(headers['user-agent']) ?? 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
            'stripe-signature': signature,
            [QUIRK_HEADER]: marker.header({ ...mark, id }, signature),
          },
          body: raw,
          signal: abort.signal,
        },
        post,
      )
        .then(
          () => {},
          () => {},
        )
        .finally(() => {
          due.delete(id);
          inFlight.delete(sending);
          changed();
        });
      inFlight.add(sending);
    });
  }

  /** After an event's first delivery or a retry: plan the next attempt, or note how it ended. */
  function afterAttempt(event: StripeEventLike, attempt: number, isRetry: boolean, result: DispatchResult, raw: Buffer, headers: IncomingHttpHeaders): void {
    const retry = settings.retry;
    if (retry === undefined) return;
    const about = { eventId: event.id, eventType: event.type };
    if (!attemptFailed(result)) {
      if (isRetry) succeeded.push({ ...about, attempt });
      return;
    }
    if (pendingRetries.has(event.id)) return;
    if (attempt >= retry.maxAttempts || closed) {
      if (closed) notRetried.push({ ...about, attempt: attempt + 1 });
      else givenUp.push({ ...about, attempt });
      return;
    }
    const next = attempt + 1;
    redeliver({ kind: 'retry', attempt: next }, raw, headers, planner.retryDelay(next), event);
    pendingRetries.set(event.id, { attempt: next, eventType: event.type });
  }

  return {
    readMark(headers) {
      const mark = marker.read(headers);
      if (mark === undefined) return undefined;
      return { attempt: mark.attempt, id: mark.id, quirks: mark.kind === 'duplicate' ? { duplicate: true } : { retry: true } };
    },
    wrap(dispatch) {
      const run: EventDispatcher = dispatch ?? (async () => ({}));
      return async (event, delivery) => {
        const mark = delivery.mark;
        if (mark !== undefined) {
          due.delete(mark.id);
          changed();
          if (mark.quirks.duplicate) counts.duplicates += 1;
          else counts.retries += 1;
          const result = await run(event, delivery);
          // A duplicate copy is not retried: Stripe retries an event, and its first delivery stands for it.
          if (mark.quirks.retry) afterAttempt(event, delivery.attempt, true, result, delivery.raw, delivery.headers);
          return result;
        }
        const plan = planner.next();
        const quirks = await hold(plan);
        const result = await run(event, delivery);
        if (plan.duplicate && !closed) redeliver({ kind: 'duplicate', attempt: delivery.attempt }, delivery.raw, delivery.headers, 0, event);
        afterAttempt(event, delivery.attempt, false, result, delivery.raw, delivery.headers);
        return Object.keys(quirks).length > 0 ? { ...result, quirks } : result;
      };
    },
    busy,
    onBusyChange: (listener) => void busyListeners.add(listener),
    summary: () => ({ settings, ...counts, succeeded: [...succeeded], givenUp: [...givenUp], notRetried: [...notRetried] }),
    async close() {
      if (closed) return;
      closed = true;
      for (const [eventId, { attempt, eventType }] of pendingRetries) notRetried.push({ eventId, eventType, attempt });
      pendingRetries.clear();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      due.clear();
      changed();
      for (const release of [...holds]) release();
      shuffler?.flush();
      abort.abort();
      await Promise.allSettled([...inFlight]);
    },
  };
}

/** As Stripe judges a delivery: by the status the receiver answered it with. */
function attemptFailed(result: DispatchResult): boolean {
  const { status } = answerFor(result.handler, result.forward);
  return status < 200 || status >= 300;
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
