/**
 * Stops a child process in two steps: a polite SIGTERM (the Stripe CLI closes its websocket and
 * exits 0 within milliseconds), then SIGKILL if it is still there after `graceMs`.
 */

/** The part of a ChildProcess (or an execa subprocess, which is one) that stopping needs. */
export interface StoppableChild {
  readonly pid?: number | undefined;
  readonly exitCode: number | null;
  readonly signalCode: NodeJS.Signals | null;
  kill(signal?: NodeJS.Signals | number): boolean;
  once(event: 'exit', listener: () => void): unknown;
}

export interface StopChildOptions {
  graceMs?: number;
}

function hasExited(child: StoppableChild): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/**
 * Resolves once the child has exited (at once if it already had, or never started); never
 * rejects. If even SIGKILL is not followed by an exit within another `graceMs`, it gives up waiting
 * rather than hang the caller's shutdown.
 */
export async function stopChild(child: StoppableChild, { graceMs = 3_000 }: StopChildOptions = {}): Promise<void> {
  if (child.pid === undefined || hasExited(child)) return;
  const timers: NodeJS.Timeout[] = [];
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    timers.push(
      setTimeout(() => {
        child.kill('SIGKILL');
        timers.push(setTimeout(resolve, graceMs));
      }, graceMs),
    );
  });
  child.kill('SIGTERM');
  try {
    await exited;
  } finally {
    for (const timer of timers) clearTimeout(timer);
  }
}
