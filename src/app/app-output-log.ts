import { stripVTControlCharacters } from 'node:util';
import type { AttributedLine } from '../types.js';
import { attributeAppLines, type DeliveryWindow, type TimedLine } from './attribute-app-lines.js';

/**
 * How long after the app's answer its lines still count for the delivery. Measured on the
 * end-to-end apps (docs/forwarding.md): a line printed before the answer arrives within a few ms
 * of it; Flask's request log line, printed after, within ~10 ms on a loaded machine.
 */
export const DEFAULT_OUTPUT_GRACE_MS = 100;

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
   * The lines attributed to this delivery, once the grace period after the answer has passed, or
   * sooner when `enough(lines)` says there is no need to wait for more.
   */
  collect(enough?: (lines: readonly AttributedLine[]) => boolean): Promise<AttributedLine[]>;
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
        collect(enough = () => false) {
          window.answeredAt ??= now();
          return new Promise<AttributedLine[]>((resolve) => {
            const finish = (): void => {
              clearTimeout(timer);
              waiting.delete(check);
              const result = attributed();
              pending.delete(window);
              prune();
              resolve(result);
            };
            function check(): void {
              if (closed || enough(attributed())) finish();
            }
            const timer = setTimeout(finish, Math.max(0, window.answeredAt! + graceMs - now()));
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
