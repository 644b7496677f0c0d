/**
 * CPU time a process has used so far, split into its main thread and the rest (worker threads,
 * V8's GC and compiler threads, libuv's pool), from Linux's /proc. Throughput on a shared
 * 2-core machine swings with whatever else runs; the CPU each delivery costs moves far less, so
 * it is reported beside the rates to tell a real change from a noisy run. Undefined where /proc
 * does not exist (the rates still stand on their own).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's utime and stime: USER_HZ, 100 on every Linux Node runs on. */
const TICKS_PER_SECOND = 100;

/**
 * @param {number | undefined} pid
 * @returns {{ mainSeconds: number, otherSeconds: number } | undefined}
 */
export function readProcessCpu(pid) {
  if (pid === undefined || process.platform !== 'linux') return undefined;
  try {
    let main = 0;
    let other = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces and parentheses): utime is the 12th, stime the 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]);
      if (Number(tid) === pid) main += ticks;
      else other += ticks;
    }
    return { mainSeconds: main / TICKS_PER_SECOND, otherSeconds: other / TICKS_PER_SECOND };
  } catch {
    // The process or one of its threads ended meanwhile: no reading this time.
    return undefined;
  }
}
