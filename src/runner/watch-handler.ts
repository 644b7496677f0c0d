/**
 * Keeps the handler current while the session runs: edits to the handler (or to a local file it
 * imports) load a fresh copy, which the next event uses. A broken edit keeps the last good handler
 * and reports the error, so the session goes on while the user fixes it.
 */
import { watch as fsWatch, type FSWatcher } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LoadedHandler, LoadHandlerOptions } from './load-handler.js';

/** What a load yields: anything that knows its module and the local files it imported. */
export interface Watchable {
  path: string;
  files: string[];
}

export interface HandlerWatcher<T extends Watchable = LoadedHandler> {
  /** The last handler that loaded. */
  current(): T;
  /** Stops watching; safe to call twice. A load in flight is discarded. */
  close(): void;
}

export interface WatchHandlerOptions<T extends Watchable = LoadedHandler> {
  cwd?: string;
  /**
   * Loads in this thread by default; the session loads each version in a worker of its own (and
   * so never imports tsx in its own thread: that is ~100 ms of CPU at start-up it does not need).
   */
  load?: (file: string, options: LoadHandlerOptions) => Promise<T>;
  /** `previous` is the version `handler` replaces. */
  onReload?: (handler: T, previous: T) => void;
  onError?: (error: unknown) => void;
  /** Editors write a file in several steps (truncate, write, rename): wait for them to settle. */
  debounceMs?: number;
  watch?: typeof fsWatch;
}

/** Loads once, and throws that load's error: a handler broken at startup is a startup failure. */
export async function watchHandler<T extends Watchable = LoadedHandler>(
  file: string,
  { cwd = process.cwd(), load = loadInThisThread as unknown as NonNullable<WatchHandlerOptions<T>['load']>, onReload, onError, debounceMs = 100, watch = fsWatch }: WatchHandlerOptions<T> = {},
): Promise<HandlerWatcher<T>> {
  let attempted: string[] = [];
  // The first load is a startup failure, not a "fix and save" moment: only reloads say so.
  const loadOnce = (watching = true) =>
    load(file, {
      cwd,
      watching,
      onFiles: (files) => {
        attempted = files;
      },
    });
  let current = await loadOnce(false);
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let loading = false;
  let changedWhileLoading = false;
  let watched = new Set<string>();
  const dirWatchers = new Map<string, FSWatcher>();

  const report = (error: unknown) => {
    if (!closed) onError?.(error);
  };

  // Watching folders, not files: editors that save by writing a temp file and renaming it over
  // the original replace the inode, and a watch on the old file would go silent.
  const watchFiles = (files: readonly string[]) => {
    watched = new Set(files);
    const dirs = new Set(files.map((f) => dirname(f)));
    for (const [dir, watcher] of dirWatchers) {
      if (dirs.has(dir)) continue;
      watcher.close();
      dirWatchers.delete(dir);
    }
    for (const dir of dirs) {
      if (dirWatchers.has(dir)) continue;
      try {
        const watcher = watch(dir, { persistent: false }, (_event, name) => {
          // No name means the platform could not say which file changed: reload to be safe.
          if (name === null || watched.has(join(dir, name.toString()))) schedule();
        });
        watcher.on('error', report);
        dirWatchers.set(dir, watcher);
      } catch (error) {
        report(error);
      }
    }
  };

  const schedule = () => {
    if (closed) return;
    clearTimeout(timer);
    // A throwing onReload must not become an unhandled rejection that ends the session.
    timer = setTimeout(() => void reload().catch(report), debounceMs);
  };

  const reload = async () => {
    // One load at a time, so an older, slower load can never replace a newer one.
    if (loading) {
      changedWhileLoading = true;
      return;
    }
    loading = true;
    let next: T | undefined;
    let failure: unknown;
    try {
      next = await loadOnce();
    } catch (error) {
      failure = error;
    }
    loading = false;
    if (closed) return;
    if (next) {
      const previous = current;
      current = next;
      watchFiles(next.files);
      onReload?.(next, previous);
    } else {
      // Also watch what the failed attempt reached: the fix may be in a newly imported file.
      watchFiles([...new Set([...watched, ...attempted])]);
      report(failure);
    }
    if (changedWhileLoading) {
      changedWhileLoading = false;
      schedule();
    }
  };

  watchFiles(current.files.length > 0 ? current.files : [current.path]);
  return {
    current: () => current,
    close: () => {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      for (const watcher of dirWatchers.values()) watcher.close();
      dirWatchers.clear();
    },
  };
}

async function loadInThisThread(file: string, options: LoadHandlerOptions): Promise<LoadedHandler> {
  const { loadHandler } = await import('./load-handler.js');
  return loadHandler(file, options);
}
