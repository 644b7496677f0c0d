import type { Ora, Options as OraOptions } from 'ora';
import type { NoticeLevel } from '../types.js';
import { createColors, type OutputStream } from './color.js';
import { formatDelivery } from './format-delivery.js';
import { formatError } from './format-error.js';
import { formatReady } from './format-ready.js';
import { formatCatchUp, formatStall } from './format-stall.js';
import { formatQuirkSummary } from './format-quirk-summary.js';
import { formatSummary } from './format-summary.js';
import { formatSendResult, formatSendStart } from './format-send.js';
import { formatReplayResult, formatReplayStart, formatReplayTotals } from './format-replay.js';
import { formatTriggerResult, formatTriggerStart, formatTriggerTotals } from './format-trigger.js';
import type { Reporter } from './reporter.js';
import { redactSecrets } from '../secrets.js';

export interface PrettyReporterOptions {
  stdout?: OutputStream;
  stderr?: OutputStream;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** false disables the spinner even on a TTY (e.g. `--no-spinner`, or a debugger attached). */
  spinner?: boolean;
  /**
   * The spinner library (ora), passed in: it costs ~50 ms to load, so the CLI loads it only when
   * stderr is a terminal. Without it, progress prints as plain lines.
   */
  ora?: (options: OraOptions) => Ora;
  /** Pins the clock's zone in tests; the machine's local zone otherwise. */
  timeZone?: string;
  /** A person who ends the run with Ctrl-C: the banner says so (see createReporter). */
  interactive?: boolean;
}

/**
 * Output for people. Data (one block per delivery) goes to stdout; everything about the session
 * itself (progress, banner, notices, errors, summary) goes to stderr, so `listen > events.log`
 * captures only events. Without a TTY the spinner becomes one plain line per step: CI logs stay
 * readable and still show where a hung start-up stopped.
 */
export function createPrettyReporter({
  stdout = process.stdout,
  stderr = process.stderr,
  env = process.env,
  cwd = process.cwd(),
  spinner: spinnerWanted = true,
  ora,
  timeZone,
  interactive = false,
}: PrettyReporterOptions = {}): Reporter {
  const out = createColors({ stream: stdout, env });
  const err = createColors({ stream: stderr, env });
  const useSpinner = ora !== undefined && spinnerWanted && stderr.isTTY === true && hasWidth(stderr);
  let spinner: Ora | undefined;
  let closed = false;

  const writeLines = (stream: OutputStream, lines: string[]): void => {
    if (lines.length > 0) stream.write(`${lines.join('\n')}\n`);
  };
  const stopSpinner = (): void => {
    spinner?.stop();
    spinner = undefined;
  };

  return {
    starting(message) {
      const text = redactSecrets(message);
      if (!useSpinner || closed) {
        writeLines(stderr, [`${err.dim('›')} ${text}`]);
        return;
      }
      if (spinner === undefined) {
        spinner = ora!({
          text,
          stream: stderr,
          isEnabled: true,
          // Raw-mode stdin would swallow Ctrl-C's SIGINT; the session owns signal handling.
          discardStdin: false,
          color: err.level > 0 ? 'cyan' : false,
        }).start();
      } else {
        spinner.text = text;
      }
    },
    ready(info) {
      const banner = formatReady(info, { colors: err, cwd, interactive });
      const symbol = err.green('✔');
      if (spinner !== undefined) {
        spinner.stopAndPersist({ symbol, text: banner.title });
        spinner = undefined;
      } else {
        writeLines(stderr, [`${symbol} ${banner.title}`]);
      }
      writeLines(stderr, banner.lines);
    },
    delivery(record) {
      writeLines(stdout, formatDelivery(record, { colors: out, cwd, timeZone }));
    },
    notice(message, level: NoticeLevel = 'info') {
      const symbol = level === 'warn' ? err.yellow('⚠') : err.blue('ℹ');
      const text = redactSecrets(message);
      writeLines(stderr, [`${symbol} ${level === 'warn' ? err.yellow(text) : text}`]);
    },
    stall(report) {
      writeLines(stderr, [formatStall(report, { colors: err, ...(timeZone ? { timeZone } : {}) })]);
    },
    catchUp(report) {
      writeLines(stderr, formatCatchUp(report, { colors: err, ...(timeZone ? { timeZone } : {}) }));
    },
    error(error) {
      stopSpinner();
      writeLines(stderr, formatError(error, { colors: err }));
    },
    appOutput(stream, line) {
      // The app's own lines, interleaved with the event blocks, marked so they read as its.
      writeLines(stderr, [`${err.dim('app │')} ${stream === 'stderr' ? err.yellow(redactSecrets(line)) : redactSecrets(line)}`]);
    },
    triggerStarted(trigger, expected) {
      stopSpinner();
      writeLines(stderr, [formatTriggerStart(trigger, expected, { colors: err })]);
    },
    triggerResult(report) {
      writeLines(stderr, formatTriggerResult(report, { colors: err }));
    },
    triggerTotals(reports) {
      if (reports.length > 1) writeLines(stderr, [formatTriggerTotals(reports, { colors: err })]);
    },
    sendStarted(start) {
      stopSpinner();
      writeLines(stderr, [formatSendStart(start, { colors: err })]);
    },
    sendResult(report) {
      writeLines(stdout, formatDelivery(report.record, { colors: out, cwd, timeZone }));
      writeLines(stderr, formatSendResult(report, { colors: err }));
    },
    replayStarted(start) {
      stopSpinner();
      writeLines(stderr, [formatReplayStart(start, { colors: err })]);
    },
    replayResult(delivery) {
      writeLines(stdout, formatDelivery(delivery.record, { colors: out, cwd, timeZone }));
      writeLines(stderr, formatReplayResult(delivery, { colors: err }));
    },
    replayTotals(totals) {
      writeLines(stderr, [formatReplayTotals(totals, { colors: err })]);
    },
    quirkSummary(summary) {
      writeLines(stderr, formatQuirkSummary(summary, { colors: err }));
    },
    summary(summary) {
      stopSpinner();
      writeLines(stderr, [formatSummary(summary, { colors: err }), ...(summary.quirks ? formatQuirkSummary(summary.quirks, { colors: err }) : [])]);
    },
    close() {
      if (closed) return;
      closed = true;
      stopSpinner();
    },
  };
}

/**
 * A pseudo-terminal with no size (`script` without a terminal, some CI runners and `docker -t`
 * setups) reports 0 columns; ora 9 divides by that to count lines to clear and never stops clearing.
 */
function hasWidth(stream: OutputStream): boolean {
  const columns = (stream as { columns?: unknown }).columns;
  return columns === undefined || (typeof columns === 'number' && columns > 0);
}
