/**
 * The handler worker: one thread per loaded version of the user's handler. It loads the module
 * with tsx, runs one delivery per `run` message (several at a time, as Stripe sends them), and
 * answers with plain data. It is the only place user code runs, so it also turns what would end or
 * garble a process into messages the session can judge: `process.exit()` and `process.abort()`,
 * exceptions and rejections nobody caught, and everything printed.
 *
 * Its one line to the session is a private MessagePort taken out of `workerData` before user code
 * loads: the handler can reach `parentPort`, but nothing it posts there counts.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { isMainThread, workerData, type MessagePort } from 'node:worker_threads';
import { isWebhookDevError } from '../errors.js';
import { toJsonSafe } from '../render/to-json-safe.js';
import type { HandlerResult } from '../types.js';
import { captureOutput, type DeliveryScope } from './capture-output.js';
import { loadHandler, type LoadedHandler } from './load-handler.js';
import { runHandler } from './run-handler.js';
import { serializeHandlerError } from './serialize-handler-error.js';
import type { FromWorker, RunBatch, RunMessage, WorkerStart } from './worker-protocol.js';

if (!isMainThread) void main(takeStart());

function takeStart(): Omit<WorkerStart, 'port'> & { port: MessagePort } {
  const start = workerData as WorkerStart;
  const { port } = start;
  // User code can import worker_threads too: leave it no way to the session's port.
  delete (start as Partial<WorkerStart>).port;
  return { ...start, port };
}

async function main({ path, cwd, watching, port, progress }: WorkerStart): Promise<void> {
  const post = (message: FromWorker) => port.postMessage(message);
  const scope = new AsyncLocalStorage<DeliveryScope>();
  captureOutput(scope, (source, text) => post({ type: 'output', source, text }));
  guardProcess(scope, post, cwd);

  let handler: LoadedHandler;
  let reached: string[] = [];
  try {
    handler = await loadHandler(path, { cwd, watching, onFiles: (files) => (reached = files) });
  } catch (error) {
    post({ type: 'load-failed', error: toLoadFailure(error), files: reached });
    port.close();
    return;
  }
  post({ type: 'loaded', kind: handler.kind, eventTypes: handler.eventTypes, files: handler.files });
  // One delivery a turn, in the order posted: the result of one that returned at once goes out
  // before the next starts, so a next one that never yields cannot hold it back.
  const queue: RunMessage[] = [];
  const startNext = () => {
    void run(queue.shift()!);
    if (queue.length > 0) setImmediate(startNext);
  };
  port.on('message', ({ runs }: RunBatch) => {
    if (queue.push(...runs) === runs.length) startNext();
  });

  async function run({ id, raw, attempt, receivedAt, timeoutMs }: RunMessage): Promise<void> {
    const delivery: DeliveryScope = { id };
    Atomics.store(progress, 0, id);
    const result = await scope.run(delivery, () =>
      runHandler(handler, JSON.parse(raw), { timeoutMs, attempt, receivedAt: new Date(receivedAt), cwd, onLog: (log) => (delivery.log = log) }),
    );
    postResult(port, id, result);
  }
}

/** A returned value that cannot be cloned (a function, a socket) still arrives, as its JSON-safe form. */
function postResult(port: MessagePort, id: number, result: HandlerResult): void {
  try {
    port.postMessage({ type: 'result', id, result } satisfies FromWorker);
  } catch {
    const outcome = result.outcome.status === 'ok' ? { status: 'ok' as const, value: toJsonSafe(result.outcome.value) } : result.outcome;
    port.postMessage({ type: 'result', id, result: { ...result, outcome } } satisfies FromWorker);
  }
}

/**
 * `process.exit()` would end only this worker, silently; it is reported first, naming the delivery
 * that called it. `process.abort()` throws in a worker (ERR_WORKER_UNSUPPORTED_OPERATION) and would
 * read as a handler bug, so it is treated like an exit. Killing webhook-dev's own process is refused.
 * Exceptions and rejections nobody caught fail the delivery they happened in (AsyncLocalStorage
 * still knows it in these listeners) and the session retires the worker.
 */
function guardProcess(scope: AsyncLocalStorage<DeliveryScope>, post: (message: FromWorker) => void, cwd: string): void {
  const exit = process.exit.bind(process);
  const end = (reason: string, code: number): never => {
    post({ type: 'fatal', ...idOf(scope), reason, exiting: true });
    return exit(code);
  };
  process.exit = ((code?: number | string | null) => end(`called process.exit(${code ?? ''})`, Number(code ?? process.exitCode ?? 0) || 0)) as typeof process.exit;
  process.abort = (() => end('called process.abort()', 134)) as typeof process.abort;
  const kill = process.kill.bind(process);
  process.kill = ((pid: number, signal?: string | number) => {
    if (pid === process.pid || pid === 0 || pid === -process.pid) {
      throw new Error(`webhook-dev does not let a handler signal its own process (process.kill(${pid}${signal === undefined ? '' : `, ${JSON.stringify(signal)}`}))`);
    }
    return kill(pid, signal);
  }) as typeof process.kill;

  const crash = (what: string) => (thrown: unknown) => {
    const id = idOf(scope);
    void serializeHandlerError(thrown, { cwd }).then((error) => post({ type: 'fatal', ...id, reason: what, error, exiting: false }));
  };
  process.on('uncaughtException', crash('threw an exception nobody caught'));
  process.on('unhandledRejection', crash('left a promise rejection unhandled'));
}

function idOf(scope: AsyncLocalStorage<DeliveryScope>): { id?: number } {
  const id = scope.getStore()?.id;
  return id === undefined ? {} : { id };
}

function toLoadFailure(error: unknown) {
  if (isWebhookDevError(error)) return { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}), details: error.details };
  return { code: 'HANDLER_LOAD_FAILED' as const, message: `Could not load the handler: ${error instanceof Error ? error.message : String(error)}`, details: [] };
}
