import { describe, expect, it, vi } from 'vitest';
import { runTriggers, type DeliverySource, type StripeTriggerOutcome } from '../../src/trigger/run-triggers.js';
import type { DeliveryRecord } from '../../src/types.js';

function delivery(type: string): DeliveryRecord {
  return {
    receivedAt: new Date(),
    status: 200,
    verified: true,
    event: { id: `evt_${type}`, object: 'event', type, created: 1, livemode: false, data: { object: {} } },
    attempt: 1,
    handler: { outcome: { status: 'ok', value: null }, durationMs: 1, logs: [] },
    durationMs: 1,
  };
}

/** A source the test pushes into, like a session's delivery stream. */
function createSource() {
  const listeners = new Set<(record: DeliveryRecord) => void>();
  const source: DeliverySource = {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { source, push: (record: DeliveryRecord) => listeners.forEach((l) => l(record)), listeners };
}

describe('runTriggers', () => {
  it('collects the events a trigger causes, waits for stragglers in the quiet period, then unsubscribes', async () => {
    const { source, push, listeners } = createSource();
    const runTrigger = async (): Promise<StripeTriggerOutcome> => {
      push(delivery('payment_intent.created'));
      setTimeout(() => push(delivery('payment_intent.succeeded')), 20);
      setTimeout(() => push(delivery('charge.updated')), 60);
      return { ok: true, exitCode: 0 };
    };
    const [result] = await runTriggers({ plans: [{ trigger: 'payment_intent.succeeded', expected: ['payment_intent.succeeded'] }], source, runTrigger, timeoutMs: 5_000, quietMs: 150 });
    expect(result?.verdict).toBe('passed');
    expect(result?.deliveries.map((d) => d.event?.type)).toEqual(['payment_intent.created', 'payment_intent.succeeded', 'charge.updated']);
    expect(listeners.size).toBe(0);
  });

  it('with the events the source sent, waits for exactly those and not for a quiet period', async () => {
    const { source, push } = createSource();
    const sent = createSource();
    const published = { subscribe: (listener: (event: { id: string; type: string }) => void) => sent.source.subscribe((record) => listener({ id: record.event!.id, type: record.event!.type })) };
    const runTrigger = async (): Promise<StripeTriggerOutcome> => {
      for (const type of ['payment_intent.succeeded', 'charge.updated', 'invoice.created']) sent.push(delivery(type));
      push(delivery('payment_intent.succeeded'));
      // The expected event is in, but charge.updated was sent too: the run waits for it.
      setTimeout(() => push(delivery('charge.updated')), 100);
      return { ok: true, exitCode: 0 };
    };
    const started = Date.now();
    const [result] = await runTriggers({
      plans: [{ trigger: 'payment_intent.succeeded', expected: ['payment_intent.succeeded'] }],
      source,
      published,
      // invoice.created is not in the session's selection, so it will never arrive: not waited for.
      receives: (type) => type !== 'invoice.created',
      runTrigger,
      timeoutMs: 5_000,
      quietMs: 10_000,
    });
    expect(result?.deliveries.map((d) => d.event?.type)).toEqual(['payment_intent.succeeded', 'charge.updated']);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('ends on the delivery that completes the run, not on a later poll', async () => {
    vi.useFakeTimers();
    try {
      const { source, push } = createSource();
      const sent = createSource();
      const published = { subscribe: (listener: (event: { id: string; type: string }) => void) => sent.source.subscribe((record) => listener({ id: record.event!.id, type: record.event!.type })) };
      const runTrigger = async (): Promise<StripeTriggerOutcome> => {
        sent.push(delivery('payment_intent.succeeded'));
        return { ok: true, exitCode: 0 };
      };
      let done = false;
      const running = runTriggers({ plans: [{ trigger: 'payment_intent.succeeded', expected: ['payment_intent.succeeded'] }], source, published, runTrigger, timeoutMs: 5_000, quietMs: 300 }).then((results) => {
        done = true;
        return results;
      });
      await vi.advanceTimersByTimeAsync(1_000);
      expect(done).toBe(false);
      // No clock moves from here: the delivery itself must end the wait.
      push(delivery('payment_intent.succeeded'));
      for (let i = 0; i < 10 && !done; i++) await Promise.resolve();
      expect(done).toBe(true);
      expect((await running)[0]?.verdict).toBe('passed');
    } finally {
      vi.useRealTimers();
    }
  });

  it('times out within the deadline when an expected event never comes', async () => {
    const { source } = createSource();
    const started = Date.now();
    const [result] = await runTriggers({ plans: [{ trigger: 'x', expected: ['never.sent'] }], source, runTrigger: async () => ({ ok: true, exitCode: 0 }), timeoutMs: 300, quietMs: 50 });
    expect(result).toMatchObject({ verdict: 'timeout', missing: ['never.sent'] });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('reports a failed stripe trigger without waiting for the full timeout', async () => {
    const { source } = createSource();
    const started = Date.now();
    const [result] = await runTriggers({
      plans: [{ trigger: 'bad', expected: ['bad'] }],
      source,
      runTrigger: async () => ({ ok: false, exitCode: 1, message: 'Request failed, status=404' }),
      timeoutMs: 10_000,
      quietMs: 50,
    });
    expect(result).toMatchObject({ verdict: 'trigger-failed', stripe: { ok: false, exitCode: 1 } });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('runs several triggers in order, each judged on its own window', async () => {
    const { source, push } = createSource();
    const order: string[] = [];
    const runTrigger = async (trigger: string): Promise<StripeTriggerOutcome> => {
      order.push(trigger);
      setTimeout(() => push(delivery(trigger)), 10);
      return { ok: true, exitCode: 0 };
    };
    const results = await runTriggers({ plans: [{ trigger: 'a.b', expected: ['a.b'] }, { trigger: 'c.d', expected: ['c.d'] }], source, runTrigger, timeoutMs: 5_000, quietMs: 50 });
    expect(order).toEqual(['a.b', 'c.d']);
    expect(results.map((r) => [r.trigger, r.verdict, r.deliveries.map((d) => d.event?.type)])).toEqual([
      ['a.b', 'passed', ['a.b']],
      ['c.d', 'passed', ['c.d']],
    ]);
  });

  it('stops a stripe trigger that outlives the timeout and aborts it', async () => {
    const { source } = createSource();
    let aborted = false;
    const runTrigger = (_t: string, signal: AbortSignal) =>
      new Promise<StripeTriggerOutcome>((resolve) => {
        signal.addEventListener('abort', () => {
          aborted = true;
          resolve({ ok: false, exitCode: undefined, message: 'killed' });
        });
      });
    const [result] = await runTriggers({ plans: [{ trigger: 'slow', expected: ['slow'] }], source, runTrigger, timeoutMs: 200, quietMs: 20 });
    expect(aborted).toBe(true);
    expect(result?.verdict).toBe('trigger-failed');
  });
});
