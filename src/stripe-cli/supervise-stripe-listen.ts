/**
 * `stripe listen`, watched and revived. The Stripe CLI's best-known failure is to stop receiving
 * while it still looks alive: after a laptop sleeps, a network change, or hours of running
 * (stripe/stripe-cli#80, #721, #1204). webhook-dev runs the CLI, so it can notice that and repair
 * it: judge-listen-health.ts says what "stalled" means; this file samples it, stops a stalled or
 * dead CLI, starts another with backoff, and reports the gap so the session can catch up on what
 * the gap cost. Only the CLI is replaced: the receiver, the handler and the app never notice.
 */
import { readFileSync } from 'node:fs';
import { StripeAuthError, StripeCliExitedError, isWebhookDevError, type WebhookDevError } from '../errors.js';
import { judgeListenHealth, stallHeadline, type ClockSample, type ListenStallFinding } from './judge-listen-health.js';
import { DEFAULT_LISTEN_WATCH_SETTINGS, restartDelayMs, type ListenWatchSettings } from './listen-watch-settings.js';
import { readProcessState } from './read-process-state.js';
import { startStripeListen, type StartStripeListenOptions, type StripeListenExit, type StripeListenHandle } from './start-stripe-listen.js';

export interface ListenStall extends ListenStallFinding {
  pid: number;
  /** When the supervisor noticed (wall clock). */
  noticedAtWallMs: number;
  /** For `exited`. */
  exit?: StripeListenExit;
  /** Whether a replacement will be started (false: the session ends). */
  restarting: boolean;
}

export interface ListenRecovery {
  stall: ListenStall;
  /** The replacement's signing secret, and whether it differs from the one before. */
  secret: string;
  secretChanged: boolean;
  pid: number;
  /** Attempts it took, this one included. */
  attempts: number;
  /** From the stall's start to the replacement being ready (wall clock: a sleep counts). */
  gapMs: number;
  resumedAtWallMs: number;
}

export interface ListenRestartFailure {
  attempt: number;
  error: unknown;
  /** undefined: that was the last try. */
  retryInMs: number | undefined;
}

export interface WatchClock {
  wall(): number;
  monotonic(): number;
}

export interface SuperviseStripeListenOptions extends Omit<StartStripeListenOptions, 'readyWhen' | 'onDebugLine'> {
  /** For the first start only (see StartStripeListenOptions.readyWhen); replacements wait for their Ready line. */
  readyWhen?: Promise<{ secret: string; apiVersion?: string }>;
  settings?: Partial<ListenWatchSettings>;
  clock?: WatchClock;
  processState?: (pid: number) => string | undefined;
  onStall?: (stall: ListenStall) => void;
  onRestartFailed?: (failure: ListenRestartFailure) => void;
  /** The replacement is ready: the gap is over (and the session catches up on it). */
  onRecovered?: (recovery: ListenRecovery) => void | Promise<void>;
  /** Injectable for tests of the supervision itself. */
  start?: typeof startStripeListen;
}

export interface SupervisedListen {
  /** The first CLI's; a replacement's may differ (onRecovered says so). */
  secret: string;
  apiVersion?: string;
  /** The CLI running now. */
  pid(): number;
  /** The running CLI's last ~20 lines, secrets masked. */
  recentOutput(): string[];
  /** Settles when supervision gives up: the CLI cannot be revived (or may not be: maxFailures 0). */
  failed: Promise<WebhookDevError>;
  /** Stops supervising and the CLI; safe to call twice. */
  close(): Promise<void>;
}

/** Read through a file, in tests, so a test can make the machine seem to have slept. */
function systemClock(offsetFile: string | undefined): WatchClock {
  if (offsetFile === undefined) return { wall: Date.now, monotonic: () => performance.now() };
  return {
    wall: () => Date.now() + readOffset(offsetFile),
    monotonic: () => performance.now(),
  };
}

function readOffset(file: string): number {
  try {
    const value = Number(readFileSync(file, 'utf8').trim());
    return Number.isFinite(value) ? value : 0;
  } catch {
    return 0;
  }
}

