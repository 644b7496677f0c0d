/**
 * A last-resort, synchronous step for when this process exits without its closers having run: a
 * second Ctrl-C calls process.exit() while the first clean stop is still under way, and 'exit'
 * listeners cannot await. Whatever must not be left behind (the session file, the Stripe CLI's
 * config folder) registers one here and cancels it once its closer has done the job.
 */
export interface ExitHook {
  /** The normal path did the work: nothing to do at exit any more. Safe to call twice. */
  cancel(): void;
}

// One 'exit' listener per process however many steps are pending: tests write many session files.
const pending = new WeakMap<NodeJS.EventEmitter, Set<() => void>>();

export function onProcessExit(step: () => void, proc: NodeJS.EventEmitter = process): ExitHook {
  let steps = pending.get(proc);
  if (steps === undefined) {
    const created = new Set<() => void>();
    steps = created;
    pending.set(proc, created);
    proc.on('exit', () => {
      for (const run of created) {
        try {
          run();
        } catch {
          // Exiting anyway; one failed step must not keep the others from running.
        }
      }
      created.clear();
    });
  }
  const own = steps;
  const entry = (): void => step();
  own.add(entry);
  return { cancel: () => void own.delete(entry) };
}
