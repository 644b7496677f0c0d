/**
 * What the watchdog's end-to-end tests share: the `stripe listen` child of a running webhook-dev,
 * and a file the record-ids handler fixture appends each handled event id to.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive, listDescendants, type CliRun } from './run-cli.js';
import { waitFor } from './wait-for.js';

export const RECORD_IDS_HANDLER = 'test/fixtures/e2e/record-ids.mjs';

/** The pid of the live `stripe listen` under a webhook-dev run (the replacement, after a restart). */
export function stripeListenPid(run: CliRun): Promise<number> {
  return waitFor(() => listDescendants(run.pid).find(isStripeListen), { timeoutMs: 10_000, description: 'the stripe listen child' });
}

function isStripeListen(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('listen') && isAlive(pid);
  } catch {
    return false;
  }
}

/** A temporary RECORD_IDS_FILE, what the handler wrote to it (one id per call, in order), and its removal. */
export function handledIdsFile(): { file: string; handled(): string[]; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'webhook-dev-handled-'));
  const file = join(dir, 'ids.txt');
  writeFileSync(file, '');
  return { file, handled: () => readFileSync(file, 'utf8').split('\n').filter(Boolean), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * SIGSTOPs the run's `stripe listen` and resolves once every one of its threads has stopped;
 * `resume` (for cleanup) SIGCONTs it should it still exist. kill() returns before a multi-threaded
 * process stops: one thread takes the signal and only then stops the others, so on a loaded
 * machine the Go CLI could still read and forward an event published right after the kill.
 */
export async function stopStripeListen(run: CliRun): Promise<{ pid: number; resume(): void }> {
  const pid = await stripeListenPid(run);
  process.kill(pid, 'SIGSTOP');
  await waitFor(() => allThreadsStopped(pid), { timeoutMs: 10_000, intervalMs: 2, description: `every thread of stripe listen (pid ${pid}) to stop` });
  return {
    pid,
    resume() {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // Gone, as it should be: the watchdog replaced it.
      }
    },
  };
}

/** True when no thread of the process can run: all stopped, or the process is gone (the watchdog may kill it first). */
function allThreadsStopped(pid: number): boolean {
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return true;
  }
  return threads.every((tid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      return /^[TtZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
    } catch {
      return true;
    }
  });
}
