import type { Reporter } from './reporter.js';
import { toJsonLine } from './record-schema.js';
import { toReplayRecord, toReplaySummaryRecord, type ReplayRecord, type ReplaySummaryRecord } from './replay-records.js';
import { toAppOutputRecord, toCatchUpRecord, toStallRecord, toErrorRecord, toEventRecord, toNoticeRecord, toQuirkSummaryRecord, toReadyRecord, toSendRecord, toSummaryRecord, toTriggerRecord, type JsonRecord } from './json-records.js';

export interface JsonReporterOptions {
  stdout?: NodeJS.WritableStream;
  /** Only for the reporter's own last-resort message; records never go here. */
  stderr?: NodeJS.WritableStream;
}

/**
 * `--json`: exactly one JSON object per line on stdout and nothing else there, so
 * `webhook-dev listen --json | jq` and line-by-line readers in CI always parse (the Stripe CLI's
 * own `--format JSON` mixes text lines in: stripe/stripe-cli#1353). Progress is not reported:
 * the `ready` record is the signal scripts wait for.
 */
export function createJsonReporter({ stdout = process.stdout, stderr = process.stderr }: JsonReporterOptions = {}): Reporter {
  const write = (record: JsonRecord | ReplayRecord | ReplaySummaryRecord): void => {
    let line: string;
    try {
      line = toJsonLine(record);
    } catch (error) {
      // Records are built from JSON-safe values; reaching this is a bug, and stdout must stay parseable.
      stderr.write(`webhook-dev: could not serialize a ${record.type} record: ${String(error)}\n`);
      return;
    }
    stdout.write(`${line}\n`);
  };
  return {
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
    close: () => {},
  };
}
