import { describe, expect, it } from 'vitest';
import { deliverWithQuirks, planQuirks } from '../../src/quirks/deliver-with-quirks.js';
import type { QuirkSettings } from '../../src/quirks/quirk-settings.js';

const noSleep = async () => {};

describe('planQuirks', () => {
  it('sends each item once, in order, with no quirk on but a seed', () => {
    expect(planQuirks(3, { seed: 1 })).toEqual([0, 1, 2].map((index) => ({ index, attempt: 1, quirks: {}, waitMs: 0 })));
  });

  it('follows each original with its copy under --duplicate 1', () => {
    const sends = planQuirks(2, { seed: 1, duplicate: 1 });
    expect(sends.map((send) => [send.index, send.quirks.duplicate === true])).toEqual([
      [0, false],
      [0, true],
      [1, false],
      [1, true],
    ]);
  });

  it('reorders the whole list under --shuffle, the same way for the same seed', () => {
    const order = (seed: number) => planQuirks(5, { seed, shuffleMs: 1000 }).map((send) => send.index);
    expect(order(3)).toEqual(order(3));
    expect(order(3)).not.toEqual([0, 1, 2, 3, 4]);
    expect(planQuirks(5, { seed: 3, shuffleMs: 1000 }).every((send) => send.quirks.reordered === true)).toBe(true);
  });

  it('holds each send by its delay, and says so', () => {
    const sends = planQuirks(3, { seed: 1, delayMs: { min: 200, max: 200 } });
    expect(sends.map((send) => [send.waitMs, send.quirks.delayedMs])).toEqual([
      [200, 200],
      [200, 200],
      [200, 200],
    ]);
  });
});

describe('deliverWithQuirks', () => {
  const retry = (maxAttempts: number): QuirkSettings => ({ seed: 2, retry: { speed: 3_600_000, maxAttempts } });

  it('retries a failing item until it succeeds, on the compressed schedule', async () => {
    const seen: Array<[string, number]> = [];
    const waits: number[] = [];
    const failuresLeft = new Map([['b', 2]]);
    const result = await deliverWithQuirks(
      ['a', 'b'],
      async (item, { attempt }) => {
        seen.push([item, attempt]);
        const left = failuresLeft.get(item) ?? 0;
        failuresLeft.set(item, left - 1);
        return { ok: left <= 0 };
      },
      retry(4),
      { sleep: async (ms) => void waits.push(ms) },
    );
    expect(seen).toEqual([
      ['a', 1],
      ['b', 1],
      ['b', 2],
      ['b', 3],
    ]);
    expect(result.succeeded).toEqual([{ index: 1, attempt: 3 }]);
    expect(result.givenUp).toEqual([]);
    expect(waits).toHaveLength(2);
    expect(waits[1]!).toBeGreaterThan(waits[0]!);
  });

  it('gives up at --max-attempts', async () => {
    const result = await deliverWithQuirks(['x'], async () => ({ ok: false }), retry(3), { sleep: noSleep });
    expect(result.sends.map((send) => [send.attempt, send.quirks])).toEqual([
      [1, {}],
      [2, { retry: true }],
      [3, { retry: true }],
    ]);
    expect(result.givenUp).toEqual([{ index: 0, attempts: 3 }]);
  });

  it('does not retry a duplicate copy', async () => {
    const result = await deliverWithQuirks(['x'], async (_item, { quirks }) => ({ ok: quirks.duplicate !== true }), { seed: 1, duplicate: 1, retry: { speed: 1e9, maxAttempts: 4 } }, { sleep: noSleep });
    expect(result.sends.map((send) => send.quirks)).toEqual([{}, { duplicate: true }]);
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    const result = await deliverWithQuirks(
      ['a', 'b', 'c'],
      async () => {
        controller.abort();
        return { ok: true };
      },
      { seed: 1, duplicate: 0 },
      { sleep: noSleep, signal: controller.signal },
    );
    expect(result.sends).toHaveLength(1);
  });
});
