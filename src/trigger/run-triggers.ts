import type { DeliveryRecord, TriggerReport } from '../types.js';
import { formatDuration } from '../render/format-duration.js';
import { createTriggerEventCollector } from './collect-trigger-events.js';
import { judgeTrigger } from './trigger-verdict.js';

import type { DeliverySource } from '../session/delivery-source.js';

export type { DeliverySource };

export interface TriggerPlan {
  trigger: string;
  /** Event types that must arrive for the trigger to pass. */
  expected: string[];
}

export interface StripeTriggerOutcome {
  ok: boolean;
  exitCode: number | undefined;
  /** The Stripe CLI's own failure text (`Trigger failed: …`), secrets masked. */
  message?: string;
}

export type TriggerRunResult = TriggerReport;

export interface RunTriggersOptions {
  plans: readonly TriggerPlan[];
  source: DeliverySource;
  runTrigger: (trigger: string, signal: AbortSignal) => Promise<StripeTriggerOutcome>;
  /** Per trigger, from the moment `stripe trigger` starts. */
  timeoutMs: number;
  /** How long to keep listening, once every expected event is in, for stragglers (charge.updated…). */
  quietMs: number;
  /** Events as their source sends them (the in-process emulator): exact attribution, no quiet period. */
  published?: { subscribe(listener: (event: { id: string; type: string }) => void): () => void };
  /** With `published`: whether a sent event will reach the session (its event selection). */
  receives?: (type: string) => boolean;
  onStart?: (plan: TriggerPlan) => void;
  onDelivery?: (record: DeliveryRecord, plan: TriggerPlan) => void;
  onResult?: (result: TriggerRunResult) => void;
  signal?: AbortSignal;
  now?: () => number;
  /** `--status-only`: judge the app's answers by their status alone. */
  statusOnly?: boolean;
  /** True while the session's delivery quirks still hold a delivery or owe a copy or a retry: the trigger is not done. */
  busy?: () => boolean;
}

/** Runs the triggers one after another; each is judged on the deliveries that arrive in its window. */
export async function runTriggers(options: RunTriggersOptions): Promise<TriggerRunResult[]> {
  const results: TriggerRunResult[] = [];
  for (const plan of options.plans) {
    if (options.signal?.aborted) break;
    const result = await runOne(plan, options);
    options.onResult?.(result);
    results.push(result);
  }
  return results;
}

async function runOne(plan: TriggerPlan, { source, runTrigger, timeoutMs, quietMs, published, receives = () => true, onStart, onDelivery, signal, now = () => performance.now(), statusOnly = false, busy = () => false }: RunTriggersOptions): Promise<TriggerRunResult> {
  const collector = createTriggerEventCollector(plan.expected);
  const startedAt = now();
  // Sent by the emulator for this trigger and not delivered yet. Knowing them, the run ends the
  // moment the last one is in; without them a quiet period stands in for that knowledge.
  const outstanding = new Set<string>();
  const settle = createSettleWaiter({
    quietMs: published ? 0 : quietMs,
    deadline: startedAt + timeoutMs,
    now,
    // A copy or retry still due belongs to this trigger: judged without it, a retry that succeeds
    // later would be missed, and it would land in the next trigger's window.
    isComplete: () => collector.complete() && outstanding.size === 0 && !busy(),
  });
  const stopWatchingSent = published?.subscribe((event) => {
    if (receives(event.type)) outstanding.add(event.id);
  });
  // Subscribe before the trigger starts: its first event can arrive before `stripe trigger` exits.
  const unsubscribe = source.subscribe((record) => {
    collector.add(record);
    if (record.event) outstanding.delete(record.event.id);
    onDelivery?.(record, plan);
    settle.poke();
  });
  onStart?.(plan);
  const controller = new AbortController();
  const abort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', abort, { once: true });
  try {
    const stripe = await Promise.race([
      runTrigger(plan.trigger, controller.signal),
      settle.deadlinePassed.then((): StripeTriggerOutcome => {
        controller.abort(new Error('trigger timed out'));
        return { ok: false, exitCode: undefined, message: `stripe trigger did not finish within ${formatDuration(timeoutMs)}` };
      }),
    ]);
    // A failed fixture may still have caused events; give them the quiet period, not the full timeout.
    await (stripe.ok ? settle.settled(signal) : settle.quiet(signal));
    const deliveries = collector.deliveries();
    const missing = collector.missing();
    const verdict = judgeTrigger({ stripeOk: stripe.ok, ...(stripe.message ? { stripeMessage: stripe.message } : {}), deliveries, missing, timeoutMs, statusOnly });
    return { trigger: plan.trigger, expected: plan.expected, ...verdict, deliveries, missing, stripe, durationMs: Math.round(now() - startedAt) };
  } finally {
    unsubscribe();
    stopWatchingSent?.();
    settle.dispose();
    signal?.removeEventListener('abort', abort);
  }
}

interface SettleWaiter {
  /** Call on every delivery: restarts the quiet period and re-checks completeness. */
  poke(): void;
  /** Resolves once complete and quiet, or at the deadline, or on abort. */
  settled(signal?: AbortSignal): Promise<void>;
  /** Resolves after one quiet period with no delivery (or at the deadline). */
  quiet(signal?: AbortSignal): Promise<void>;
  deadlinePassed: Promise<void>;
  dispose(): void;
}

function createSettleWaiter({ quietMs, deadline, now, isComplete }: { quietMs: number; deadline: number; now: () => number; isComplete: () => boolean }): SettleWaiter {
  let lastActivity = now();
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, Math.max(0, ms));
    timers.add(timer);
  };
  // Completeness changes only when a delivery arrives, so waiters re-check then rather than poll.
  const wakers = new Set<() => void>();
  let resolveDeadline!: () => void;
  const deadlinePassed = new Promise<void>((resolve) => (resolveDeadline = resolve));
  later(deadline - now(), resolveDeadline);

  const waitFor = (condition: () => boolean, signal?: AbortSignal) =>
    new Promise<void>((resolve) => {
      let quietTimer = false;
      const done = () => {
        wakers.delete(check);
        resolve();
      };
      function check(): void {
        if (signal?.aborted || now() >= deadline) return done();
        if (!condition() || quietTimer) return;
        const remaining = lastActivity + quietMs - now();
        if (remaining <= 0) return done();
        // Re-checked when the quiet period would end; a delivery meanwhile moves it on.
        quietTimer = true;
        later(Math.min(remaining, deadline - now()), () => {
          quietTimer = false;
          check();
        });
      }
      wakers.add(check);
      signal?.addEventListener('abort', done, { once: true });
      void deadlinePassed.then(done);
      check();
    });

  return {
    poke: () => {
      lastActivity = now();
      for (const wake of [...wakers]) wake();
    },
    settled: (signal) => waitFor(isComplete, signal),
    quiet: (signal) => {
      lastActivity = now();
      return waitFor(() => true, signal);
    },
    deadlinePassed,
    dispose: () => {
      wakers.clear();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
