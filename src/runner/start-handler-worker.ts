/**
 * Session side of one handler worker: a thread that loaded one version of the user's handler.
 * The session's own thread keeps the receiver, the Stripe CLI, the reporter and the signals; this
 * thread only runs user code, so nothing in it can end, freeze or garble the session:
 *
 * - deadlines are kept here, on the session's thread, for synchronous and asynchronous handlers
 *   alike: a handler still running at its deadline fails with `timeout`, and its worker is
 *   retired (a fresh one takes new deliveries; this one ends when the others in flight settle);
 * - `process.exit()`, an out-of-memory or any other end of the thread fails the deliveries it was
 *   running, each with the reason;
 * - output arrives as log lines of its delivery or as notices, never on the real streams.
 */
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { HandlerLoadError, HandlerNotFoundError, HandlerShapeError, TempDirError, type WebhookDevError } from '../errors.js';
import { displayPath } from '../render/display-path.js';
import { formatDuration } from '../render/format-duration.js';
import { redactSecrets } from '../secrets.js';
import type { HandlerResult, NoticeLevel, SerializedError } from '../types.js';
import type { FatalMessage, FromWorker, LoadFailedMessage, RunBatch, RunMessage, WorkerStart } from './worker-protocol.js';

export interface HandlerWorkerOptions {
  path: string;
  cwd: string;
  watching: boolean;
  /** Bounds a runaway handler's heap; past it the worker ends and its deliveries fail. */
  maxMemoryMb?: number;
  /** A handler whose import never finishes (an endless loop at top level) fails to load after this. */
  loadTimeoutMs?: number;
  /** Output written outside any delivery, and failures no delivery owns. */
  onNotice: (message: string, level: NoticeLevel) => void;
  /** Called once the worker takes no new deliveries (a timeout, a crash, an exit), so a fresh one can. */
  onUnusable?: (worker: HandlerWorker) => void;
  /**
   * Deliveries this worker had queued but never started when it got stuck or ended: they go to a
   * fresh worker instead of failing for something they did not do. Without it they fail.
   */
  onUnstarted?: (delivery: WorkerDelivery, settle: (result: HandlerResult) => void) => void;
  /** Where the files reached by a failed load go (the watcher must see a fix to any of them). */
  onFiles?: (files: string[]) => void;
  workerUrl?: URL;
}

export interface WorkerDelivery {
  raw: string;
  attempt: number;
  receivedAt: Date;
  /** The event id, to name it when another delivery's failure takes this one down. */
  label: string;
}

export interface HandlerWorker {
  path: string;
  files: string[];
  kind: 'function' | 'map';
  eventTypes: string[] | null;
  /** False once retired: it takes no new deliveries. */
  readonly usable: boolean;
  run(delivery: WorkerDelivery, timeoutMs: number): Promise<HandlerResult>;
  /** Takes no new deliveries, and ends the thread once those in flight have settled. */
  retire(): Promise<void>;
  /** Ends the thread now; deliveries in flight fail as "the session ended". Safe twice. */
  close(): Promise<void>;
}

export const DEFAULT_MAX_MEMORY_MB = 1024;
export const DEFAULT_LOAD_TIMEOUT_MS = 30_000;
/**
 * The worker aborts an asynchronous handler itself at the deadline and sends its result (with its
 * log lines); the session's own deadline, a little later, is for handlers that never yield.
 */
const DEADLINE_GRACE_MS = 100;

interface InFlight {
  /**
   * Undefined once settled. Something in V8 keeps settled entries reachable past the next young-
   * generation collections (never found what; not the Map or the timer alone): an entry that still
   * held its body took the body, the event and the receiver's state with it into the old generation
   * (about 1.7 MB promoted a collection under load against 0.45 MB once cleared, and about 6% of
   * the session's CPU per event).
   */
  delivery: WorkerDelivery | undefined;
  startedAt: number;
  timer: NodeJS.Timeout;
  settle(result: HandlerResult): void;
}

