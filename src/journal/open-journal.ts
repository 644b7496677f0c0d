import { closeSync, mkdirSync, openSync, writeFileSync, writeSync, writevSync } from 'node:fs';
import { join } from 'node:path';
import type { ReceivedRequest } from '../receiver/start-receiver.js';
import type { DeliveryKeeper } from '../session/delivery-pipeline.js';
import type { DeliveryRecord } from '../types.js';
import { journalDir, newSessionId, segmentPaths } from './journal-files.js';
import { journalDeliveryBytes, serializeSettledLine, toIndexEntry, toJournalSettled, type DeliverySourceName } from './journal-record.js';
import { DEFAULT_JOURNAL_LIMITS, pruneJournal, type JournalLimits } from './prune-journal.js';

export interface JournalOptions {
  projectRoot: string;
  /** Default: newSessionId(). */
  session?: string;
  source?: DeliverySourceName;
  limits?: Partial<JournalLimits>;
  /** Said once, when the journal stops writing (a full or read-only disk); the session goes on. */
  onWarning: (message: string) => void;
}

export interface Journal extends DeliveryKeeper {
  session: string;
  dir: string;
  close(): Promise<void>;
}

/**
 * Payloads hold customer data: a `.gitignore` of `*` inside the folder keeps git from committing it
 * whatever the project's own `.gitignore` says (the file ignores itself too).
 */
function ignoreInGit(dir: string): void {
  try {
    writeFileSync(join(dir, '.gitignore'), '# webhook-dev journal: local deliveries, never committed\n*\n', { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/**
 * The session's journal writer: one segment file per session at a time, records appended (see
 * journal-record.ts for their format); a new segment past the size cap, and old ones pruned past
 * the size and age caps.
 *
 * Each delivery is handed to the OS before the receiver answers it: when the sender sees a 2xx,
 * the OS has the record (no fsync: a crash of the machine may still lose it, a crash of
 * webhook-dev cannot). The records of one turn of the event loop go out in one writev, and their
 * answers wait for it; a write per delivery cost more system time than the rest of the journal.
 * A process killed mid-write leaves at most one torn last record, which readers skip.
 */
export function openJournal({ projectRoot, session = newSessionId(), source = 'stripe-cli', limits: given, onWarning }: JournalOptions): Journal {
  const limits = { ...DEFAULT_JOURNAL_LIMITS, ...given };
  const dir = journalDir(projectRoot);
  const seqOf = new WeakMap<DeliveryRecord, number>();
  let seq = 0;
  let n = 0;
  let segment: { fd: number; indexFd: number; size: number; pendingIndex: string } | undefined;
  let failed = false;
  let pruning: Promise<unknown> = Promise.resolve();

  const fail = (error: unknown) => {
    if (failed) return;
    failed = true;
    closeSegment();
    onWarning(`The journal cannot be written (${error instanceof Error ? error.message : String(error)}): deliveries are still handled, but from now on not kept in ${dir} (--no-journal turns the journal off).`);
  };

  function closeSegment(): void {
    if (!segment) return;
    flushIndex(segment);
    const { fd, indexFd } = segment;
    segment = undefined;
    for (const open of [fd, indexFd]) {
      try {
        closeSync(open);
      } catch {
        // Already gone; nothing to keep.
      }
    }
  }

  function openSegment(): NonNullable<typeof segment> {
    closeSegment();
    n += 1;
    const paths = segmentPaths(dir, session, n);
    // 0600: bodies and handler logs are the user's data, like the session files beside them.
    const fd = openSync(paths.path, 'a', 0o600);
    const indexFd = openSync(paths.indexPath, 'a', 0o600);
    segment = { fd, indexFd, size: 0, pendingIndex: '' };
    // The open pruned already; a later segment is this session's own growth.
    if (n > 1) prune();
    return segment;
  }

  function prune(): void {
    pruning = pruning.then(() => pruneJournal(dir, limits)).catch(() => {});
  }

  /**
   * Records are written in batches, one system call per turn of the event loop however many
   * deliveries it answered; each answer waits for its batch (`keep` returns the batch's promise).
   * The index lines follow: the index is derived, and a reader reads whatever the segment holds
   * past its last indexed line from the segment itself.
   */
  let batch: { parts: Buffer[]; bytes: number; written: Promise<void>; resolve: () => void } | undefined;

  function flush(): void {
    const current = batch;
    if (!current) return;
    batch = undefined;
    try {
      if (segment) writeAll(segment, current.parts, current.bytes);
    } catch (error) {
      fail(error);
    } finally {
      current.resolve();
    }
    if (segment) flushIndex(segment);
  }

  function writeAll(target: NonNullable<typeof segment>, parts: Buffer[], bytes: number): void {
    let done = 0;
    // writev takes at most IOV_MAX (1024) parts at a time.
    for (let at = 0; at < parts.length; at += 1024) {
      const chunk = parts.slice(at, at + 1024);
      const want = chunk.reduce((sum, part) => sum + part.length, 0);
      const written = writevSync(target.fd, chunk);
      done += written;
      if (written < want) {
        target.pendingIndex = '';
        writeSync(target.fd, '\n');
        throw new Error(`only ${done} of ${bytes} bytes could be written`);
      }
    }
  }

  function flushIndex(target: NonNullable<typeof segment>): void {
    if (target.pendingIndex === '') return;
    const text = target.pendingIndex;
    target.pendingIndex = '';
    try {
      writeSync(target.indexFd, text);
    } catch {
      // The segment line is what counts; readers rebuild a missing index entry from it.
    }
  }

  /** Adds one whole record to the batch; the promise settles once the batch is handed to the OS. */
  function append(parts: Buffer[], index: (offset: number, length: number) => object): Promise<void> | undefined {
    if (failed) return undefined;
    try {
      const length = parts.reduce((sum, part) => sum + part.length, 0);
      let current = segment ?? openSegment();
      // `size` counts what is batched too: it is where the next record will start.
      if (current.size > 0 && current.size + length > limits.maxSegmentBytes) {
        flush();
        current = openSegment();
      }
      if (!batch) {
        let resolve!: () => void;
        const written = new Promise<void>((settle) => (resolve = settle));
        batch = { parts: [], bytes: 0, written, resolve };
        setImmediate(flush);
      }
      const offset = current.size;
      batch.parts.push(...parts);
      batch.bytes += length;
      current.size += length;
      current.pendingIndex += `${JSON.stringify(index(offset, length))}\n`;
      return batch.written;
    } catch (error) {
      fail(error);
      return undefined;
    }
  }

  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    ignoreInGit(dir);
    prune();
  } catch (error) {
    fail(error);
  }

  return {
    session,
    dir,
    keep(record: DeliveryRecord, request: ReceivedRequest) {
      seq += 1;
      const context = { seq, session, source };
      seqOf.set(record, seq);
      return append(journalDeliveryBytes(record, request, context), (offset, length) => toIndexEntry(record, context, offset, length));
    },
    settle(answered: DeliveryRecord, record: DeliveryRecord) {
      const kept = seqOf.get(answered);
      if (kept === undefined) return;
      const context = { seq: kept, session };
      void append([Buffer.from(serializeSettledLine(toJournalSettled(record, context)))], (offset, length) => toIndexEntry(record, context, offset, length, true));
    },
    async close() {
      flush();
      closeSegment();
      failed = true;
      await pruning;
    },
  };
}
