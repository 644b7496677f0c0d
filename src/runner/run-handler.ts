/**
 * Runs the loaded handler for one event and captures what happened as plain data: the value, the
 * error (with the user's line), or a timeout, plus how long it took and what it logged.
 */
import { formatDuration } from '../render/format-duration.js';
import type { HandlerOutcome, HandlerResult, StripeEventLike } from '../types.js';
import { createHandlerLog, type HandlerLog } from './handler-context.js';
import type { LoadedHandler } from './load-handler.js';
import { serializeHandlerError, type SerializeHandlerErrorOptions } from './serialize-handler-error.js';

export interface RunHandlerOptions {
  timeoutMs?: number;
  attempt?: number;
  receivedAt?: Date;
  /** Monotonic milliseconds; injected so durations are testable. */
  now?: () => number;
  /** Error locations are shown relative to this folder. */
  cwd?: string;
  readText?: SerializeHandlerErrorOptions['readText'];
  /** Called with the delivery's log before the handler runs: the worker routes captured output into it. */
  onLog?: (log: HandlerLog) => void;
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
    onLog,
  }: RunHandlerOptions = {},
): Promise<HandlerResult> {
  const fn = handler.pick(event.type);
  if (!fn) return { outcome: { status: 'unhandled' }, durationMs: 0, logs: [] };

  const startedAt = now();
  // Most handlers never touch ctx.signal: make the AbortController only when one does.
  let controller: AbortController | undefined;
  const log = createHandlerLog({ now, startedAt });
  onLog?.(log);
  const ctx = {
    get signal() {
      controller ??= new AbortController();
      return controller.signal;
    },
    log: log.log,
    attempt,
    receivedAt,
  };
  const finish = (settled: Settled): HandlerResult | Promise<HandlerResult> => {
    const durationMs = Math.max(0, now() - startedAt);
    log.seal();
    const logs = log.lines();
    // Only an error needs async work (reading the user's source line); values return at once.
    if (settled.kind === 'value') return { outcome: { status: 'ok', value: settled.value }, durationMs, logs };
    return toOutcome(settled, timeoutMs, { cwd, readText }).then((outcome) => ({ outcome, durationMs, logs }));
  };

  let returned: unknown;
  try {
    returned = fn(event, ctx);
  } catch (error) {
    return finish({ kind: 'error', error });
  }
  // A synchronous handler has finished already: no timer, no race (the hot path in the bench).
  if (!isThenable(returned)) return finish({ kind: 'value', value: returned });

  const settled = Promise.resolve(returned).then(
    (value): Settled => ({ kind: 'value', value }),
    (error: unknown): Settled => ({ kind: 'error', error }),
  );
  let timer: NodeJS.Timeout | undefined;
  // The deadline does not wait for the handler: a promise that never settles still gets a result,
  // and the signal tells well-behaved handlers (fetch, timers) to stop.
  const deadline = new Promise<Settled>((resolve) => {
    timer = setTimeout(() => {
      controller ??= new AbortController();
      controller.abort(new DOMException(`The handler did not finish within ${formatDuration(timeoutMs)}`, 'TimeoutError'));
      resolve({ kind: 'timeout' });
    }, timeoutMs);
  });
  const first = await Promise.race([settled, deadline]);
  clearTimeout(timer);
  return finish(first);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

type Settled = { kind: 'value'; value: unknown } | { kind: 'error'; error: unknown } | { kind: 'timeout' };

async function toOutcome(settled: Settled, timeoutMs: number, options: SerializeHandlerErrorOptions): Promise<HandlerOutcome> {
  switch (settled.kind) {
    case 'value':
      return { status: 'ok', value: settled.value };
    case 'error':
      return { status: 'error', error: await serializeHandlerError(settled.error, options) };
    case 'timeout':
      return { status: 'timeout', timeoutMs };
  }
}
