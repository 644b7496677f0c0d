/**
 * Waits on a condition with a deadline instead of a fixed sleep: tests stay fast when things are
 * quick and still pass on a loaded machine, and a timeout says what was being waited for.
 */
export interface WaitForOptions {
  /** Give up after this long (default 5 s). */
  timeoutMs?: number;
  /** Poll this often (default 20 ms). */
  intervalMs?: number;
  /** Named in the timeout error, e.g. "the child to exit". */
  description?: string;
}

/**
 * Resolves with the predicate's first truthy result. A predicate that throws counts as "not yet";
 * the last error thrown is attached as the timeout's cause so an assertion failure is not lost.
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  { timeoutMs = 5_000, intervalMs = 20, description = 'condition' }: WaitForOptions = {},
): Promise<Exclude<T, false | 0 | '' | null | undefined>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value as Exclude<T, false | 0 | '' | null | undefined>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      throw new Error(`waitFor: timed out after ${timeoutMs} ms waiting for ${description}`, {
        cause: lastError,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
