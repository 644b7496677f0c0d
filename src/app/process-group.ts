/**
 * Signals and liveness of a whole process group. The app runs as the leader of its own group
 * (spawned detached) so that `npm run dev` → sh → node, and whatever node forks, can be stopped
 * together: signalling only the leader would leave the real server running.
 */
import { readdir, readFile } from 'node:fs/promises';

/**
 * Sends `signal` to every process in the group led by `pgid`. Returns false when the group no
 * longer exists. Windows has no process groups; there only the leader is signalled.
 */
export function signalProcessGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(process.platform === 'win32' ? pgid : -pgid, signal);
    return true;
  } catch (error) {
    // EPERM: the group exists but has a member we may not signal (it changed user); it is alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True while a member of the group is still running. A killed member whose parent already died is
 * reparented to PID 1, and where PID 1 does not reap (many container and micro-VM inits) it stays
 * a zombie forever: it can still be "signalled", but it is dead. On Linux the group is therefore
 * read from /proc and zombies are not counted.
 */
export async function isProcessGroupAlive(pgid: number): Promise<boolean> {
  if (!signalProcessGroup(pgid, 0)) return false;
  if (process.platform !== 'linux') return true;
  const members = await readGroupStates(pgid);
  if (members === undefined) return true;
  return members.some((state) => state !== 'Z' && state !== 'X');
}

/** The states (`R`, `S`, `Z` …) of the processes in the group, or undefined if /proc is unreadable. */
async function readGroupStates(pgid: number): Promise<string[] | undefined> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return undefined;
  }
  const states = await Promise.all(
    entries.filter((name) => /^\d+$/.test(name)).map((name) => readStat(`/proc/${name}/stat`)),
  );
  return states.filter((stat) => stat?.pgrp === pgid).map((stat) => stat?.state ?? '');
}

export interface ProcStat {
  state: string;
  ppid: number;
  pgrp: number;
  /** Field 22, clock ticks after boot: with the pid, it names one process even after pid reuse. */
  startTime?: string;
}

/** Parses /proc/PID/stat. The command name is in parentheses and may itself contain ") ". */
export function parseProcStat(text: string): ProcStat | undefined {
  const close = text.lastIndexOf(')');
  if (close === -1) return undefined;
  const fields = text.slice(close + 2).split(' ');
  const [state, ppid, pgrp] = fields;
  if (state === undefined || ppid === undefined || pgrp === undefined) return undefined;
  const startTime = fields[19];
  return { state, ppid: Number(ppid), pgrp: Number(pgrp), ...(startTime !== undefined && /^\d+$/.test(startTime) ? { startTime } : {}) };
}

async function readStat(file: string): Promise<ProcStat | undefined> {
  try {
    return parseProcStat(await readFile(file, 'utf8'));
  } catch {
    // The process ended between readdir and readFile.
    return undefined;
  }
}
