import { readFileSync } from 'node:fs';
import { parseProcStat } from '../app/process-group.js';

/**
 * The state letter of a process from /proc/<pid>/stat (`R`, `S`, `T` stopped, `Z` zombie…), or
 * undefined where there is no /proc (macOS, Windows): there the keep-alive still catches a stopped
 * CLI, a few seconds later.
 */
export function readProcessState(pid: number): string | undefined {
  try {
    return parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'))?.state;
  } catch {
    return undefined;
  }
}
