import { EventEmitter } from 'node:events';
import type { FSWatcher, watch } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LoadedHandler, LoadHandlerOptions } from '../../src/runner/load-handler.js';
import { watchHandler } from '../../src/runner/watch-handler.js';

type Listener = (event: string, name: string | null) => void;

/** A stand-in for fs.watch that records which folders are watched and lets a test fire events. */
function fakeWatch() {
  const listeners = new Map<string, Listener>();
  const closed: string[] = [];
  const fn = ((dir: string, _options: unknown, listener: Listener) => {
    listeners.set(dir, listener);
    const watcher = Object.assign(new EventEmitter(), {
      close: () => {
        closed.push(dir);
        listeners.delete(dir);
      },
    });
    return watcher as unknown as FSWatcher;
  }) as unknown as typeof watch;
  const fire = (dir: string, name: string | null) => listeners.get(dir)?.('change', name);
  return { fn, fire, dirs: () => [...listeners.keys()], closed };
}

function handler(value: string, files: string[]): LoadedHandler {
  return { path: files[0]!, files, kind: 'function', eventTypes: null, pick: () => () => value };
}

/** A loader whose second call (the first reload) waits until `release()`; each call yields v1, v2… */
function secondLoadWaits(file: string) {
  let release!: () => void;
  let calls = 0;
  const load = vi.fn(async () => {
    calls += 1;
    if (calls === 2) await new Promise<void>((r) => (release = r));
    return handler(`v${calls}`, [file]);
  });
  return { load, release: () => release() };
}

describe('watchHandler (fake fs.watch, fake timers)', () => {
  const dir = '/project/src';
  const file = join(dir, 'webhooks.ts');
  let fs: ReturnType<typeof fakeWatch>;
  beforeEach(() => {
    vi.useFakeTimers();
    fs = fakeWatch();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('debounces a burst of events into one load, and ignores other files in the folder', async () => {
    let n = 0;
    const load = vi.fn(async (_file: string, _options: LoadHandlerOptions) => handler(`v${++n}`, [file]));
    const onReload = vi.fn();
    const w = await watchHandler(file, { load, onReload, watch: fs.fn, debounceMs: 100 });
    expect(load).toHaveBeenCalledTimes(1);
    // A broken handler at startup is a startup failure: its hint must not promise a reload.
    expect(load.mock.calls[0]?.[1]).toMatchObject({ watching: false });
    expect(fs.dirs()).toEqual([dir]);

    fs.fire(dir, 'notes.md');
    await vi.advanceTimersByTimeAsync(500);
    expect(load).toHaveBeenCalledTimes(1);

    fs.fire(dir, 'webhooks.ts');
    await vi.advanceTimersByTimeAsync(50);
    fs.fire(dir, 'webhooks.ts');
    await vi.advanceTimersByTimeAsync(99);
    expect(load).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(load).toHaveBeenCalledTimes(2);
    expect(load.mock.calls[1]?.[1]).toMatchObject({ watching: true });
    expect(onReload).toHaveBeenCalledTimes(1);
    expect(w.current().pick('x')?.({} as never, {} as never)).toBe('v2');
    w.close();
  });

  it('a failed load keeps the previous handler, reports, and watches the files the attempt reached', async () => {
    const helper = '/project/lib/helper.ts';
    const failure = new Error('broken');
    const load = vi
      .fn<(f: string, o: LoadHandlerOptions) => Promise<LoadedHandler>>()
      .mockResolvedValueOnce(handler('good', [file]))
      .mockImplementationOnce(async (_f, options) => {
        options.onFiles?.([file, helper]);
        throw failure;
      })
      .mockResolvedValueOnce(handler('fixed', [file, helper]));
    const onError = vi.fn();
    const w = await watchHandler(file, { load, onError, watch: fs.fn, debounceMs: 10 });
    fs.fire(dir, 'webhooks.ts');
    await vi.advanceTimersByTimeAsync(10);
    expect(onError).toHaveBeenCalledWith(failure);
    expect(w.current().pick('x')?.({} as never, {} as never)).toBe('good');
    expect(fs.dirs().sort()).toEqual(['/project/lib', dir]);

    fs.fire('/project/lib', 'helper.ts');
    await vi.advanceTimersByTimeAsync(10);
    expect(w.current().pick('x')?.({} as never, {} as never)).toBe('fixed');
    w.close();
  });

  it('after a successful load, folders no longer imported are unwatched', async () => {
    const helper = '/project/lib/helper.ts';
    const load = vi.fn().mockResolvedValueOnce(handler('a', [file, helper])).mockResolvedValueOnce(handler('b', [file]));
    const w = await watchHandler(file, { load, watch: fs.fn, debounceMs: 10 });
    expect(fs.dirs().sort()).toEqual(['/project/lib', dir]);
    fs.fire(dir, 'webhooks.ts');
    await vi.advanceTimersByTimeAsync(10);
    expect(fs.dirs()).toEqual([dir]);
    expect(fs.closed).toEqual(['/project/lib']);
    w.close();
  });

  it('never runs two loads at once: a change during a load schedules one more', async () => {
    const { load, release } = secondLoadWaits(file);
    const w = await watchHandler(file, { load, watch: fs.fn, debounceMs: 10 });
    fs.fire(dir, 'webhooks.ts');
    await vi.advanceTimersByTimeAsync(10);
    expect(load).toHaveBeenCalledTimes(2);
    fs.fire(dir, 'webhooks.ts');
    await vi.advanceTimersByTimeAsync(50);
    expect(load).toHaveBeenCalledTimes(2);
    release();
    await vi.advanceTimersByTimeAsync(10);
    expect(load).toHaveBeenCalledTimes(3);
    expect(w.current().pick('x')?.({} as never, {} as never)).toBe('v3');
    w.close();
  });

  it('close() is idempotent, closes the watchers and discards a load in flight', async () => {
    const { load, release } = secondLoadWaits(file);
    const onReload = vi.fn();
    const w = await watchHandler(file, { load, onReload, watch: fs.fn, debounceMs: 10 });
    fs.fire(dir, 'webhooks.ts');
    await vi.advanceTimersByTimeAsync(10);
    w.close();
    w.close();
    expect(fs.closed).toEqual([dir]);
    release();
    await vi.advanceTimersByTimeAsync(10);
    expect(onReload).not.toHaveBeenCalled();
    expect(w.current().pick('x')?.({} as never, {} as never)).toBe('v1');
  });

  it('the first load error is thrown, with no watcher left behind', async () => {
    const load = vi.fn().mockRejectedValue(new Error('nope'));
    await expect(watchHandler(file, { load, watch: fs.fn })).rejects.toThrow('nope');
    expect(fs.dirs()).toEqual([]);
  });
});
