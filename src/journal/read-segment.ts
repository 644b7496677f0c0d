import { open, readFile } from 'node:fs/promises';
import { sessionAlive, type SegmentFile } from './journal-files.js';
import { fromJournalDelivery, parseJournalRecord, readRecordAt, toIndexEntry, type JournalDelivery, type JournalIndexEntry, type JournalLine, type JournalSettled } from './journal-record.js';

export interface SegmentEntries {
  /** Deliveries in the order they were written, each with its settled outcome. */
  entries: JournalIndexEntry[];
  /** Where each delivery's settled line is, by seq. */
  settled: Map<number, { o: number; l: number }>;
  /** Lines that are not whole records: a write cut short by a kill. Skipped. */
  torn: number;
}

/**
 * A segment's deliveries from its index, without reading bodies. Whatever the segment holds past
 * the last indexed line (the index is written second, so a kill can leave a line unindexed) is
 * read from the segment itself. A last record cut short is torn, unless the session that writes
 * it is alive: then it is a write in progress, and left for the next read.
 */
export async function readSegmentEntries(segment: SegmentFile): Promise<SegmentEntries> {
  const index = await readFile(segment.indexPath, 'utf8').catch(() => '');
  const entries: JournalIndexEntry[] = [];
  const settled = new Map<number, { o: number; l: number }>();
  const outcomes = new Map<number, JournalIndexEntry['out']>();
  let end = 0;
  for (const line of index.split('\n')) {
    const entry = parseIndexLine(line);
    if (entry === undefined) continue;
    end = Math.max(end, entry.o + entry.l);
    if (entry.k === 's') {
      settled.set(entry.i, { o: entry.o, l: entry.l });
      outcomes.set(entry.i, entry.out);
    } else entries.push(entry);
  }
  const tail = await readTail(segment, end);
  for (const line of tail.lines) {
    if (line.kind === 'settled') {
      settled.set(line.seq, { o: line.offset, l: line.length });
      outcomes.set(line.seq, line.out);
    } else entries.push(line.entry);
  }
  for (const entry of entries) {
    const out = outcomes.get(entry.i);
    if (out !== undefined) entry.out = out;
  }
  return { entries, settled, torn: tail.torn };
}

function parseIndexLine(line: string): JournalIndexEntry | undefined {
  if (line === '') return undefined;
  try {
    const entry = JSON.parse(line) as JournalIndexEntry;
    return typeof entry.o === 'number' && typeof entry.l === 'number' && typeof entry.i === 'number' ? entry : undefined;
  } catch {
    // A torn index line: the segment's own line is read instead (readTail).
    return undefined;
  }
}

type TailLine = { kind: 'delivery'; entry: JournalIndexEntry } | { kind: 'settled'; seq: number; offset: number; length: number; out: JournalIndexEntry['out'] };

async function readTail(segment: SegmentFile, from: number): Promise<{ lines: TailLine[]; torn: number }> {
  const handle = await open(segment.path, 'r').catch(() => undefined);
  if (!handle) return { lines: [], torn: 0 };
  try {
    const { size } = await handle.stat();
    if (size <= from) return { lines: [], torn: 0 };
    const buffer = Buffer.alloc(size - from);
    await handle.read(buffer, 0, buffer.length, from);
    const lines: TailLine[] = [];
    let torn = 0;
    let start = 0;
    let skipping = false;
    while (start < buffer.length) {
      const read = readRecordAt(buffer, start);
      if (read === 'incomplete') {
        // A session that is alive is still writing it: left for the next read.
        if ((!skipping || looksLikeHead(buffer, start)) && !sessionAlive(segment.session)) torn += 1;
        break;
      }
      if (read?.record === undefined) {
        // Not a whole record: skip line by line to the next one. The lines of a broken record's
        // body are not records of their own: only what starts like a head counts as one more.
        if (!skipping || looksLikeHead(buffer, start)) torn += 1;
        skipping = true;
        start = buffer.indexOf(10, start) + 1;
        continue;
      }
      skipping = false;
      const { end, record: parsed } = read;
      if (parsed.kind === 'delivery') {
        const record = fromJournalDelivery(parsed);
        lines.push({ kind: 'delivery', entry: toIndexEntry(record, { seq: parsed.seq, session: parsed.session, source: parsed.source }, from + start, end - start) });
      } else {
        const out = toIndexEntry(fromJournalDelivery(placeholderFor(parsed), parsed), parsed, 0, 0).out;
        lines.push({ kind: 'settled', seq: parsed.seq, offset: from + start, length: end - start, out });
      }
      start = end;
    }
    return { lines, torn };
  } finally {
    await handle.close();
  }
}

const HEAD_START = Buffer.from('{"kind":');

function looksLikeHead(buffer: Buffer, start: number): boolean {
  return buffer.subarray(start, start + HEAD_START.length).equals(HEAD_START);
}

/** A settled line's outcome needs a whole record to be judged on; its delivery's status and verification do not change it. */
function placeholderFor(settled: JournalSettled): JournalDelivery {
  return {
    kind: 'delivery',
    v: settled.v,
    seq: settled.seq,
    session: settled.session,
    source: 'stripe-cli',
    request: { headers: {}, body: Buffer.alloc(0), redacted: false },
    record: { receivedAt: new Date(0).toISOString(), status: 200, verified: true, attempt: 1, durationMs: 0 },
  };
}

/** Reads records at known places in a segment. */
export async function readLinesAt(path: string, places: ReadonlyArray<{ o: number; l: number }>): Promise<Array<JournalLine | undefined>> {
  const handle = await open(path, 'r');
  try {
    return await Promise.all(
      places.map(async ({ o, l }) => {
        const buffer = Buffer.alloc(l);
        await handle.read(buffer, 0, l, o);
        return parseJournalRecord(buffer);
      }),
    );
  } finally {
    await handle.close();
  }
}
