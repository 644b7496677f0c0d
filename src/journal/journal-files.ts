import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** `<project root>/.webhook-dev/journal/`: beside the session files, ignored by git with the folder. */
export function journalDir(projectRoot: string): string {
  return join(projectRoot, '.webhook-dev', 'journal');
}

/**
 * A session id sorts by start time and names its process: `20261130-190615-12345` (UTC). Readers
 * use the pid to tell a live session's half-written last line from a torn one.
 */
export function newSessionId(now = new Date(), pid = process.pid): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${pid}`;
}

export function sessionPid(session: string): number | undefined {
  const match = /-(\d+)$/.exec(session);
  return match ? Number(match[1]) : undefined;
}

export interface SegmentFile {
  session: string;
  /** Rotation number within the session, from 1. */
  n: number;
  /** The segment (`.journal`, or `.jsonl` as written before format 2); its index is `indexPath`. */
  path: string;
  indexPath: string;
  /** The segment alone (pruning adds its index's size: see prune-journal.ts). */
  segmentBytes: number;
  /** Last write, ms since the epoch: no entry in the segment is newer. */
  mtimeMs: number;
}

// `.jsonl`: format 1, JSON lines only; still read, and pruned like the others.
const SEGMENT_NAME = /^(\d{8}-\d{6}-\d+)\.(\d+)\.(journal|jsonl)$/;

export function segmentPaths(dir: string, session: string, n: number, extension: 'journal' | 'jsonl' = 'journal'): { path: string; indexPath: string } {
  return pathsUnder(folderPrefix(dir), session, n, extension);
}

/** The folder's path with its separator, joined once: path.join for each of thousands of names cost more than their stats. */
function folderPrefix(dir: string): string {
  return join(dir, '_').slice(0, -1);
}

function pathsUnder(prefix: string, session: string, n: number, extension: 'journal' | 'jsonl'): { path: string; indexPath: string } {
  return { path: `${prefix}${session}.${n}.${extension}`, indexPath: `${prefix}${session}.${n}.idx` };
}

/**
 * Every segment in the folder, newest write first; none when the folder does not exist.
 *
 * Synchronous on purpose: a project's journal holds two files per session (two weeks of `trigger`
 * runs can be thousands), and with 1,226 sessions kept (2,452 files) a promise per stat took
 * 120-200 ms of CPU a listing, against 26-43 ms as one blocking pass (every session's start-up
 * lists them once, to prune; `events` too). The indexes are not stat'ed here: only pruning needs
 * their size.
 */
export async function listSegments(dir: string): Promise<SegmentFile[]> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const segments: SegmentFile[] = [];
  const prefix = folderPrefix(dir);
  for (const name of names) {
    const match = SEGMENT_NAME.exec(name);
    if (!match) continue;
    const session = match[1]!;
    const n = Number(match[2]);
    const paths = pathsUnder(prefix, session, n, match[3] as 'journal' | 'jsonl');
    // Another session may prune it meanwhile: a file gone is no error.
    const info = statSync(paths.path, { throwIfNoEntry: false });
    if (!info) continue;
    segments.push({ session, n, ...paths, segmentBytes: info.size, mtimeMs: info.mtimeMs });
  }
  return segments.sort((a, b) => b.mtimeMs - a.mtimeMs || b.session.localeCompare(a.session) || b.n - a.n);
}

/** Whether the process that wrote a session still runs (it may still be appending). */
export function sessionAlive(session: string): boolean {
  const pid = sessionPid(session);
  if (pid === undefined) return false;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
