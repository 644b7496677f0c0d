import type { DeliveryQuirks, QuirkEventAttempt, QuirkSummary } from '../types.js';
import type { Colors } from './color.js';

/** The header tags of a delivery a quirk made or shaped: `duplicate copy`, `retry`, `delayed 300ms`, `reordered`. */
export function describeDeliveryQuirks(quirks: DeliveryQuirks): string[] {
  const tags: string[] = [];
  if (quirks.duplicate) tags.push('duplicate copy');
  if (quirks.retry) tags.push('retry');
  if (quirks.delayedMs !== undefined) tags.push(`delayed ${quirks.delayedMs}ms`);
  if (quirks.reordered) tags.push('reordered');
  return tags;
}

/**
 * Under the session summary: what the quirks injected, so the user sees their handler met them,
 * which events needed retries and how they ended, and the seed that repeats the run.
 */
export function formatQuirkSummary(summary: QuirkSummary, { colors }: { colors: Colors }): string[] {
  const injected = [
    `${summary.duplicates} ${summary.duplicates === 1 ? 'duplicate' : 'duplicates'}`,
    `${summary.reordered} reordered`,
    `${summary.delayed} delayed`,
    `${summary.retries} ${summary.retries === 1 ? 'retry' : 'retries'}`,
  ].join(', ');
  const lines = [`quirks: ${injected} ${colors.dim(`(--seed ${summary.settings.seed} repeats them)`)}`];
  if (summary.succeeded.length > 0) lines.push(`  ${colors.green('succeeded on a retry:')} ${list(summary.succeeded, (attempt) => `attempt ${attempt}`)}`);
  if (summary.givenUp.length > 0) lines.push(`  ${colors.red('given up:')} ${list(summary.givenUp, (attempt) => `after ${attempt} attempts`)}`);
  if (summary.notRetried.length > 0) lines.push(`  ${colors.yellow('not retried (the session closed):')} ${list(summary.notRetried, (attempt) => `attempt ${attempt} was due`)}`);
  return lines;
}

function list(events: readonly QuirkEventAttempt[], how: (attempt: number) => string): string {
  return events.map((event) => `${event.eventType} ${event.eventId} (${how(event.attempt)})`).join(', ');
}
