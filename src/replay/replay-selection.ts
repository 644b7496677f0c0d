import { UsageError } from '../errors.js';
import type { JournalIndexEntry } from '../journal/journal-record.js';
import { FAILED_OUTCOMES } from '../journal/query-journal.js';

/** Which journaled events `webhook-dev replay` re-delivers. */
export type ReplaySelection =
  | { kind: 'ids'; ids: string[] }
  /** The `count` newest events (by their newest delivery); with `failedOnly`, only those whose newest delivery failed (`count` undefined: all of them). */
  | { kind: 'journal'; count: number | undefined; failedOnly: boolean };

export interface ReplaySelectionFlags {
  /** commander gives `true` for a bare `--last`, the text for `--last 5`. */
  last?: string | boolean;
  failed?: boolean;
}

const EVENT_ID = /^evt_[A-Za-z0-9_]+$/;

/** The ids given, or `--last [N]` / `--failed`; one of the two ways, never both. Pure. */
export function parseReplaySelection(ids: readonly string[], { last, failed = false }: ReplaySelectionFlags): ReplaySelection {
  const fromJournal = (last !== undefined && last !== false) || failed;
  if (ids.length > 0 && fromJournal) {
    throw new UsageError('Name events by id, or pick them with --last or --failed, not both.', { hint: 'For example: webhook-dev replay evt_1NtB8f2eZvKYlo2C, or webhook-dev replay --last 3' });
  }
  if (ids.length === 0 && !fromJournal) {
    throw new UsageError('Which events? Give their ids (evt_…), or --last [N] for the newest, or --failed for those that failed.', {
      hint: 'webhook-dev events lists what the journal kept; webhook-dev replay --last replays the newest one.',
    });
  }
  for (const id of ids) {
    if (!EVENT_ID.test(id)) throw new UsageError(`"${id}" is not an event id; they look like evt_1NtB8f2eZvKYlo2C.`, { hint: 'webhook-dev events lists the journaled ones.' });
  }
  if (ids.length > 0) return { kind: 'ids', ids: [...new Set(ids)] };
  const count = typeof last === 'string' ? parseCount(last, '--last') : last === true ? 1 : undefined;
  return { kind: 'journal', count: failed ? count : (count ?? 1), failedOnly: failed };
}

/** `--times N`: each event delivered N times (1 to 100). Pure. */
export function parseTimes(value: string | undefined): number {
  if (value === undefined) return 1;
  const times = parseCount(value, '--times');
  if (times > 100) throw new UsageError(`--times takes at most 100 (got ${times}).`, { hint: 'Stripe delivers an event a handful of times at most; --times 2 or 3 shows whether your handler is idempotent.' });
  return times;
}

function parseCount(value: string, flag: string): number {
  if (!/^\s*\d+\s*$/.test(value) || Number(value) < 1) {
    throw new UsageError(`${flag} takes a whole number from 1 (got "${value}").`, { hint: `For example: ${flag} 3` });
  }
  return Number(value);
}

/**
 * The events to replay from journal index entries listed newest first: each event once, judged by
 * its newest delivery, the `count` newest kept, returned oldest first (the order they arrived in).
 * Deliveries whose body was not a Stripe event have no id and cannot be replayed. Pure.
 */
export function pickJournalEvents(newestFirst: readonly JournalIndexEntry[], { count, failedOnly }: { count: number | undefined; failedOnly: boolean }): string[] {
  const seen = new Set<string>();
  const picked: string[] = [];
  for (const entry of newestFirst) {
    if (entry.e === null || seen.has(entry.e)) continue;
    seen.add(entry.e);
    if (failedOnly && !FAILED_OUTCOMES.has(entry.out)) continue;
    picked.push(entry.e);
    if (count !== undefined && picked.length === count) break;
  }
  return picked.reverse();
}
