import type { JournalIndexEntry } from '../journal/journal-record.js';
import type { Colors } from './color.js';
import type { DeliveryOutcome } from './delivery-outcome.js';
import { formatDuration } from './format-duration.js';
import type { JournalEntryRecord } from './record-schema.js';

const OUTCOME_WORDS: Record<DeliveryOutcome, string> = {
  ok: '✓ ok',
  unhandled: '– unhandled',
  inspected: '✓ inspected',
  error: '✗ handler failed',
  timeout: '⏱ timed out',
  'app-failed': '✗ app failed',
  rejected: '✗ rejected',
};

/** One row of `webhook-dev events`: time, type, event id, verification, outcome, duration, and the source unless it is the Stripe CLI. */
export function formatJournalEntry(entry: JournalIndexEntry, colors: Colors, widths: { type: number; id: number }, timeZone?: string): string {
  const failed = entry.out === 'rejected' || entry.out === 'error' || entry.out === 'timeout' || entry.out === 'app-failed';
  const outcome = OUTCOME_WORDS[entry.out] ?? entry.out;
  return [
    colors.dim(formatDateTime(new Date(entry.t), timeZone)),
    colors.bold((entry.ty ?? '(not an event)').padEnd(widths.type)),
    colors.dim((entry.e ?? '-').padEnd(widths.id)),
    entry.verified ? colors.green('verified') : colors.red('unverified'),
    (failed ? colors.red : entry.out === 'timeout' ? colors.yellow : colors.green)(outcome.padEnd(16)),
    formatDuration(entry.d).padStart(6),
    // Most deliveries come from the Stripe CLI: only the others say where they came from.
    ...(entry.src ? [colors.dim(entry.src)] : []),
  ].join('  ');
}

export function journalColumnWidths(entries: readonly JournalIndexEntry[]): { type: number; id: number } {
  return {
    type: Math.max(4, ...entries.map((entry) => (entry.ty ?? '(not an event)').length)),
    id: Math.max(2, ...entries.map((entry) => (entry.e ?? '-').length)),
  };
}

export function toJournalEntryRecord(entry: JournalIndexEntry): JournalEntryRecord {
  return {
    type: 'delivery',
    receivedAt: new Date(entry.t).toISOString(),
    event: { id: entry.e, type: entry.ty },
    verified: entry.verified,
    outcome: entry.out,
    durationMs: entry.d,
    session: entry.s,
    seq: entry.i,
    source: entry.src ?? 'stripe-cli',
  };
}

/** `2026-11-30 14:05:09`: the journal spans days, so the date is part of the time. */
export function formatDateTime(date: Date, timeZone?: string): string {
  if (Number.isNaN(date.getTime())) return '----------- --:--:--';
  if (timeZone === undefined) {
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  }
  return new Intl.DateTimeFormat('sv-SE', { dateStyle: 'short', timeStyle: 'medium', hourCycle: 'h23', timeZone }).format(date);
}
