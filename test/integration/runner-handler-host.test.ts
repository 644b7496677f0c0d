/**
 * The handler host with real worker threads (the built worker, dist/runner/handler-worker.js):
 * what a delivery gets back when the handler behaves, and when it spins, exits, crashes, runs out
 * of memory or tries to post its own result.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HandlerLoadError } from '../../src/errors.js';
import { startHandlerHost, type HandlerHost, type HandlerHostOptions } from '../../src/runner/start-handler-host.js';
import type { WorkerDelivery } from '../../src/runner/start-handler-worker.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'webhook-dev-host-'));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function host(source: string, options: Partial<HandlerHostOptions> = {}): Promise<{ host: HandlerHost; notices: string[] }> {
  const dir = project({ 'h.mjs': source });
  const notices: string[] = [];
  const started = await startHandlerHost(join(dir, 'h.mjs'), { cwd: dir, timeoutMs: 2_000, watch: false, onNotice: (message) => notices.push(message), ...options });
  cleanups.push(() => started.close());
  return { host: started, notices };
}

let n = 0;
function delivery(type = 'customer.created'): WorkerDelivery {
  const id = `evt_${++n}`;
  return { raw: JSON.stringify({ id, object: 'event', type, created: 1, livemode: false, data: { object: {} } }), attempt: 1, receivedAt: new Date(), label: id };
}

describe('startHandlerHost (real worker threads)', () => {
  it('runs a delivery in the worker and returns its value and every line it printed, by source', async () => {
    const { host: h, notices } = await host("console.log('loaded');\nexport default (event, ctx) => { ctx.log.info('ctx'); console.warn('warned'); process.stdout.write('raw\\n'); return event.type; };\n");
    const result = await h.run(delivery());
    expect(result.outcome).toEqual({ status: 'ok', value: 'customer.created' });
    expect(result.logs.map((log) => [log.source ?? 'ctx', log.level, log.message])).toEqual([
      ['ctx', 'info', 'ctx'],
      ['console', 'warn', 'warned'],
      ['stdout', 'info', 'raw'],
    ]);
    expect(notices).toEqual(['The handler printed outside any event (console): loaded']);
  });

  it('times out a synchronous loop, and runs the deliveries queued behind it in a fresh worker', async () => {
    const { host: h } = await host("let count = 0;\nexport default (event) => { if (event.type === 'spin') for (;;) {} return ++count; };\n", { timeoutMs: 300 });
    const spinning = h.run(delivery('spin'));
    const queued = [h.run(delivery()), h.run(delivery())];
    expect((await spinning).outcome).toEqual({ status: 'timeout', timeoutMs: 300 });
    const values = (await Promise.all(queued)).map((result) => result.outcome);
    expect(values).toEqual([
      { status: 'ok', value: 1 },
      { status: 'ok', value: 2 },
    ]);
  });

  it('a delivery that returned at once is reported even when one posted with it then spins', async () => {
    // Posted in one turn, so they reach the worker in one message; each still starts in a turn of its own.
    const { host: h } = await host("export default (event) => { if (event.type === 'spin') for (;;) {} return event.id; };\n", { timeoutMs: 300 });
    const quick = delivery();
    const [first, spinning] = await Promise.all([h.run(quick), h.run(delivery('spin'))]);
    expect(first.outcome).toEqual({ status: 'ok', value: quick.label });
    expect(spinning.outcome).toEqual({ status: 'timeout', timeoutMs: 300 });
  });

  it('process.exit fails the delivery that called it; the next one runs in a fresh worker', async () => {
    const { host: h } = await host("export default (event) => event.type === 'exit' ? process.exit(3) : 'ok';\n");
    expect((await h.run(delivery('exit'))).outcome).toEqual({ status: 'error', error: { name: 'ProcessExit', message: 'the handler called process.exit(3)' } });
    expect((await h.run(delivery())).outcome).toEqual({ status: 'ok', value: 'ok' });
  });

  it('an unhandled rejection outside any delivery is a notice, and the worker restarts', async () => {
    const { host: h, notices } = await host("let count = 0;\nsetTimeout(() => Promise.reject(new Error('stray')), 1);\nexport default () => ++count;\n");
    await expect.poll(() => notices.join('\n')).toContain('left a promise rejection unhandled outside any event: Error: stray');
    expect((await h.run(delivery())).outcome).toEqual({ status: 'ok', value: 1 });
  });

  it('a handler past its memory limit fails with a clear reason', async () => {
    const { host: h } = await host("export default () => { const keep = []; for (;;) keep.push(new Array(1e5).fill({ a: 1 })); };\n", { maxMemoryMb: 32, timeoutMs: 60_000 });
    const result = await h.run(delivery());
    expect(result.outcome).toMatchObject({ status: 'error', error: { name: 'OutOfMemory', message: expect.stringContaining('limited to 32 MB') } });
  });

  it('a message the handler posts on parentPort is not a result', async () => {
    const { host: h } = await host(
      "import { parentPort } from 'node:worker_threads';\nexport default async () => { parentPort.postMessage({ type: 'result', id: 1, result: { outcome: { status: 'ok', value: 'faked' }, durationMs: 0, logs: [] } }); await new Promise((r) => setTimeout(r, 50)); throw new Error('real'); };\n",
    );
    expect((await h.run(delivery())).outcome).toMatchObject({ status: 'error', error: { message: 'real' } });
  });

  it('rejects with the load error when the module cannot load, or ends itself while loading', async () => {
    await expect(host('export default {\n')).rejects.toBeInstanceOf(HandlerLoadError);
    await expect(host('process.exit(0);\nexport default () => 1;\n')).rejects.toThrow('it called process.exit(0) while loading');
    await expect(host("setTimeout(() => { throw new Error('at import'); }, 0);\nawait new Promise((r) => setTimeout(r, 500));\nexport default () => 1;\n")).rejects.toThrow(
      'it threw an exception nobody caught while loading: Error: at import (at h.mjs:1:',
    );
  });

  it('close fails the deliveries in flight as "the session ended"', async () => {
    const { host: h } = await host('export default () => new Promise(() => {});\n', { timeoutMs: 60_000 });
    const pending = h.run(delivery());
    await h.close();
    expect((await pending).outcome).toEqual({ status: 'error', error: { name: 'SessionEnded', message: 'the session ended before the handler finished' } });
  });
});