export async function superviseStripeListen(options: SuperviseStripeListenOptions): Promise<SupervisedListen> {
  const { settings: given, clock: givenClock, processState = readProcessState, onStall, onRestartFailed, onRecovered, start = startStripeListen, readyWhen, signal, ...listenOptions } = options;
  const settings: ListenWatchSettings = { ...DEFAULT_LISTEN_WATCH_SETTINGS, ...given };
  const clock = givenClock ?? systemClock(settings.wallClockOffsetFile);
  // Debug logging is what makes the keep-alive visible; start-stripe-listen keeps those lines out
  // of everything else (they are many, and one per event carries its whole payload).
  const args = [...listenOptions.args, '--log-level', 'debug'];
  let lastHeartbeat: number | undefined;
  // Only a CLI seen to log in the expected format can be judged by its keep-alive: a future
  // version that logs otherwise must not be restarted for ever (the other two signals still apply).
  let debugFormatKnown = false;
  const onDebugLine = (kind: 'heartbeat' | 'debug'): void => {
    debugFormatKnown = true;
    if (kind === 'heartbeat') lastHeartbeat = clock.monotonic();
  };
  const startOne = async (attemptSignal: AbortSignal | undefined, ready?: SuperviseStripeListenOptions['readyWhen']): Promise<StripeListenHandle> => {
    const handle = await start({ ...listenOptions, args, onDebugLine, ...(attemptSignal ? { signal: attemptSignal } : {}), ...(ready ? { readyWhen: ready } : {}) });
    // Armed from Ready: a socket that dies before the first pong is missed no less than a later one.
    lastHeartbeat = clock.monotonic();
    return handle;
  };

  let current = await startOne(signal, readyWhen);
  let secret = current.secret;
  let closed = false;
  let recovering: Promise<void> | undefined;
  let stalled: StripeListenHandle | undefined;
  const stopping = new AbortController();
  let giveUp!: (error: WebhookDevError) => void;
  const failed = new Promise<WebhookDevError>((resolve) => (giveUp = resolve));
  const sample = (): ClockSample => ({ monotonicMs: clock.monotonic(), wallMs: clock.wall() });
  let previous = sample();

  const watchExit = (handle: StripeListenHandle): void => {
    void handle.exited.then(async (exit) => {
      const sinceWallMs = clock.wall();
      // A replacement that dies while the session still handles its arrival (an app restart) is
      // judged once that is done; the CLI a recovery itself stops is no longer `current` by then.
      while (recovering) await recovering;
      // Already judged: it is the CLI a stall was reported for (and, with maxFailures 0, still `current`).
      if (closed || handle !== current || handle === stalled) return;
      stall({ cause: 'exited', sinceWallMs, detail: exit.signal ? `signal ${exit.signal}` : `exit code ${exit.exitCode}` }, exit);
    });
  };
  watchExit(current);

  const timer = setInterval(() => {
    const now = sample();
    const before = previous;
    previous = now;
    if (closed || recovering || stalled === current) return;
    const finding = judgeListenHealth({
      previous: before,
      now,
      lastHeartbeatMs: debugFormatKnown ? lastHeartbeat : undefined,
      processState: processState(current.pid),
      stallAfterMs: settings.stallAfterMs,
      clockJumpMs: settings.clockJumpMs,
    });
    if (finding) stall(finding);
  }, settings.checkEveryMs);
  // The receiver and the CLI keep the process alive; this timer must not on its own.
  timer.unref();

  function stall(finding: ListenStallFinding, exit?: StripeListenExit): void {
    stalled = current;
    const restarting = settings.maxFailures > 0;
    const noticed: ListenStall = { ...finding, pid: current.pid, noticedAtWallMs: clock.wall(), restarting, ...(exit ? { exit } : {}) };
    onStall?.(noticed);
    recovering = recover(noticed)
      // A bug in a callback must not take the session down as an unhandled rejection.
      .catch((error: unknown) => process.emitWarning(error instanceof Error ? error : new Error(String(error))))
      .finally(() => {
        recovering = undefined;
        previous = sample();
      });
  }

  async function recover(noticed: ListenStall): Promise<void> {
    // A stopped or silent CLI gets no say: SIGTERM would wait for a SIGCONT that may never come.
    await stopHard(current);
    if (!noticed.restarting) {
      giveUp(stalledError(noticed, current.recentOutput()));
      return;
    }
    for (let attempt = 1; ; attempt += 1) {
      const wait = restartDelayMs(attempt, settings);
      if (wait > 0 && !(await pause(wait, stopping.signal))) return;
      if (closed) return;
      let next: StripeListenHandle;
      try {
        next = await startOne(stopping.signal);
      } catch (error) {
        if (closed) return;
        // A key Stripe refuses will not start working by waiting: say so now.
        const last = attempt >= settings.maxFailures || error instanceof StripeAuthError;
        onRestartFailed?.({ attempt, error, retryInMs: last ? undefined : restartDelayMs(attempt + 1, settings) });
        if (last) {
          giveUp(revivalError(noticed, attempt, error));
          return;
        }
        continue;
      }
      if (closed) {
        await next.close();
        return;
      }
      current = next;
      watchExit(next);
      const resumedAtWallMs = clock.wall();
      const secretChanged = next.secret !== secret;
      secret = next.secret;
      await onRecovered?.({ stall: noticed, secret: next.secret, secretChanged, pid: next.pid, attempts: attempt, gapMs: Math.max(0, resumedAtWallMs - noticed.sinceWallMs), resumedAtWallMs });
      return;
    }
  }

  let closing: Promise<void> | undefined;
  const supervised: SupervisedListen = {
    secret: current.secret,
    ...(current.apiVersion === undefined ? {} : { apiVersion: current.apiVersion }),
    pid: () => current.pid,
    recentOutput: () => current.recentOutput(),
    failed,
    close() {
      closing ??= (async () => {
        closed = true;
        clearInterval(timer);
        stopping.abort(new Error('The session is closing.'));
        await recovering?.catch(() => {});
        await current.close();
      })();
      return closing;
    },
  };
  return supervised;
}

/** SIGKILL, and wait for the exit (a stopped process dies at SIGKILL too). */
async function stopHard(handle: StripeListenHandle): Promise<void> {
  try {
    process.kill(handle.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
  await handle.exited;
}

/** Resolves true after ms, or false at once if the signal aborts. */
function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}


function stalledError(stall: ListenStall, recentOutput: string[]): StripeCliExitedError {
  return new StripeCliExitedError(`${stallHeadline(stall.cause)} (${stall.detail}); no more events can arrive.`, {
    hint: 'Its last output is below. Start webhook-dev again; if it keeps stopping, run with --json and report the output.',
    details: recentOutput,
  });
}

function revivalError(stall: ListenStall, attempts: number, error: unknown): StripeCliExitedError {
  const reason = error instanceof Error ? error.message : String(error);
  return new StripeCliExitedError(`${stallHeadline(stall.cause)} (${stall.detail}) and could not be restarted (${attempts} ${attempts === 1 ? 'attempt' : 'attempts in a row'}): ${reason}`, {
    hint: isWebhookDevError(error) && error.hint ? error.hint : 'Check the network, then start webhook-dev again.',
    details: isWebhookDevError(error) ? error.details : [],
  });
}
