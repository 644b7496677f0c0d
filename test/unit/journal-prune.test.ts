import { describe, expect, it } from 'vitest';
import type { SegmentFile } from '../../src/journal/journal-files.js';
import { newSessionId, sessionPid } from '../../src/journal/journal-files.js';
import { segmentsToPrune, type SizedSegment } from '../../src/journal/prune-journal.js';

const DAY = 86_400_000;
const segment = (session: string, n: number, bytes: number, ageDays: number): SizedSegment => ({
  session,
  n,
  path: `${session}.${n}.jsonl`,
  indexPath: `${session}.${n}.idx`,
  bytes,
  segmentBytes: bytes,
  mtimeMs: 100 * DAY - ageDays * DAY,
});

describe('segmentsToPrune', () => {
  const now = 100 * DAY;
  const names = (segments: SegmentFile[]) => segments.map((s) => s.path);

  it('deletes what is older than the age cap', () => {
    const segments = [segment('a', 1, 10, 20), segment('b', 1, 10, 1)];
    expect(names(segmentsToPrune(segments, { maxTotalBytes: 1000, maxAgeMs: 14 * DAY }, { now, isWriting: () => false }))).toEqual(['a.1.jsonl']);
  });

  it('deletes the oldest first until the rest fit the size cap, never a segment being written', () => {
    const segments = [segment('a', 1, 60, 3), segment('a', 2, 60, 2), segment('b', 1, 10, 4), segment('c', 1, 60, 1)];
    const doomed = segmentsToPrune(segments, { maxTotalBytes: 130, maxAgeMs: 14 * DAY }, { now, isWriting: (s) => s.path === 'c.1.jsonl' });
    expect(names(doomed)).toEqual(['a.1.jsonl', 'b.1.jsonl']);
    const everythingWritten = segmentsToPrune([segment('c', 1, 500, 30)], { maxTotalBytes: 10, maxAgeMs: DAY }, { now, isWriting: () => true });
    expect(everythingWritten).toEqual([]);
  });

  it('asks whether a session is still writing only of a segment that would go (a process check each)', () => {
    const segments = [segment('a', 1, 10, 1), segment('b', 1, 10, 2), segment('c', 1, 10, 20), segment('d', 1, 500, 3)];
    const asked: string[] = [];
    const doomed = segmentsToPrune(segments, { maxTotalBytes: 100, maxAgeMs: 14 * DAY }, { now, isWriting: (s) => (asked.push(s.path), s.path === 'd.1.jsonl') });
    expect(names(doomed)).toEqual(['c.1.jsonl']);
    expect(asked.sort()).toEqual(['c.1.jsonl', 'd.1.jsonl']);
  });
});

describe('session ids', () => {
  it('sort by start time and name their process', () => {
    const id = newSessionId(new Date('2026-11-30T19:06:15.123Z'), 4242);
    expect(id).toBe('20261130-190615-4242');
    expect(sessionPid(id)).toBe(4242);
    expect(newSessionId(new Date('2026-12-01T00:00:00Z'), 1) > newSessionId(new Date('2026-11-30T23:59:59Z'), 99999)).toBe(true);
  });
});
