/**
 * Is `stripe listen` still making progress? Pure: the supervisor samples the clocks and the
 * process state once a second and asks. Three signals, because each misses what another sees:
 *
 * - the keep-alive: with `--log-level debug` the CLI logs the pong to the ping it sends every 2 s.
 *   A pong proves the process runs, reads its socket and the server answers, online and offline
 *   alike; its absence is the only sign of a socket that died without a close (a network gone, a
 *   NAT that forgot the connection, a server that stopped answering);
 * - the process state: a CLI stopped by SIGSTOP or a debugger (`T` in /proc/<pid>/stat) is caught at
 *   the next sample, without waiting for missed pongs, and the notice can say why;
 * - the wall clock against the monotonic clock: while a laptop sleeps the monotonic clock stands
 *   still (Linux CLOCK_MONOTONIC, macOS mach_absolute_time), so after waking the keep-alive looks
 *   fresh although the socket may be long dead and events were sent to nobody. A wall clock that
 *   moved ahead of the monotonic one between two samples is that sleep.
 *
 * An exit needs no sampling: the supervisor sees it as it happens.
 */

import { formatDuration } from '../render/format-duration.js';

import type { StallCause } from '../types.js';

export type ListenStallCause = StallCause;

export interface ClockSample {
  /** performance.now()-like: never jumps, stands still while the machine sleeps. */
  monotonicMs: number;
  /** Date.now()-like. */
  wallMs: number;
}

export interface ListenHealthInput {
  previous: ClockSample;
  now: ClockSample;
  /** Monotonic time of the last keep-alive; undefined until the CLI has shown one. */
  lastHeartbeatMs: number | undefined;
  /** The state letter of /proc/<pid>/stat, when known. */
  processState: string | undefined;
  stallAfterMs: number;
  clockJumpMs: number;
}

export interface ListenStallFinding {
  cause: ListenStallCause;
  /** Wall-clock time from which events may have been missed. */
  sinceWallMs: number;
  /** What was seen, for a person: "no keep-alive for 6 s". */
  detail: string;
}

export function judgeListenHealth({ previous, now, lastHeartbeatMs, processState, stallAfterMs, clockJumpMs }: ListenHealthInput): ListenStallFinding | undefined {
  const lastSignOfLife = lastHeartbeatMs === undefined ? previous.wallMs : now.wallMs - (now.monotonicMs - lastHeartbeatMs);
  const skipped = now.wallMs - previous.wallMs - (now.monotonicMs - previous.monotonicMs);
  if (skipped > clockJumpMs) {
    return { cause: 'clock-jump', sinceWallMs: previous.wallMs, detail: `the wall clock jumped ${formatDuration(skipped)} ahead: the machine probably slept` };
  }
  if (processState === 'T' || processState === 't') {
    return { cause: 'stopped', sinceWallMs: lastSignOfLife, detail: 'its process is stopped (SIGSTOP, Ctrl-Z or a debugger)' };
  }
  if (lastHeartbeatMs !== undefined && now.monotonicMs - lastHeartbeatMs > stallAfterMs) {
    return { cause: 'silent', sinceWallMs: lastSignOfLife, detail: `no websocket keep-alive for ${formatDuration(now.monotonicMs - lastHeartbeatMs)}` };
  }
  return undefined;
}

const HEADLINES: Record<ListenStallCause, string> = {
  exited: 'The Stripe CLI stopped unexpectedly',
  stopped: 'The Stripe CLI was stopped',
  silent: 'The Stripe CLI stopped answering',
  'clock-jump': 'The Stripe CLI may have missed events while this machine slept',
};

/** The sentence that opens every notice and error about a stall of this cause. */
export function stallHeadline(cause: ListenStallCause): string {
  return HEADLINES[cause];
}
