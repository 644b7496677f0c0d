import { describe, expect, it } from 'vitest';
import { createQuirkPlanner, cyclicPermutation } from '../../src/quirks/plan-quirks.js';
import type { QuirkSettings } from '../../src/quirks/quirk-settings.js';
import { DEFAULT_RETRY_SPEED, retryDelayMs, retryScheduleMs, stripeRetryGapMs } from '../../src/quirks/retry-schedule.js';
import { createRandom } from '../../src/quirks/seeded-random.js';

const draws = (seed: number, stream = 0, count = 8) => {
  const random = createRandom(seed, stream);
  return Array.from({ length: count }, () => random());
};

describe('createRandom', () => {
  it('gives the same sequence for the same seed', () => {
    expect(draws(1234)).toEqual(draws(1234));
  });

  it('gives another sequence for another seed, even a neighbouring one', () => {
    expect(draws(1234)).not.toEqual(draws(1235));
    expect(draws(0)).not.toEqual(draws(1));
  });

  it('gives independent streams for one seed', () => {
    expect(draws(1234, 1)).not.toEqual(draws(1234, 2));
  });

  it('draws in [0, 1), spread over the range', () => {
    const values = draws(99, 0, 10_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(mean).toBeGreaterThan(0.47);
    expect(mean).toBeLessThan(0.53);
  });
});

const settings = (overrides: Partial<QuirkSettings>): QuirkSettings => ({ seed: 5, ...overrides });
const plans = (quirks: QuirkSettings, count = 20) => {
  const planner = createQuirkPlanner(quirks);
  return Array.from({ length: count }, () => planner.next());
};

describe('createQuirkPlanner', () => {
  it('makes the same decisions for the same seed, and others for another seed', () => {
    const quirks = settings({ duplicate: 0.5, delayMs: { min: 0, max: 1000 } });
    expect(plans(quirks)).toEqual(plans(quirks));
    expect(plans(quirks)).not.toEqual(plans({ ...quirks, seed: 6 }));
  });

  it('duplicates all, none, or about the share asked', () => {
    expect(plans(settings({ duplicate: 1 })).every((plan) => plan.duplicate)).toBe(true);
    expect(plans(settings({ duplicate: 0 })).some((plan) => plan.duplicate)).toBe(false);
    const share = plans(settings({ duplicate: 0.3 }), 2000).filter((plan) => plan.duplicate).length / 2000;
    expect(share).toBeGreaterThan(0.25);
    expect(share).toBeLessThan(0.35);
  });

  it('delays within the range, or exactly a fixed delay', () => {
    const ranged = plans(settings({ delayMs: { min: 100, max: 300 } }), 200).map((plan) => plan.delayMs);
    expect(Math.min(...ranged)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...ranged)).toBeLessThanOrEqual(300);
    expect(new Set(ranged).size).toBeGreaterThan(10);
    expect(plans(settings({ delayMs: { min: 250, max: 250 } })).every((plan) => plan.delayMs === 250)).toBe(true);
    expect(plans(settings({})).every((plan) => plan.delayMs === 0 && !plan.duplicate)).toBe(true);
  });

  it('keeps one quirk\'s decisions when another is turned on', () => {
    const alone = plans(settings({ duplicate: 0.5 })).map((plan) => plan.duplicate);
    const withDelay = plans(settings({ duplicate: 0.5, delayMs: { min: 0, max: 500 } })).map((plan) => plan.duplicate);
    expect(withDelay).toEqual(alone);
  });

  it('shuffles the same way for the same seed, and moves every delivery', () => {
    const order = (seed: number) => createQuirkPlanner(settings({ seed, shuffleMs: 1000 })).shuffle(6);
    expect(order(11)).toEqual(order(11));
    const orders = new Set([11, 12, 13, 14, 15].map((seed) => order(seed).join()));
    expect(orders.size).toBeGreaterThan(1);
    for (const [position, index] of order(11).entries()) expect(index).not.toBe(position);
    expect([...order(11)].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('draws retry delays from the compressed schedule, with jitter of at most 10 %', () => {
    const planner = createQuirkPlanner(settings({ retry: { speed: 3600, maxAttempts: 4 } }));
    const delays = [2, 3, 4].map((attempt) => planner.retryDelay(attempt));
    expect(delays[0]).toBeGreaterThanOrEqual(900);
    expect(delays[0]).toBeLessThanOrEqual(1100);
    expect(delays[2]).toBeGreaterThanOrEqual(3600);
    expect(delays[2]).toBeLessThanOrEqual(4400);
    const again = createQuirkPlanner(settings({ retry: { speed: 3600, maxAttempts: 4 } }));
    expect([2, 3, 4].map((attempt) => again.retryDelay(attempt))).toEqual(delays);
  });
});

describe('cyclicPermutation', () => {
  it('leaves a single delivery alone and swaps two', () => {
    expect(cyclicPermutation(1, Math.random)).toEqual([0]);
    expect(cyclicPermutation(2, Math.random)).toEqual([1, 0]);
  });
});

describe('the retry schedule', () => {
  it('doubles from an hour, as Stripe\'s exponential backoff, within its three days', () => {
    expect([2, 3, 4, 5, 6, 7].map(stripeRetryGapMs)).toEqual([1, 2, 4, 8, 16, 32].map((hours) => hours * 3_600_000));
    const total = [2, 3, 4, 5, 6, 7].reduce((sum, attempt) => sum + stripeRetryGapMs(attempt), 0);
    expect(total).toBeLessThanOrEqual(72 * 3_600_000);
    expect(() => stripeRetryGapMs(1)).toThrow(RangeError);
  });

  it('compresses by the speed factor: the default four attempts take seconds', () => {
    expect(retryScheduleMs(4, DEFAULT_RETRY_SPEED)).toEqual([500, 1000, 2000]);
    expect(retryScheduleMs(4, 3_600_000)).toEqual([1, 2, 4]);
    expect(retryScheduleMs(2, 1)).toEqual([3_600_000]);
  });

  it('moves a gap by at most ±10 % with the jitter drawn', () => {
    expect(retryDelayMs(2, 3600, 0)).toBe(900);
    expect(retryDelayMs(2, 3600, 0.5)).toBe(1000);
    expect(retryDelayMs(2, 3600, 0.999_999)).toBe(1100);
    expect(retryDelayMs(2, 1e12, 0)).toBe(1);
  });
});
