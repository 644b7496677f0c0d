import type { Reporter } from './reporter.js';
import { redactSecrets } from '../secrets.js';
import { toJsonLine, type DebugRecord } from './record-schema.js';
import { toReplayRecord, toReplaySummaryRecord, type ReplayRecord, type ReplaySummaryRecord } from './replay-records.js';
import { toAppOutputRecord, toCatchUpRecord, toStallRecord, toErrorRecord, toEventRecord, toNoticeRecord, toQuirkSummaryRecord, toReadyRecord, toSendRecord, toSummaryRecord, toTriggerRecord, type JsonRecord } from './json-records.js';

export interface JsonReporterOptions {
  stdout?: NodeJS.WritableStream;
  /** Only for the reporter's own last-resort message; records never go here. */
  stderr?: NodeJS.WritableStream;
  /**
   * Write the records of one turn of the event loop together (close() and the process's exit
   * write what is left): under load that is one write for several events instead of one each.
   * Off by default, so a record is on stdout when the call returns.
   */
  batched?: boolean;
  /** `--debug`: `debug` records, in order with the others. */
  debug?: boolean;
}

/**
 * `--json`: exactly one JSON object per line on stdout and nothing else there, so
 * `webhook-dev listen --json | jq` and line-by-line readers in CI always parse (the Stripe CLI's
 * own `--format JSON` mixes text lines in: stripe/stripe-cli#1353). Progress is not reported:
 * the `ready` record is the signal scripts wait for.
 */
export function createJsonReporter({ stdout = process.stdout, stderr = process.stderr, batched = false, debug = false }: JsonReporterOptions = {}): Reporter {
  const out = batched ? batchLines(stdout) : { line: (text: string) => void stdout.write(text), close: () => {} };
  const write = (record: JsonRecord | ReplayRecord | ReplaySummaryRecord | DebugRecord): void => {
    let line: string;
    try {
      line = toJsonLine(record);
    } catch (error) {
      // Records are built from JSON-safe values; reaching this is a bug, and stdout must stay parseable.
      stderr.write(`webhook-dev: could not serialize a ${record.type} record: ${String(error)}\n`);
      return;
    }
    out.line(`${line}\n`);
  };
  return {
    // Milliseconds since the process started, so start-up phases read as a timeline.
    ...(debug ? { debug: (message: string) => write({ type: 'debug', elapsedMs: Math.round(performance.now()), message: redactSecrets(message) }) } : {}),
    starting: () => {},
    ready: (info) => write(toReadyRecord(info)),
    delivery: (record) => write(toEventRecord(record)),
    notice: (message, level = 'info') => write(toNoticeRecord(message, level)),
    error: (error) => write(toErrorRecord(error)),
    summary: (summary) => write(toSummaryRecord(summary)),
    stall: (report) => write(toStallRecord(report)),
    catchUp: (report) => write(toCatchUpRecord(report)),
    triggerStarted: () => {},
    appOutput: (stream, line) => write(toAppOutputRecord(stream, line)),
    triggerResult: (report) => write(toTriggerRecord(report)),
    sendStarted: () => {},
    sendResult: (report) => write(toSendRecord(report)),
    replayStarted: () => {},
    replayResult: (delivery) => write(toReplayRecord(delivery)),
    replayTotals: (totals) => write(toReplaySummaryRecord(totals)),
    quirkSummary: (summary) => write(toQuirkSummaryRecord(summary)),
    close: () => out.close(),
  };
}

function batchLines(stdout: NodeJS.WritableStream): { line(text: string): void; close(): void } {
  let pending = '';
  const flush = () => {
    if (pending === '') return;
    const text = pending;
    pending = '';
    stdout.write(text);
  };
  // A process that ends without close() (an exit from elsewhere) still writes what it had.
  process.once('exit', flush);
  let closed = false;
  return {
    line(text) {
      // Anything after close() goes out at once: nothing is left to flush it at exit.
      if (closed) {
        stdout.write(text);
        return;
      }
      if (pending === '') setImmediate(flush);
      pending += text;
    },
    close() {
      flush();
      closed = true;
      process.off('exit', flush);
    },
  };
}