export function startHandlerWorker(options: HandlerWorkerOptions): Promise<HandlerWorker> {
  const { path, cwd, watching, maxMemoryMb = DEFAULT_MAX_MEMORY_MB, loadTimeoutMs = DEFAULT_LOAD_TIMEOUT_MS, onNotice, onUnusable, onUnstarted, onFiles } = options;
  const shown = displayPath(path, cwd);
  const { port1: port, port2 } = new MessageChannel();
  const progress = new Int32Array(new SharedArrayBuffer(4));
  const start: WorkerStart = { path, cwd, watching, port: port2, progress };
  const thread = new Worker(options.workerUrl ?? defaultWorkerUrl(), {
    workerData: start,
    transferList: [port2],
    // Piped, not inherited: whatever still reaches the thread's own streams becomes a notice.
    stdout: true,
    stderr: true,
    resourceLimits: { maxOldGenerationSizeMb: maxMemoryMb },
  });
  for (const stream of [thread.stdout, thread.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (text: string) => {
      const trimmed = text.replace(/\r?\n$/, '');
      if (trimmed !== '') onNotice(`The handler printed outside any event: ${redactSecrets(trimmed)}`, 'info');
    });
  }

  const inFlight = new Map<number, InFlight>();
  let nextId = 1;
  let usable = true;
  let loaded = false;
  let closing = false;
  /** Why the thread is ending, when it said so first (process.exit) or the session chose it. */
  let ending: FatalMessage | undefined;
  let threadError: Error | undefined;
  const exited = new Promise<number>((resolve) => thread.once('exit', resolve));

  let handle!: HandlerWorker;
  const markUnusable = () => {
    if (!usable) return;
    usable = false;
    if (loaded) onUnusable?.(handle);
  };
  const endIfIdle = () => {
    if (!usable && inFlight.size === 0) void thread.terminate();
  };
  const settle = (id: number, result: HandlerResult) => {
    const entry = inFlight.get(id);
    if (!entry) return;
    inFlight.delete(id);
    clearTimeout(entry.timer);
    entry.delivery = undefined;
    entry.settle(result);
    endIfIdle();
  };
  /** Hands the deliveries that never started to a fresh worker (see onUnstarted). */
  const passOnUnstarted = () => {
    if (!onUnstarted || closing) return;
    const lastStarted = Atomics.load(progress, 0);
    for (const [id, entry] of inFlight) {
      if (id <= lastStarted) continue;
      const { delivery } = entry;
      inFlight.delete(id);
      clearTimeout(entry.timer);
      entry.delivery = undefined;
      if (delivery) onUnstarted(delivery, entry.settle);
    }
  };
  /** This turn's deliveries, posted together once the turn's I/O is done (see RunBatch). */
  let outbox: RunMessage[] = [];
  const post = () => {
    // One handed to a fresh worker meanwhile (passOnUnstarted) is no longer this one's to run.
    const runs = outbox.filter((message) => inFlight.has(message.id));
    outbox = [];
    if (runs.length > 0) port.postMessage({ type: 'run', runs } satisfies RunBatch);
  };
  /** Apart from run(): a closure made there would keep the delivery for as long as the timer object lives. */
  const startDeadline = (id: number, timeoutMs: number, startedAt: number) =>
    setTimeout(() => {
      // Never yielded, or its result is stuck behind code that never yields: stop trusting this thread.
      settle(id, { outcome: { status: 'timeout', timeoutMs }, durationMs: performance.now() - startedAt, logs: [] });
      markUnusable();
      passOnUnstarted();
      endIfIdle();
    }, timeoutMs + DEADLINE_GRACE_MS);
  const fail = (id: number, error: SerializedError) => {
    const entry = inFlight.get(id);
    if (entry) settle(id, { outcome: { status: 'error', error }, durationMs: performance.now() - entry.startedAt, logs: [] });
  };

  const onFatal = (message: FatalMessage) => {
    // While loading, anything fatal is why the load failed.
    if (message.exiting || !loaded) ending ??= message;
    markUnusable();
    const owner = message.id === undefined ? undefined : inFlight.get(message.id);
    if (message.exiting) return; // The deliveries in flight fail when the thread is gone, each with its reason.
    if (owner && message.id !== undefined) {
      fail(message.id, message.error ? { ...message.error, message: `the handler ${message.reason}: ${message.error.message}` } : { name: 'Error', message: `the handler ${message.reason}` });
    } else {
      const where = message.error?.location ? ` (at ${message.error.location})` : '';
      const what = message.error ? `: ${message.error.name}: ${message.error.message}${where}` : '';
      onNotice(`The handler ${message.reason} outside any event${what}. Its worker restarts; module state starts over.`, 'warn');
    }
    endIfIdle();
  };

  const loading = new Promise<HandlerWorker>((resolve, reject) => {
    const loadTimer = setTimeout(() => {
      reject(new HandlerLoadError(`Could not load the handler ${shown}: it did not finish loading within ${formatDuration(loadTimeoutMs)}.`, {
        hint: 'Look for code that runs at import time and never ends (a loop, a connection awaited at top level).',
      }));
      void thread.terminate();
    }, loadTimeoutMs);
    thread.on('error', (error) => {
      threadError = error;
    });
    const onMessage = (message: FromWorker): void => {
      switch (message.type) {
        case 'loaded':
          clearTimeout(loadTimer);
          loaded = true;
          handle = createHandle(message);
          resolve(handle);
          return;
        case 'load-failed':
          clearTimeout(loadTimer);
          onFiles?.(message.files);
          reject(toLoadError(message));
          void thread.terminate();
          return;
        case 'result':
          if (message.result.outcome.status === 'timeout') markUnusable();
          return settle(message.id, message.result);
        case 'fatal':
          return onFatal(message);
        case 'output':
          return onNotice(`The handler printed outside any event (${message.source}): ${redactSecrets(message.text)}`, 'info');
      }
    };
    port.on('message', onMessage);
    void exited.then((code) => {
      clearTimeout(loadTimer);
      // What the worker said just before it ended (process.exit names its delivery, then exits)
      // may still be queued: the thread's end can be seen first, on Node 24 especially.
      for (let queued = receiveMessageOnPort(port); queued !== undefined; queued = receiveMessageOnPort(port)) onMessage(queued.message as FromWorker);
      port.close();
      if (!loaded) reject(new HandlerLoadError(`Could not load the handler ${shown}: ${describeEnd(code)}.`, { hint: `Fix ${shown} and run the command again.` }));
      const culprit = ending?.id === undefined ? undefined : inFlight.get(ending.id)?.delivery?.label;
      passOnUnstarted();
      for (const id of [...inFlight.keys()]) fail(id, describeLoss(id, culprit));
      markUnusable();
    });
  });

  function describeEnd(code: number): string {
    if (ending) return `it ${ending.reason} while loading${ending.error ? `: ${ending.error.name}: ${ending.error.message}${ending.error.location ? ` (at ${ending.error.location})` : ''}` : ''}`;
    if (threadError && (threadError as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY') return `it ran out of memory (the limit is ${maxMemoryMb} MB)`;
    if (threadError) return `it crashed: ${redactSecrets(threadError.message)}`;
    return `its worker stopped (exit code ${code})`;
  }

  function describeLoss(id: number, culprit: string | undefined): SerializedError {
    if (closing) return { name: 'SessionEnded', message: 'the session ended before the handler finished' };
    if (ending && ending.id === id) return { name: 'ProcessExit', message: `the handler ${ending.reason}` };
    if (ending) {
      return { name: 'WorkerStopped', message: `the handler's worker stopped before this event was done: ${culprit ? `the handler for ${culprit}` : "code outside any event"} ${ending.reason}` };
    }
    const oom = (threadError as { code?: string } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
    if (oom) return { name: 'OutOfMemory', message: `the handler ran out of memory: its worker is limited to ${maxMemoryMb} MB` };
    return { name: 'WorkerStopped', message: `the handler's worker stopped: ${threadError ? redactSecrets(threadError.message) : 'it ended unexpectedly'}` };
  }

  function createHandle(info: { kind: 'function' | 'map'; eventTypes: string[] | null; files: string[] }): HandlerWorker {
    let closed: Promise<void> | undefined;
    return {
      path,
      files: info.files,
      kind: info.kind,
      eventTypes: info.eventTypes,
      get usable() {
        return usable;
      },
      run(delivery, timeoutMs) {
        const id = nextId++;
        return new Promise<HandlerResult>((resolve) => {
          const startedAt = performance.now();
          const timer = startDeadline(id, timeoutMs, startedAt);
          inFlight.set(id, { delivery, startedAt, timer, settle: resolve });
          if (outbox.push({ id, raw: delivery.raw, attempt: delivery.attempt, receivedAt: delivery.receivedAt.getTime(), timeoutMs }) === 1) setImmediate(post);
        });
      },
      retire() {
        markUnusable();
        endIfIdle();
        return exited.then(() => {});
      },
      close() {
        closing = true;
        usable = false;
        closed ??= thread.terminate().then(() => exited.then(() => {}));
        return closed;
      },
    };
  }

  return loading;
}

/** Next to this file in dist/runner/ and in the bundle; from the TypeScript sources (tests), the built copy. */
function defaultWorkerUrl(): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new URL('../../dist/runner/handler-worker.js', here);
  return new URL('./handler-worker.js', here);
}

function toLoadError({ error }: LoadFailedMessage): WebhookDevError {
  const options = { ...(error.hint ? { hint: error.hint } : {}), details: error.details };
  if (error.code === 'HANDLER_NOT_FOUND') return new HandlerNotFoundError(error.message, options);
  if (error.code === 'HANDLER_INVALID') return new HandlerShapeError(error.message, options);
  // tsx could not write its compile cache: the temp folder's fault, not the handler's.
  if (error.code === 'TEMP_DIR_UNWRITABLE') return new TempDirError(error.message, options);
  return new HandlerLoadError(error.message, options);
}
