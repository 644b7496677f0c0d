import { listSegments, type SegmentFile } from './journal-files.js';
import { fromJournalDelivery, journalBody, type JournalDelivery, type JournalIndexEntry, type JournalSettled } from './journal-record.js';
import { readLinesAt, readSegmentEntries } from './read-segment.js';
import type { DeliveryRecord } from '../types.js';

export interface JournalQuery {
  type?: (type: string | null) => boolean;
  /** Only deliveries that did not succeed: rejected, handler failed or timed out, app failed. */
  failed?: boolean;
  /** ms since the epoch. */
  since?: number;
  session?: string;
  limit: number;
}

export interface QueryResult<T> {
  found: T;
  /** Segments in the folder: 0 means nothing was ever journaled (or it was cleared). */
  segments: number;
  /** Torn lines skipped (a session killed mid-write). */
  torn: number;
}

/** The outcomes `events --failed` (and `replay --failed`) count as failures. */
export const FAILED_OUTCOMES: ReadonlySet<JournalIndexEntry['out']> = new Set(['rejected', 'error', 'timeout', 'app-failed']);

/**
 * The newest deliveries that match, newest first, across sessions. Segments are visited newest
 * write first; a delivery is written after it arrives, so a segment last written before the
 * oldest delivery already kept cannot hold a newer one: `events --limit 20` reads one or two
 * indexes, however large the journal.
 */
export async function listDeliveries(dir: string, query: JournalQuery): Promise<QueryResult<JournalIndexEntry[]>> {
  const segments = await listSegments(dir);
  const kept: JournalIndexEntry[] = [];
  let torn = 0;
  for (const segment of segments) {
    const oldestKept = kept.length >= query.limit ? kept[kept.length - 1]!.t : -Infinity;
    if (segment.mtimeMs < Math.max(oldestKept, query.since ?? -Infinity)) break;
    if (query.session !== undefined && segment.session !== query.session) continue;
    const read = await readSegmentEntries(segment);
    torn += read.torn;
    for (let i = read.entries.length - 1; i >= 0; i -= 1) {
      const entry = read.entries[i]!;
      if (query.since !== undefined && entry.t < query.since) continue;
      if (query.type && !query.type(entry.ty)) continue;
      if (query.failed && !FAILED_OUTCOMES.has(entry.out)) continue;
      kept.push(entry);
    }
    kept.sort((a, b) => b.t - a.t || b.i - a.i);
    kept.length = Math.min(kept.length, query.limit);
  }
  return { found: kept, segments: segments.length, torn };
}

export interface JournaledDelivery {
  record: DeliveryRecord;
  /** The bytes as received (see `redacted`). */
  body: Buffer;
  redacted: boolean;
  headers: Record<string, string | string[]>;
  session: string;
  seq: number;
  source: string;
}

/** Every journaled delivery of one event (or of several: each segment is read once), oldest first. */
export async function findEventDeliveries(dir: string, eventId: string | ReadonlySet<string>): Promise<QueryResult<JournaledDelivery[]>> {
  const wanted = typeof eventId === 'string' ? new Set([eventId]) : eventId;
  const segments = await listSegments(dir);
  const found: JournaledDelivery[] = [];
  let torn = 0;
  await Promise.all(
    segments.map(async (segment) => {
      const read = await readSegmentEntries(segment);
      torn += read.torn;
      const matching = read.entries.filter((entry) => entry.e !== null && wanted.has(entry.e));
      found.push(...(await readDeliveries(segment, matching, read.settled)));
    }),
  );
  found.sort((a, b) => a.record.receivedAt.getTime() - b.record.receivedAt.getTime() || a.seq - b.seq);
  return { found, segments: segments.length, torn };
}

async function readDeliveries(segment: SegmentFile, entries: JournalIndexEntry[], settled: Map<number, { o: number; l: number }>): Promise<JournaledDelivery[]> {
  if (entries.length === 0) return [];
  const lines = await readLinesAt(segment.path, entries);
  const settledLines = await readLinesAt(
    segment.path,
    entries.map((entry) => settled.get(entry.i) ?? { o: 0, l: 0 }),
  );
  return lines.flatMap((line, i) => {
    if (line?.kind !== 'delivery') return [];
    const settledLine = settledLines[i]?.kind === 'settled' ? (settledLines[i] as JournalSettled) : undefined;
    return [toJournaled(line, settledLine)];
  });
}

function toJournaled(line: JournalDelivery, settled: JournalSettled | undefined): JournaledDelivery {
  return {
    record: fromJournalDelivery(line, settled),
    body: journalBody(line),
    redacted: line.request.redacted,
    headers: line.request.headers,
    session: line.session,
    seq: line.seq,
    source: line.source,
  };
}
