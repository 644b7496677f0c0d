import type { QuirkSettings } from './quirk-settings.js';
import { retryDelayMs } from './retry-schedule.js';
import { createRandom, type Random } from './seeded-random.js';

/** What the quirks decide for one delivery as it arrives. */
export interface DeliveryPlan {
  /** Make it a second time (`--duplicate`). */
  duplicate: boolean;
  /** Hold it this long before handing it over (`--delay`); 0 without. */
  delayMs: number;
}

/**
 * The seeded decisions, one independent stream per kind. Decisions are drawn in arrival order, so
 * the same seed gives the same decisions for the same sequence of deliveries, whatever their ids.
 */
export interface QuirkPlanner {
  /** The next arriving delivery's plan. */
  next(): DeliveryPlan;
  /**
   * The order to hand over `count` deliveries that arrived together: `order[i]` is the arrival
   * index handed over i-th. From two on, no delivery keeps its place (a cyclic permutation), so
   * a window that caught two deliveries always shows the handler an order it did not arrive in.
   */
  shuffle(count: number): number[];
  /** The wait before `attempt` (2 for the first retry), compressed, with seeded jitter. */
  retryDelay(attempt: number): number;
}

const enum Stream {
  Duplicate = 1,
  Delay = 2,
  Shuffle = 3,
  Jitter = 4,
}

export function createQuirkPlanner(settings: QuirkSettings): QuirkPlanner {
  const duplicates = createRandom(settings.seed, Stream.Duplicate);
  const delays = createRandom(settings.seed, Stream.Delay);
  const shuffles = createRandom(settings.seed, Stream.Shuffle);
  const jitter = createRandom(settings.seed, Stream.Jitter);
  return {
    next() {
      // Each draw is made whether or not it matters, so a delivery's place in the sequence alone decides.
      const duplicate = settings.duplicate !== undefined && duplicates() < settings.duplicate;
      const { min, max } = settings.delayMs ?? { min: 0, max: 0 };
      const delayMs = min + Math.round(delays() * (max - min));
      return { duplicate, delayMs };
    },
    shuffle: (count) => cyclicPermutation(count, shuffles),
    retryDelay: (attempt) => retryDelayMs(attempt, settings.retry?.speed ?? 1, jitter()),
  };
}

/** Sattolo's algorithm: a uniformly drawn permutation with a single cycle, so nothing stays put. */
export function cyclicPermutation(count: number, random: Random): number[] {
  const order = Array.from({ length: count }, (_, index) => index);
  for (let i = count - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}
