import { stripVTControlCharacters } from 'node:util';
import type { AttributedLine } from '../types.js';
import { attributeAppLines, type DeliveryWindow, type TimedLine } from './attribute-app-lines.js';

/**
 * How long after the app's answer its lines still count for the delivery, and so how long a
 * healthy delivery's record waits. Measured with bench/forward-output-timing.js on the test apps
 * (Fastify, the Stripe docs' Flask sample, whose Werkzeug request line is printed after the
 * handler): nearly every line reached webhook-dev 1 to 2 ms *before* the answer, the latest 11 ms
 * after it, on a machine with a load of 14. 50 ms leaves room for that, and costs a healthy
 * delivery's record 50 ms; the answer to the Stripe CLI does not wait.
 */
export const DEFAULT_OUTPUT_GRACE_MS = 50;

export interface AppOutputLog {
  /** A line the app printed (secrets already masked). */
  push(stream: 'stdout' | 'stderr', line: string): void;
  /** A delivery is being forwarded to the app now. */
  begin(eventId: string): DeliveryVisit;
  /** Resolves every pending collect() at once (the session is closing). */
  close(): void;
}

export interface DeliveryVisit {
  /** The app answered (or the forward failed). */
  answered(): void;
  /**
   * The lines attributed to this delivery, once the grace period (or `waitMs`) after the answer has
   * passed, or sooner when `enough(lines)` says there is no need to wait for more.
   */
  collect(enough?: (lines: readonly AttributedLine[]) => boolean, waitMs?: number): Promise<AttributedLine[]>;
}

export interface AppOutputLogOptions {
  graceMs?: number;
  /** Monotonic milliseconds, injectable for tests. */
  now?: () => number;
  /** Lines kept while no delivery needs them; a bound for chatty apps. */
  maxLines?: number;
}

/**
 * The app's recent output, with the time each line arrived, and the deliveries that were at the
 * app: enough to attribute each line (see attributeAppLines). Lines no open delivery can claim are
 * dropped, so a long session keeps little.
 */
export function createAppOutputLog({ graceMs = DEFAULT_OUTPUT_GRACE_MS, now = () => performance.now(), maxLines = 2_000 }: AppOutputLogOptions = {}): AppOutputLog {
  let lines: TimedLine[] = [];
  /** Every delivery whose window may still matter: those waiting for lines, and those that overlap them. */
  const windows = new Set<DeliveryWindow>();
  const pending = new Set<DeliveryWindow>();
  const waiting = new Set<() => void>();
  let closed = false;

  const prune = (): void => {
    const oldest = Math.min(...[...pending].map((window) => window.startedAt));
    for (const window of windows) {
      if (!pending.has(window) && window.answeredAt !== undefined && window.answeredAt + graceMs < oldest) windows.delete(window);
    }
    lines = lines.filter((line) => line.at >= oldest);
  };

  return {
    push(stream, line) {
      // No delivery at the app: nobody can claim the line.
      if (pending.size === 0) return;
      lines.push({ at: now(), stream, line: stripVTControlCharacters(line) });
      if (lines.length > maxLines) lines = lines.slice(-maxLines);
      for (const wake of [...waiting]) wake();
    },
    begin(eventId) {
      const window: DeliveryWindow = { eventId, startedAt: now() };
      windows.add(window);
      pending.add(window);
      const attributed = () => attributeAppLines(lines, window, [...windows], graceMs);
      return {
        answered() {
          window.answeredAt ??= now();
        },
        collect(enough = () => false, waitMs = graceMs) {
          window.answeredAt ??= now();
          return new Promise<AttributedLine[]>((resolve) => {
            const finish = (): void => {
              clearTimeout(timer);
              clearImmediate(immediate);
              waiting.delete(check);
              window.closedAt = now();
              const result = attributed();
              pending.delete(window);
              prune();
              resolve(result);
            };
            function check(): void {
              if (closed || enough(attributed())) finish();
            }
            // Timers run before the event loop reads pending I/O: after a busy stretch the deadline
            // would pass with the app's line already in the pipe, unread. setImmediate runs after
            // that read.
            let immediate: NodeJS.Immediate | undefined;
            const timer = setTimeout(() => (immediate = setImmediate(finish)), Math.max(0, window.answeredAt! + waitMs - now()));
            waiting.add(check);
            check();
          });
        },
      };
    },
    close() {
      closed = true;
      for (const wake of [...waiting]) wake();
    },
  };
}
