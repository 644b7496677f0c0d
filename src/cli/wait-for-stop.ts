import { ExitCode } from '../errors.js';

/**
 * What ended a session from outside. SIGHUP is the terminal closing: the same polite stop as
 * SIGTERM, or `npm run dev` would outlive the window it ran in. `output-closed`: whoever read our
 * output went away (`webhook-dev listen --json | head -1`).
 */
export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'output-closed';

/**
 * A reader that went away is not a failure: `git log | head` exits 0 too, and a script that took
 * the line it wanted must not see an error. Signals exit with 128 + their number.
 */
export const STOP_EXIT_CODE: Record<StopSignal, number> = {
  SIGINT: ExitCode.SIGINT,
  SIGTERM: ExitCode.SIGTERM,
  SIGHUP: ExitCode.SIGHUP,
  'output-closed': ExitCode.OK,
};

export interface StopWaiter {
  /** Aborted on the first signal, so start-up can unwind what it had started. */
  signal: AbortSignal;
  stopped: Promise<StopSignal>;
  readonly received: StopSignal | undefined;
  dispose(): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * The first Ctrl-C, SIGTERM or SIGHUP asks for a clean stop (children stopped, summary printed).
 * A second one means the user is done waiting: exit at once. The 'exit' hooks still run on that
 * path: they remove the session file and the offline config folder and kill the children
 * (exit-cleanup.ts, start-app.ts), and the watchdog stops whatever they missed.
 *
 * EPIPE on stdout or stderr is the reader closing its end: a clean stop too. Those listeners stay
 * after dispose(), since the summary written afterwards may meet the same closed pipe.
 */
export function waitForStop(proc: NodeJS.Process = process, outputs: NodeJS.WritableStream[] = [proc.stdout, proc.stderr]): StopWaiter {
  const controller = new AbortController();
  let received: StopSignal | undefined;
  let disposed = false;
  let resolveStopped!: (signal: StopSignal) => void;
  const stopped = new Promise<StopSignal>((resolve) => (resolveStopped = resolve));
  const stop = (reason: StopSignal): void => {
    if (received) {
      if (reason !== 'output-closed') proc.exit(STOP_EXIT_CODE[reason]);
      return;
    }
    received = reason;
    controller.abort(new Error(reason === 'output-closed' ? 'the output was closed' : `received ${reason}`));
    resolveStopped(reason);
  };
  const handlers = SIGNALS.map((name) => [name, () => stop(name)] as const);
  for (const [name, handler] of handlers) proc.on(name, handler);
  // EPIPE or any other write error on our own output: nothing more can be shown either way.
  const onOutputError = (): void => {
    if (!disposed) stop('output-closed');
  };
  for (const output of outputs) output.on('error', onOutputError);
  return {
    signal: controller.signal,
    stopped,
    get received() {
      return received;
    },
    dispose() {
      disposed = true;
      for (const [name, handler] of handlers) proc.off(name, handler);
    },
  };
}
