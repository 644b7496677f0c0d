/**
 * Who a pid is, beyond the number. A pid recorded by a session that has since died may belong to
 * an unrelated program by now; its start time (with the pid) names one process for good. Linux
 * only (/proc); elsewhere the identity is unknown and callers must not signal on a guess.
 */
import { readFileSync } from 'node:fs';
import { parseProcStat } from '../app/process-group.js';

export interface ProcessIdentity {
  /** Start time in clock ticks after boot, as /proc/PID/stat gives it. */
  start: string;
  /** Exited but not yet reaped: no longer running, whatever signal 0 says. */
  zombie: boolean;
}

/** Undefined when no such process exists, or its identity cannot be read here. */
export function readProcessIdentity(pid: number, platform: NodeJS.Platform = process.platform): ProcessIdentity | undefined {
  if (platform !== 'linux' || !Number.isSafeInteger(pid) || pid <= 0) return undefined;
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const stat = parseProcStat(text);
  if (stat?.startTime === undefined) return undefined;
  return { start: stat.startTime, zombie: stat.state === 'Z' || stat.state === 'X' };
}
