/**
 * Worker side: everything user code prints goes through here instead of the session's streams.
 * Inside a delivery it becomes log lines of that delivery (masked, one per call); outside any
 * delivery (import time, a stray timer) it is handed to `outside`, which the session shows as a
 * notice. Nothing reaches the real stdout, so `--json` output stays JSON lines only.
 */
import type { AsyncLocalStorage } from 'node:async_hooks';
import { redactSecrets } from '../secrets.js';
import type { LogLevel, LogSource } from '../types.js';
import { formatLogArgs, type HandlerLog } from './handler-context.js';

export interface DeliveryScope {
  id: number;
  /** Set once runHandler has created the delivery's log. */
  log?: HandlerLog;
}

const CONSOLE_LEVELS: Record<string, LogLevel> = { log: 'info', info: 'info', debug: 'debug', trace: 'debug', dir: 'info', warn: 'warn', error: 'error' };

export function captureOutput(scope: AsyncLocalStorage<DeliveryScope>, outside: (source: LogSource, text: string) => void): void {
  const emit = (level: LogLevel, source: LogSource, text: string) => {
    const log = scope.getStore()?.log;
    if (log) log.capture(level, text, source);
    else outside(source, redactSecrets(text));
  };

  for (const [method, level] of Object.entries(CONSOLE_LEVELS)) {
    (console as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      const text = method === 'trace' ? `Trace: ${formatLogArgs(args)}` : formatLogArgs(args);
      emit(level, 'console', text);
    };
  }
  // console.table, console.group and friends end up here, as do direct writes.
  for (const [stream, source, level] of [
    [process.stdout, 'stdout', 'info'],
    [process.stderr, 'stderr', 'error'],
  ] as const) {
    stream.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString(typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
      const trimmed = text.replace(/\r?\n$/, '');
      if (trimmed !== '') emit(level, source, trimmed);
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
      return true;
    }) as typeof stream.write;
  }
}
