import { statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { listSegments, sessionAlive, type SegmentFile } from './journal-files.js';

export interface JournalLimits {
  /** All segments together, indexes included. */
  maxTotalBytes: number;
  /** Segments last written longer ago than this are deleted. */
  maxAgeMs: number;
  /** A session starts a new segment past this size. */
  maxSegmentBytes: number;
}

export const DEFAULT_JOURNAL_LIMITS: JournalLimits = {
  maxTotalBytes: 100 * 1024 * 1024,
  maxAgeMs: 14 * 24 * 60 * 60 * 1000,
  maxSegmentBytes: 10 * 1024 * 1024,
};

/** A segment with its index's size added: what it costs on disk. */
export interface SizedSegment extends SegmentFile {
  bytes: number;
}

/**
 * Which segments go: every one older than the age cap, then the oldest until the rest fit the size
 * cap. A live session's newest segment is never chosen: it is still being appended to. Pure.
 */
export function segmentsToPrune<T extends SizedSegment>(segments: readonly T[], { maxTotalBytes, maxAgeMs }: Pick<JournalLimits, 'maxTotalBytes' | 'maxAgeMs'>, { now, isWriting }: { now: number; isWriting: (segment: T) => boolean }): T[] {
  const newestFirst = [...segments].sort((a, b) => b.mtimeMs - a.mtimeMs);
  const doomed: T[] = [];
  let kept = 0;
  let full = false;
  for (const segment of newestFirst) {
    // Once one segment does not fit, every older one goes too: the oldest are deleted first.
    const overflows: boolean = full || kept + segment.bytes > maxTotalBytes;
    // Asked only of a segment that would go: it checks whether a process lives, once a session.
    if (!(overflows || now - segment.mtimeMs > maxAgeMs) || isWriting(segment)) {
      kept += segment.bytes;
      continue;
    }
    full = overflows;
    doomed.push(segment);
  }
  return doomed;
}

/** Deletes what segmentsToPrune chooses; a segment another process deletes first is no error. */
export async function pruneJournal(dir: string, limits: Pick<JournalLimits, 'maxTotalBytes' | 'maxAgeMs'>, now = Date.now()): Promise<number> {
  const segments = (await listSegments(dir)).map((segment) => ({ ...segment, bytes: segment.segmentBytes + (statSync(segment.indexPath, { throwIfNoEntry: false })?.size ?? 0) }));
  const newestOf = new Map<string, number>();
  for (const segment of segments) newestOf.set(segment.session, Math.max(newestOf.get(segment.session) ?? 0, segment.n));
  const doomed = segmentsToPrune(segments, limits, { now, isWriting: (segment) => newestOf.get(segment.session) === segment.n && sessionAlive(segment.session) });
  await Promise.all(doomed.map((segment) => Promise.all([rm(segment.path, { force: true }), rm(segment.indexPath, { force: true })])));
  return doomed.length;
}
