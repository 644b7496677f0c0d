import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ReceivedRequest } from '../receiver/start-receiver.js';
import type { DeliveryKeeper } from '../session/delivery-pipeline.js';
import type { DeliveryRecord } from '../types.js';
import { journalDir, newSessionId, segmentPaths } from './journal-files.js';
import { serializeJournalLine, toIndexEntry, toJournalDelivery, toJournalSettled, type DeliverySourceName } from './journal-record.js';
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
 * The session's journal writer: one segment file per session at a time, JSON lines, appended; a
 * new segment past the size cap, and old ones pruned past the size and age caps.
 *
 * Each record is one synchronous write of one whole line, before the receiver answers: when the
 * sender sees a 2xx, the OS has the line (no fsync: a crash of the machine may still lose it, a
 * crash of webhook-dev cannot). A process killed mid-write leaves at most one torn last line,
 * which readers skip. The write costs ~10 µs for a 4 KB line; an async write would let the
 * answer go out before the line is handed over, or cost a turn of the event loop per delivery.
 */
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
    prune();
    return segment;
  }

  function prune(): void {
    pruning = pruning.then(() => pruneJournal(dir, limits)).catch(() => {});
  }

  /**
   * Index lines are written in batches, once per turn of the event loop: the index is derived, and
   * a reader reads whatever the segment holds past its last indexed line from the segment itself.
   * That saves a system call per delivery under load.
   */
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

  /** One whole line; a short write is closed with a newline so the next line starts clean. */
  function append(line: string, index: (offset: number, length: number) => object): void {
    if (failed) return;
    try {
      // Handed to writeSync as a string: converting it to a Buffer first costs more than the write.
      const length = Buffer.byteLength(line);
      let current = segment ?? openSegment();
      if (current.size > 0 && current.size + length > limits.maxSegmentBytes) current = openSegment();
      const offset = current.size;
      const written = writeSync(current.fd, line);
      current.size += written;
      if (written < length) {
        writeSync(current.fd, '\n');
        throw new Error(`only ${written} of ${length} bytes could be written`);
      }
      if (current.pendingIndex === '') setImmediate(flushIndex, current);
      current.pendingIndex += `${JSON.stringify(index(offset, length))}\n`;
    } catch (error) {
      fail(error);
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
      append(serializeJournalLine(toJournalDelivery(record, request, context)), (offset, length) => toIndexEntry(record, context, offset, length));
    },
    settle(answered: DeliveryRecord, record: DeliveryRecord) {
      const kept = seqOf.get(answered);
      if (kept === undefined) return;
      const context = { seq: kept, session };
      append(serializeJournalLine(toJournalSettled(record, context)), (offset, length) => toIndexEntry(record, context, offset, length, true));
    },
    async close() {
      closeSegment();
      failed = true;
      await pruning;
    },
  };
}
