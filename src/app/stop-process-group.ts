/**
 * Stops a whole process group in two steps: SIGTERM to every member (a dev server closes its
 * sockets and exits), then SIGKILL to the group for whatever is still there after `graceMs`.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { isProcessGroupAlive, signalProcessGroup } from './process-group.js';

export interface StopProcessGroupOptions {
  /** True once the leader has exited; the group counts as gone only then. */
  leaderExited: () => boolean;
  graceMs?: number;
  /** How often to look whether the group is gone. */
  pollMs?: number;
}

/**
 * Resolves with true once the leader has exited and no member of the group is running; never
 * rejects. If even SIGKILL is not followed by that within another `graceMs` (a process stuck in
 * the kernel), it resolves with false rather than hang the caller's shutdown.
 */
export async function stopProcessGroup(
  pgid: number,
  { leaderExited, graceMs = 5_000, pollMs = 20 }: StopProcessGroupOptions,
): Promise<boolean> {
  const gone = async (): Promise<boolean> => leaderExited() && !(await isProcessGroupAlive(pgid));
  if (await gone()) return true;
  signalProcessGroup(pgid, 'SIGTERM');
  if (await pollUntil(gone, graceMs, pollMs)) return true;
  signalProcessGroup(pgid, 'SIGKILL');
  return pollUntil(gone, graceMs, pollMs);
}

async function pollUntil(predicate: () => Promise<boolean>, timeoutMs: number, pollMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await predicate()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(pollMs);
  }
}
