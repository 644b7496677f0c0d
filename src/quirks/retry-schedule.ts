/**
 * Stripe's retry schedule, compressed. Stripe documents the shape, not the intervals: in live mode
 * it "attempts to deliver a given event to your webhook endpoint for up to three days with an
 * exponential back off", and in a sandbox it "retries three times over a few hours"
 * (https://docs.stripe.com/webhooks#retries). The model here doubles from one hour, which gives
 * both: the default four attempts (a first delivery and three retries) span seven hours, and the
 * seventh attempt, the most allowed, comes 63 hours after the first, within the three days.
 */

const HOUR_MS = 3_600_000;

/** The first retry comes an hour after the first failure; each later gap doubles. */
export const FIRST_RETRY_GAP_MS = HOUR_MS;

/** Attempts, the first delivery included, when --max-attempts is not given: Stripe's sandbox retries three times. */
export const DEFAULT_MAX_ATTEMPTS = 4;

/** 1 + 2 + 4 + 8 + 16 + 32 = 63 hours to the seventh attempt: the last one within Stripe's three days. */
export const MAX_ATTEMPTS_LIMIT = 7;

/**
 * How much faster than Stripe the schedule runs by default: an hour of Stripe's schedule takes
 * half a second, so the default four attempts (7 hours at Stripe) are over in 3.5 s.
 */
export const DEFAULT_RETRY_SPEED = 7200;

/** Each gap varies by up to this fraction either way, as real retries do (drawn from the seeded jitter stream). */
export const RETRY_JITTER = 0.1;

/** The gap Stripe leaves before `attempt` (2 for the first retry), in real milliseconds. */
export function stripeRetryGapMs(attempt: number): number {
  if (!Number.isInteger(attempt) || attempt < 2) throw new RangeError(`a retry is attempt 2 or later (got ${attempt})`);
  return FIRST_RETRY_GAP_MS * 2 ** (attempt - 2);
}

/**
 * The wait before `attempt`, compressed by `speed` (7200: 7200 times faster than Stripe), with
 * `jitter` in [0, 1) moving it by up to ±10 %. Never less than a millisecond.
 */
export function retryDelayMs(attempt: number, speed: number, jitter = 0.5): number {
  const factor = 1 + (jitter * 2 - 1) * RETRY_JITTER;
  return Math.max(1, Math.round((stripeRetryGapMs(attempt) / speed) * factor));
}

/** The whole schedule up to `maxAttempts`, compressed, without jitter: what the docs and the ready line show. */
export function retryScheduleMs(maxAttempts: number, speed: number): number[] {
  const gaps: number[] = [];
  for (let attempt = 2; attempt <= maxAttempts; attempt += 1) gaps.push(retryDelayMs(attempt, speed));
  return gaps;
}
