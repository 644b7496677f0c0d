import { copyFile, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HandlerLoadError } from '../../src/errors.js';
import type { LoadedHandler } from '../../src/runner/load-handler.js';
import { runHandler } from '../../src/runner/run-handler.js';
import { watchHandler, type HandlerWatcher } from '../../src/runner/watch-handler.js';
import type { StripeEventLike } from '../../src/types.js';
import { waitFor } from '../helpers/wait-for.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));

function event(type: string): StripeEventLike {
  return { id: 'evt_1', object: 'event', type, created: 1, livemode: false, data: { object: {} } };
}

const valueOf = async (watcher: HandlerWatcher, type = 'customer.created') => (await runHandler(watcher.current(), event(type))).outcome;

describe('watchHandler (real files, real fs.watch)', () => {
  let dir: string;
  let watcher: HandlerWatcher | undefined;
  let reloads: LoadedHandler[];
  let errors: unknown[];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'webhook-dev-watch-'));
    await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
    reloads = [];
    errors = [];
  });
  afterEach(async () => {
    watcher?.close();
    watcher = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  const start = async (file: string) => {
    watcher = await watchHandler(file, { debounceMs: 30, onReload: (h) => reloads.push(h), onError: (e) => errors.push(e) });
    return watcher;
  };

  it('an edit is picked up by the next run, with no restart', async () => {
    const file = join(dir, 'single.mjs');
    await copyFile(join(root, 'test/fixtures/handlers/single.mjs'), file);
    const w = await start(file);
    expect(await valueOf(w)).toEqual({ status: 'ok', value: { type: 'customer.created', attempt: 1 } });

    await writeFile(file, 'export default (event) => `v2:${event.type}`;\n');
    await waitFor(() => reloads.length >= 1, { description: 'the handler to reload' });
    expect(await valueOf(w)).toEqual({ status: 'ok', value: 'v2:customer.created' });
    expect(w.current()).toBe(reloads.at(-1));
    expect(errors).toEqual([]);
  });

  it('an editor-style save (write a temp file, rename it over) is seen too', async () => {
    const file = join(dir, 'handler.ts');
    await writeFile(file, "export default () => 'one';\n");
    const w = await start(file);
    await writeFile(join(dir, '.handler.ts.swp'), "export default () => 'two';\n");
    await rename(join(dir, '.handler.ts.swp'), file);
    await waitFor(() => reloads.length >= 1, { description: 'the handler to reload' });
    expect(await valueOf(w)).toEqual({ status: 'ok', value: 'two' });
  });

  it('a broken edit keeps the previous handler and reports; fixing it reloads', async () => {
    const file = join(dir, 'handler.ts');
    await writeFile(file, "export default () => 'good';\n");
    const w = await start(file);
    await writeFile(file, "export default () => 'oops' +;\n");
    await waitFor(() => errors.length >= 1, { description: 'the load error' });
    expect(errors[0]).toBeInstanceOf(HandlerLoadError);
    expect((errors[0] as HandlerLoadError).hint).toBe('Fix the error and save: webhook-dev reloads it.');
    expect(await valueOf(w)).toEqual({ status: 'ok', value: 'good' });
    expect(reloads).toEqual([]);

    await writeFile(file, "export default () => 'fixed';\n");
    await waitFor(() => reloads.length >= 1, { description: 'the fixed handler to reload' });
    expect(await valueOf(w)).toEqual({ status: 'ok', value: 'fixed' });
  });

  it('an edit to a local file the handler imports reloads it, fresh', async () => {
    const file = join(dir, 'handler.ts');
    await writeFile(join(dir, 'greeting.ts'), "export const greeting: string = 'hello';\n");
    await writeFile(file, "import { greeting } from './greeting.js';\nexport default () => greeting;\n");
    const w = await start(file);
    expect(w.current().files).toEqual(expect.arrayContaining([file, join(dir, 'greeting.ts')]));
    await writeFile(join(dir, 'greeting.ts'), "export const greeting: string = 'bonjour';\n");
    await waitFor(() => reloads.length >= 1, { description: 'the handler to reload' });
    expect(await valueOf(w)).toEqual({ status: 'ok', value: 'bonjour' });
  });

  it('a handler broken at startup throws up front', async () => {
    const file = join(dir, 'handler.ts');
    await writeFile(file, 'export default () => {\n');
    await expect(start(file)).rejects.toBeInstanceOf(HandlerLoadError);
  });

  it('close() stops reloads and is safe to call twice', async () => {
    const file = join(dir, 'handler.ts');
    await writeFile(file, "export default () => 'one';\n");
    const w = await start(file);
    // A second watcher with a longer debounce: once it has reloaded, the closed one (30 ms) would have too.
    const probeReloads: LoadedHandler[] = [];
    const probe = await watchHandler(file, { debounceMs: 300, onReload: (h) => probeReloads.push(h) });
    try {
      w.close();
      w.close();
      await writeFile(file, "export default () => 'two';\n");
      await waitFor(() => probeReloads.length >= 1, { description: 'the probe to reload' });
    } finally {
      probe.close();
    }
    expect(reloads).toEqual([]);
    expect(await valueOf(w)).toEqual({ status: 'ok', value: 'one' });
  });
});
