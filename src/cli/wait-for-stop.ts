export type StopSignal = 'SIGINT' | 'SIGTERM';

export interface StopWaiter {
  /** Aborted on the first signal, so start-up can unwind what it had started. */
  signal: AbortSignal;
  stopped: Promise<StopSignal>;
  readonly received: StopSignal | undefined;
  dispose(): void;
}

/**
 * The first Ctrl-C or SIGTERM asks for a clean stop (children stopped, summary printed). A second
 * one means the user is done waiting: exit at once; children started by execa with `cleanup`
 * are still killed on the way out.
 */
export function waitForStop(proc: NodeJS.Process = process): StopWaiter {
  const controller = new AbortController();
  let received: StopSignal | undefined;
  let resolveStopped!: (signal: StopSignal) => void;
  const stopped = new Promise<StopSignal>((resolve) => (resolveStopped = resolve));
  const on = (name: StopSignal) => () => {
    if (received) {
      proc.exit(name === 'SIGINT' ? 130 : 143);
      return;
    }
    received = name;
    controller.abort(new Error(`received ${name}`));
    resolveStopped(name);
  };
  const onInt = on('SIGINT');
  const onTerm = on('SIGTERM');
  proc.on('SIGINT', onInt);
  proc.on('SIGTERM', onTerm);
  return {
    signal: controller.signal,
    stopped,
    get received() {
      return received;
    },
    dispose() {
      proc.off('SIGINT', onInt);
      proc.off('SIGTERM', onTerm);
    },
  };
}
