/**
 * The handler host: the user's handler, each loaded version in a worker thread of its own, kept
 * current as the files change. The session asks it to run a delivery and gets plain data back.
 *
 * - Reload on save starts a worker for the new version; the old one is retired: it finishes (or
 *   times out) the deliveries it has, then its thread ends, and its module graph and tsx loader
 *   with it. Module state (a counter, a DB client) lives as long as its worker.
 * - A worker that can no longer be trusted (a delivery timed out, an exception nobody caught,
 *   `process.exit`) is retired the same way, and a fresh worker of the same version takes the
 *   next delivery.
 * - One worker runs every delivery it is given at once: the Stripe CLI forwards concurrently, and
 *   a real webhook endpoint sees that concurrency too.
 */
import type { HandlerResult, NoticeLevel } from '../types.js';
import { startHandlerWorker, type HandlerWorker, type HandlerWorkerOptions, type WorkerDelivery } from './start-handler-worker.js';
import { watchHandler, type HandlerWatcher } from './watch-handler.js';

export interface HandlerHostOptions {
  cwd?: string;
  timeoutMs: number;
  onNotice: (message: string, level: NoticeLevel) => void;
  onReload?: (worker: HandlerWorker) => void;
  onReloadError?: (error: unknown) => void;
  /** Off for tests; the session always watches. */
  watch?: boolean;
  maxMemoryMb?: number;
  workerUrl?: URL;
}

export interface HandlerHost {
  /** The version new deliveries run in. */
  current(): HandlerWorker;
  run(delivery: WorkerDelivery): Promise<HandlerResult>;
  /** Ends every worker; deliveries in flight fail as "the session ended". Safe twice. */
  close(): Promise<void>;
}

/** Rejects with the load error when the first load fails: a handler broken at start-up is a start-up failure. */
export async function startHandlerHost(file: string, { cwd = process.cwd(), timeoutMs, onNotice, onReload, onReloadError, watch = true, maxMemoryMb, workerUrl }: HandlerHostOptions): Promise<HandlerHost> {
  const threads = new Set<HandlerWorker>();
  let closed = false;
  let current: HandlerWorker;
  /** A fresh worker of the current version, while it loads. */
  let replacing: Promise<HandlerWorker> | undefined;

  const spawn = async (path: string, watching: boolean, onFiles?: (files: string[]) => void) => {
    const options: HandlerWorkerOptions = {
      path,
      cwd,
      watching,
      onNotice,
      onUnusable: (worker) => {
        retire(worker);
        if (worker === current && !closed) replace().catch(() => {});
      },
      onUnstarted: (delivery, settle) => void run(delivery).then(settle),
      ...(onFiles ? { onFiles } : {}),
      ...(maxMemoryMb !== undefined ? { maxMemoryMb } : {}),
      ...(workerUrl ? { workerUrl } : {}),
    };
    const worker = await startHandlerWorker(options);
    threads.add(worker);
    if (closed) void worker.close();
    return worker;
  };

  const replace = (): Promise<HandlerWorker> => {
    if (replacing) return replacing;
    const version = current;
    const attempt = spawn(version.path, true).then((worker) => {
      // A reload that landed meanwhile wins: this copy of the older version is not needed.
      if (current === version) current = worker;
      else void worker.retire();
      return worker;
    });
    replacing = attempt;
    void attempt.then(
      () => (replacing = undefined),
      () => (replacing = undefined),
    );
    return attempt;
  };

  const retire = (worker: HandlerWorker) => void worker.retire().then(() => threads.delete(worker));

  let watcher: HandlerWatcher<HandlerWorker> | undefined;
  if (watch) {
    watcher = await watchHandler<HandlerWorker>(file, {
      cwd,
      load: (path, { watching = true, onFiles }) => spawn(path, watching, onFiles),
      onReload: (next) => {
        const previous = current;
        current = next;
        retire(previous);
        onReload?.(next);
      },
      ...(onReloadError ? { onError: onReloadError } : {}),
    });
    current = watcher.current();
  } else {
    current = await spawn(file, false);
  }

  async function run(delivery: WorkerDelivery): Promise<HandlerResult> {
    if (closed) return stopped('the session ended before the handler ran');
    let worker = current;
    if (!worker.usable) {
      try {
        worker = await replace();
      } catch (error) {
        return stopped(`the handler could not be loaded again after its worker stopped: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return worker.run(delivery, timeoutMs);
  }

  let closing: Promise<void> | undefined;
  return {
    current: () => current,
    run,
    close() {
      closing ??= (async () => {
        closed = true;
        watcher?.close();
        await replacing?.catch(() => {});
        await Promise.all([...threads].map((worker) => worker.close()));
      })();
      return closing;
    },
  };
}

function stopped(message: string): HandlerResult {
  return { outcome: { status: 'error', error: { name: 'HandlerUnavailable', message } }, durationMs: 0, logs: [] };
}
