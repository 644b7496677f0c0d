/**
 * Stops what a dead session left running (pids from its session file), and nothing else. A pid is
 * only signalled while it is still the process that was recorded: same pid AND same start time.
 * A process group is the exception that needs no start time: while any member of group N lives,
 * Linux does not hand pid N to a new process, so if no process N exists but group N does, that
 * group is still the recorded one (the app's leader exited, its server child did not).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { signalProcessGroup } from '../app/process-group.js';
import { stopProcessGroup } from '../app/stop-process-group.js';
import { readProcessIdentity, type ProcessIdentity } from './process-identity.js';

export interface RecordedChild {
  pid: number;
  /** The process group led by pid (the app), rather than the one process (the Stripe CLI). */
  group: boolean;
  /** From readProcessIdentity when the session recorded it. */
  start: string;
}

export interface StopLeftoversOptions {
  graceMs?: number;
  identify?: (pid: number) => ProcessIdentity | undefined;
}

/** Resolves with the children that were still there and were stopped; never rejects. */
export async function stopLeftovers(children: readonly RecordedChild[], { graceMs = 2_000, identify = readProcessIdentity }: StopLeftoversOptions = {}): Promise<RecordedChild[]> {
  const stopped = await Promise.all(
    children.map(async (child) => {
      const now = identify(child.pid);
      if (child.group) {
        const same = now === undefined ? signalProcessGroup(child.pid, 0) : now.start === child.start;
        if (!same) return undefined;
        await stopProcessGroup(child.pid, { leaderExited: () => true, graceMs });
        return child;
      }
      if (now === undefined || now.zombie || now.start !== child.start) return undefined;
      await stopProcess(child, graceMs, identify);
      return child;
    }),
  );
  return stopped.filter((child): child is RecordedChild => child !== undefined);
}

/** SIGTERM, then SIGKILL after graceMs, each only while the pid is still the recorded process. */
async function stopProcess(child: RecordedChild, graceMs: number, identify: (pid: number) => ProcessIdentity | undefined): Promise<void> {
  const running = (): boolean => {
    const now = identify(child.pid);
    return now !== undefined && !now.zombie && now.start === child.start;
  };
  const signal = (name: NodeJS.Signals): void => {
    try {
      if (running()) process.kill(child.pid, name);
    } catch {
      // Gone meanwhile, or not ours to signal (EPERM): nothing more to do.
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (running() && Date.now() < deadline) await sleep(20);
  signal('SIGKILL');
}
