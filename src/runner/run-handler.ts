/**
 * Runs the loaded handler for one event and captures what happened as plain data: the value, the
 * error (with the user's line), or a timeout, plus how long it took and what it logged.
 */
import type { HandlerOutcome, HandlerResult, StripeEventLike } from '../types.js';
import { createHandlerLog } from './handler-context.js';
import type { LoadedHandler } from './load-handler.js';
import { serializeError, type SerializeErrorOptions } from './serialize-error.js';

export interface RunHandlerOptions {
  timeoutMs?: number;
  attempt?: number;
  receivedAt?: Date;
  /** Monotonic milliseconds; injected so durations are testable. */
  now?: () => number;
  /** Error locations are shown relative to this folder. */
  cwd?: string;
  readText?: SerializeErrorOptions['readText'];
}

export const DEFAULT_HANDLER_TIMEOUT_MS = 10_000;

export async function runHandler(
  handler: Pick<LoadedHandler, 'pick'>,
  event: StripeEventLike,
  {
    timeoutMs = DEFAULT_HANDLER_TIMEOUT_MS,
    attempt = 1,
    receivedAt = new Date(),
    now = () => performance.now(),
    cwd = process.cwd(),
    readText,
  }: RunHandlerOptions = {},
): Promise<HandlerResult> {
  const fn = handler.pick(event.type);
  if (!fn) return { outcome: { status: 'unhandled' }, durationMs: 0, logs: [] };

  const startedAt = now();
  const controller = new AbortController();
  const log = createHandlerLog({ now, startedAt });
  const ctx = { signal: controller.signal, log: log.log, attempt, receivedAt };

  // The Promise executor turns a synchronous throw into a rejection, so both are one path.
  const settled = new Promise<unknown>((resolve) => resolve(fn(event, ctx))).then(
    (value): Settled => ({ kind: 'value', value }),
    (error: unknown): Settled => ({ kind: 'error', error }),
  );
  let timer: NodeJS.Timeout | undefined;
  // The deadline does not wait for the handler: a promise that never settles still gets a result,
  // and the signal tells well-behaved handlers (fetch, timers) to stop.
  const deadline = new Promise<Settled>((resolve) => {
    timer = setTimeout(() => {
      controller.abort(new DOMException(`The handler did not finish within ${timeoutMs} ms`, 'TimeoutError'));
      resolve({ kind: 'timeout' });
    }, timeoutMs);
  });
  const first = await Promise.race([settled, deadline]);
  clearTimeout(timer);
  const durationMs = Math.max(0, now() - startedAt);
  log.seal();
  return { outcome: await toOutcome(first, timeoutMs, { cwd, readText }), durationMs, logs: log.lines() };
}

type Settled = { kind: 'value'; value: unknown } | { kind: 'error'; error: unknown } | { kind: 'timeout' };

async function toOutcome(settled: Settled, timeoutMs: number, options: SerializeErrorOptions): Promise<HandlerOutcome> {
  switch (settled.kind) {
    case 'value':
      return { status: 'ok', value: settled.value };
    case 'error':
      return { status: 'error', error: await serializeError(settled.error, options) };
    case 'timeout':
      return { status: 'timeout', timeoutMs };
  }
}
