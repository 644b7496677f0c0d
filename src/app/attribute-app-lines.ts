import type { AttributedLine } from '../types.js';

/** A line of the app's output and when it arrived (monotonic ms). */
export interface TimedLine {
  at: number;
  stream: 'stdout' | 'stderr';
  line: string;
}

/** One delivery's stay at the app: from the forward's start to its answer (open while unanswered). */
export interface DeliveryWindow {
  eventId: string;
  startedAt: number;
  answeredAt?: number;
  /**
   * When webhook-dev stopped collecting for it, if later than answeredAt + grace: a busy event loop
   * reads a line late, and one read in the same turn as the deadline was printed in time.
   */
  closedAt?: number;
}

const EVENT_ID = /\bevt_[A-Za-z0-9]+/g;

/**
 * Which of the app's lines belong to one delivery. A line that names the event (`evt_…`) belongs to
 * it, wherever it falls; a line that names another event never does. Any other line belongs to the
 * deliveries that were at the app when it was printed: from the forward's start to its answer plus
 * `graceMs` (apps often log right after answering, and a pipe may hand the line over after the
 * response). Printed while only this delivery was there: 'in-flight'; while others were too:
 * 'shared', since nothing tells whose it is. Pure.
 */
export function attributeAppLines(lines: readonly TimedLine[], target: DeliveryWindow, others: readonly DeliveryWindow[], graceMs: number): AttributedLine[] {
  const attributed: AttributedLine[] = [];
  for (const { at, stream, line } of lines) {
    const ids: string[] = line.match(EVENT_ID) ?? [];
    if (ids.includes(target.eventId)) {
      attributed.push({ stream, line, how: 'event-id' });
      continue;
    }
    if (ids.length > 0 || !within(target, at, graceMs)) continue;
    const shared = others.some((other) => other.eventId !== target.eventId && within(other, at, graceMs));
    attributed.push({ stream, line, how: shared ? 'shared' : 'in-flight' });
  }
  return attributed;
}

function within(window: DeliveryWindow, at: number, graceMs: number): boolean {
  if (at < window.startedAt) return false;
  if (window.answeredAt === undefined) return true;
  return at <= Math.max(window.answeredAt + graceMs, window.closedAt ?? -Infinity);
}
