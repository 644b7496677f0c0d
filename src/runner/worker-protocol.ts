/**
 * The messages between the session and a handler worker. Plain data only: the session posts the
 * raw body (a string, cheap to copy) and the worker parses it, so no deep structured clone runs on
 * the session's thread; results come back in the record shapes the reporters already know.
 */
import type { MessagePort } from 'node:worker_threads';
import type { ExitCodeName } from '../errors.js';
import type { HandlerResult, LogSource, SerializedError } from '../types.js';
import type { HandlerShape } from './resolve-handler-shape.js';

/** `workerData`. The port is the worker's only line to the session (see handler-worker.ts). */
export interface WorkerStart {
  path: string;
  cwd: string;
  /** Errors then say that saving a fix reloads the handler. */
  watching: boolean;
  port: MessagePort;
  /**
   * [0]: the id of the last delivery the worker started. Deliveries start in the order they were
   * posted, so any later id has not run yet and can go to a fresh worker when this one is stuck.
   * Shared memory rather than a message: it costs the session's thread nothing per event.
   */
  progress: Int32Array;
}

/**
 * Deliveries that reach a worker in one turn of the session's event loop go in one message: under
 * load that is a few a message, and posting a message costs the session's thread more than its
 * contents. Results come back one by one, as each delivery ends.
 */
export interface RunBatch {
  type: 'run';
  runs: RunMessage[];
}

export interface RunMessage {
  id: number;
  /** The verified body, exactly as received. */
  raw: string;
  attempt: number;
  /** Epoch milliseconds. */
  receivedAt: number;
  timeoutMs: number;
}

export interface LoadedMessage {
  type: 'loaded';
  kind: HandlerShape['kind'];
  eventTypes: string[] | null;
  files: string[];
}

export interface LoadFailedMessage {
  type: 'load-failed';
  error: { code: ExitCodeName; message: string; hint?: string; details: string[] };
  /** What the failed import reached: the watcher must see a fix to any of them. */
  files: string[];
}

export interface ResultMessage {
  type: 'result';
  id: number;
  result: HandlerResult;
}

/**
 * Something the worker cannot recover from by itself: the handler called `process.exit()` (the
 * worker ends right after), or an exception or rejection nobody caught (the worker is retired).
 * `id` names the delivery it happened in, when there was one.
 */
export interface FatalMessage {
  type: 'fatal';
  id?: number;
  /** Reads after "the handler …", e.g. "called process.exit(0)". */
  reason: string;
  error?: SerializedError;
  /** True when the worker is ending now (exit, abort); false when it merely cannot be trusted. */
  exiting: boolean;
}

/** Output written outside any delivery (at import time, from a timer): shown as a notice. */
export interface OutputMessage {
  type: 'output';
  source: LogSource;
  text: string;
}

export type FromWorker = LoadedMessage | LoadFailedMessage | ResultMessage | FatalMessage | OutputMessage;
