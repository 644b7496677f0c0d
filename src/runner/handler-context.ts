/**
 * What a handler receives next to the event: a signal that aborts when the run times out, a logger
 * whose lines show up under the event in the output, the delivery attempt and when it arrived.
 */
import { formatWithOptions, type InspectOptions } from 'node:util';
import { redactSecrets } from '../secrets.js';
import type { LogLevel, LogLine, LogSource } from '../types.js';

export interface HandlerLogger {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

export interface HandlerContext {
  /** Aborts (reason: a `TimeoutError` DOMException) when the handler runs past its timeout. */
  signal: AbortSignal;
  log: HandlerLogger;
  /** 1 for the first delivery of an event; higher for redeliveries of the same event id, and for each retry with --retry (a --duplicate copy keeps its original's). */
  attempt: number;
  receivedAt: Date;
}

export interface HandlerLog {
  log: HandlerLogger;
  /** The lines recorded so far, oldest first. */
  lines(): LogLine[];
  /** Records an already formatted line from console or stdout/stderr (the worker's output capture). */
  capture(level: LogLevel, message: string, source: LogSource): void;
  /** Stops recording: a handler that outlives its timeout must not change a result already reported. */
  seal(): void;
}

// One line per call keeps each log line next to its event in the pretty output; colours are
// added by the reporter, never baked into the recorded text.
const INSPECT_OPTIONS: InspectOptions = { colors: false, compact: true, breakLength: Infinity, depth: 4 };

/** Formats like `console.log` (printf placeholders, objects inspected), on one line, secrets masked. */
export function formatLogArgs(args: readonly unknown[]): string {
  return redactSecrets(formatWithOptions(INSPECT_OPTIONS, ...args));
}

export function createHandlerLog({ now, startedAt }: { now: () => number; startedAt: number }): HandlerLog {
  const recorded: LogLine[] = [];
  let sealed = false;
  const record = (level: LogLevel) => (...args: unknown[]) => {
    if (sealed) return;
    recorded.push({ level, message: formatLogArgs(args), elapsedMs: Math.max(0, now() - startedAt) });
  };
  return {
    log: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
    capture: (level, message, source) => {
      if (sealed) return;
      recorded.push({ level, message: redactSecrets(message), elapsedMs: Math.max(0, now() - startedAt), source });
    },
    lines: () => [...recorded],
    seal: () => {
      sealed = true;
    },
  };
}
