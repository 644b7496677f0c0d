import type { Reporter } from './reporter.js';

/**
 * Keeps one order in every output mode: the ready banner (or record) first, then what happened in
 * the session. Offline, `trigger` starts its first trigger while `stripe listen` still connects,
 * so a trigger's start, and even its events, can come before the session says it is ready; they
 * are held and shown right after it. A session that never gets ready shows them before its error
 * or summary, so nothing is lost.
 */
export interface HeldReporter extends Reporter {
  /** Shows what was held and stops holding: for a run that joins a session already ready (an attached trigger). */
  release(): void;
}

export function holdUntilReady(reporter: Reporter): HeldReporter {
  let held: Array<() => void> | undefined = [];
  const flush = () => {
    const pending = held ?? [];
    held = undefined;
    for (const show of pending) show();
  };
  const hold =
    <A extends unknown[]>(show: ((...args: A) => void) | undefined) =>
    (...args: A) => {
      if (!show) return;
      if (held) held.push(() => show(...args));
      else show(...args);
    };
  return {
    release: flush,
    starting: (message) => reporter.starting(message),
    notice: (message, level) => reporter.notice(message, level),
    ...(reporter.debug ? { debug: reporter.debug.bind(reporter) } : {}),
    ready(info) {
      reporter.ready(info);
      flush();
    },
    delivery: hold((record) => reporter.delivery(record)),
    ...(reporter.appOutput ? { appOutput: hold(reporter.appOutput.bind(reporter)) } : {}),
    ...(reporter.stall ? { stall: hold(reporter.stall.bind(reporter)) } : {}),
    ...(reporter.catchUp ? { catchUp: hold(reporter.catchUp.bind(reporter)) } : {}),
    ...(reporter.triggerStarted ? { triggerStarted: hold(reporter.triggerStarted.bind(reporter)) } : {}),
    ...(reporter.triggerResult ? { triggerResult: hold(reporter.triggerResult.bind(reporter)) } : {}),
    ...(reporter.triggerTotals ? { triggerTotals: hold(reporter.triggerTotals.bind(reporter)) } : {}),
    ...(reporter.sendStarted ? { sendStarted: hold(reporter.sendStarted.bind(reporter)) } : {}),
    ...(reporter.sendResult ? { sendResult: hold(reporter.sendResult.bind(reporter)) } : {}),
    ...(reporter.replayStarted ? { replayStarted: hold(reporter.replayStarted.bind(reporter)) } : {}),
    ...(reporter.replayResult ? { replayResult: hold(reporter.replayResult.bind(reporter)) } : {}),
    ...(reporter.replayTotals ? { replayTotals: hold(reporter.replayTotals.bind(reporter)) } : {}),
    ...(reporter.quirkSummary ? { quirkSummary: hold(reporter.quirkSummary.bind(reporter)) } : {}),
    error(error) {
      flush();
      reporter.error(error);
    },
    summary(summary) {
      flush();
      reporter.summary(summary);
    },
    close() {
      flush();
      reporter.close();
    },
  };
}
