import { describe, expect, it } from 'vitest';
import type { HandlerContext } from '../../src/runner/handler-context.js';
import type { HandlerFn } from '../../src/runner/resolve-handler-shape.js';
import { runHandler } from '../../src/runner/run-handler.js';
import type { StripeEventLike } from '../../src/types.js';

const event: StripeEventLike = { id: 'evt_1', object: 'event', type: 'invoice.paid', created: 1, livemode: false, data: { object: {} } };
const only = (fn: HandlerFn) => ({ pick: (type: string) => (type === 'invoice.paid' ? fn : undefined) });

/** A clock that moves only when told: durations and log times become exact. */
function manualClock(start = 1_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('runHandler (in-memory handlers)', () => {
  it('keeps the raw value and measures with the injected clock', async () => {
    const clock = manualClock();
    const value = { nested: { deep: [1, 2, 3] } };
    const result = await runHandler(
      only(async (_e, ctx) => {
        clock.advance(5);
        ctx.log.warn('careful', 42);
        clock.advance(7);
        return value;
      }),
      event,
      { now: clock.now },
    );
    expect(result.outcome).toEqual({ status: 'ok', value });
    if (result.outcome.status === 'ok') expect(result.outcome.value).toBe(value);
    expect(result.durationMs).toBe(12);
    expect(result.logs).toEqual([{ level: 'warn', message: 'careful 42', elapsedMs: 5 }]);
  });

  it('passes attempt, receivedAt and a live signal', async () => {
    const receivedAt = new Date('2025-01-02T03:04:05Z');
    let seen: HandlerContext | undefined;
    await runHandler(only((_e, ctx) => void (seen = ctx)), event, { attempt: 4, receivedAt });
    expect(seen).toMatchObject({ attempt: 4, receivedAt });
    expect(seen?.signal.aborted).toBe(false);
  });

  it('a synchronous throw is an error result, not a rejection', async () => {
    const result = await runHandler(
      only(() => {
        throw Object.assign(new RangeError('too big'), { code: 'E_BIG' });
      }),
      event,
    );
    expect(result.outcome).toMatchObject({ status: 'error', error: { name: 'RangeError', message: 'too big', code: 'E_BIG' } });
  });

  it.each([
    ['a string', 'nope', { name: 'Thrown string', message: 'nope' }],
    ['an object', { status: 400 }, { name: 'Thrown object', message: '{ status: 400 }' }],
    ['undefined', undefined, { name: 'Thrown undefined', message: 'undefined' }],
  ])('a non-Error rejection (%s) is described', async (_label, thrown, expected) => {
    const result = await runHandler(only(() => Promise.reject(thrown)), event);
    expect(result.outcome).toEqual({ status: 'error', error: expected });
  });

  it('secrets in error messages are masked', async () => {
    const result = await runHandler(
      only(() => {
        throw new Error('bad key sk_test_1234567890abcdefgh');
      }),
      event,
    );
    expect(result.outcome.status === 'error' && result.outcome.error.message).toBe('bad key sk_test_…efgh');
  });

  it('a handler that never settles: resolves at the deadline and aborts the signal with a TimeoutError', async () => {
    let signal: AbortSignal | undefined;
    const started = performance.now();
    const result = await runHandler(
      only((_e, ctx) => {
        signal = ctx.signal;
        return new Promise(() => {});
      }),
      event,
      { timeoutMs: 50 },
    );
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(result.outcome).toEqual({ status: 'timeout', timeoutMs: 50 });
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBeInstanceOf(DOMException);
    expect((signal?.reason as DOMException).name).toBe('TimeoutError');
  });

  it('what a timed-out handler does later changes nothing (no late logs, no unhandled rejection)', async () => {
    let ctx: HandlerContext | undefined;
    let rejectLater!: (e: Error) => void;
    const result = await runHandler(
      only((_e, c) => {
        ctx = c;
        return new Promise((_resolve, reject) => (rejectLater = reject));
      }),
      event,
      { timeoutMs: 20 },
    );
    ctx?.log.info('too late');
    rejectLater(new Error('late failure'));
    await new Promise((r) => setImmediate(r));
    expect(result.logs).toEqual([]);
    expect(result.outcome.status).toBe('timeout');
  });

  it('an event type the handler does not take is unhandled and never called', async () => {
    let called = false;
    const result = await runHandler(only(() => (called = true)), { ...event, type: 'charge.failed' });
    expect(result).toEqual({ outcome: { status: 'unhandled' }, durationMs: 0, logs: [] });
    expect(called).toBe(false);
  });
});
