import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHandler, type LoadedHandler } from '../../src/runner/load-handler.js';
import { runHandler } from '../../src/runner/run-handler.js';
import type { StripeEventLike } from '../../src/types.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const fixture = (name: string) => join(root, 'test/fixtures/handlers', name);

function event(type: string, object: Record<string, unknown> = {}): StripeEventLike {
  return { id: 'evt_123', object: 'event', type, created: 1_700_000_000, livemode: false, data: { object } };
}

describe('runHandler with real handler modules', () => {
  let map: LoadedHandler;
  beforeAll(async () => {
    map = await loadHandler(fixture('map.ts'));
  });

  it('returns the value and the lines the handler logged', async () => {
    const result = await runHandler(map, event('payment_intent.succeeded', { id: 'pi_1', amount: 2000, currency: 'eur' }), { cwd: root });
    expect(result.outcome).toEqual({ status: 'ok', value: { amount: 2000 } });
    expect(result.logs).toEqual([{ level: 'info', message: "amount 2000 { currency: 'eur' }", elapsedMs: expect.any(Number) }]);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('a throw points at the line of the .ts fixture, with its text', async () => {
    const result = await runHandler(map, event('customer.created', { id: 'cus_1' }), { cwd: root });
    expect(result.outcome.status).toBe('error');
    if (result.outcome.status !== 'error') return;
    expect(result.outcome.error).toMatchObject({
      name: 'Error',
      message: 'customer cus_1 is not welcome',
      location: 'test/fixtures/handlers/map.ts:10:11',
      sourceLine: 'throw new Error(`customer ${event.data.object.id} is not welcome`);',
    });
    expect(result.outcome.error.stack).toContain('customer cus_1 is not welcome');
  });

  it('an async rejection is an error too, located after the await', async () => {
    const result = await runHandler(map, event('charge.failed', { id: 'ch_1' }), { cwd: root });
    expect(result.outcome).toMatchObject({
      status: 'error',
      error: { name: 'TypeError', message: 'async failure for ch_1', location: 'test/fixtures/handlers/map.ts:14:11' },
    });
  });

  it('an event type the map does not name is unhandled', async () => {
    const result = await runHandler(map, event('invoice.paid'));
    expect(result).toEqual({ outcome: { status: 'unhandled' }, durationMs: 0, logs: [] });
  });

  it("'*' catches what has no key of its own; ctx.attempt reaches the handler", async () => {
    const handler = await loadHandler(fixture('fallback.mts'));
    expect((await runHandler(handler, event('invoice.paid'))).outcome).toEqual({ status: 'ok', value: 'paid' });
    expect((await runHandler(handler, event('charge.refunded'), { attempt: 3 })).outcome).toEqual({ status: 'ok', value: 'fallback:charge.refunded:3' });
  });

  it('a function with declared events handles only those', async () => {
    const handler = await loadHandler(fixture('declared.js'));
    expect((await runHandler(handler, event('invoice.payment_failed'))).outcome).toEqual({ status: 'ok', value: 'js:invoice.payment_failed' });
    expect((await runHandler(handler, event('customer.created'))).outcome).toEqual({ status: 'unhandled' });
  });

  it('an .mjs function sees every event and can log at debug level', async () => {
    const handler = await loadHandler(fixture('single.mjs'));
    const result = await runHandler(handler, event('customer.created'), { attempt: 2 });
    expect(result.outcome).toEqual({ status: 'ok', value: { type: 'customer.created', attempt: 2 } });
    expect(result.logs.map((l) => [l.level, l.message])).toEqual([['debug', 'got customer.created']]);
  });

  it('a handler that never settles times out at the deadline', async () => {
    const handler = await loadHandler(fixture('hangs.ts'));
    const started = performance.now();
    const result = await runHandler(handler, event('customer.created'), { timeoutMs: 200 });
    const elapsed = performance.now() - started;
    expect(result.outcome).toEqual({ status: 'timeout', timeoutMs: 200 });
    expect(result.logs.map((l) => l.message)).toEqual(['waiting forever']);
    expect(result.durationMs).toBeGreaterThanOrEqual(195);
    expect(elapsed).toBeLessThan(2_000);
  });
});

describe('runHandler: CommonJS-scope TypeScript', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'webhook-dev-cjs-run-'));
    await writeFile(join(dir, 'package.json'), '{}\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // tsx runs these as a `data:` URL module with no source map Node can find; the file is still named.
  it('a throw names the file even though the line cannot be mapped', async () => {
    await writeFile(join(dir, 'throws.ts'), "type A = { a: number };\nexport default (e: A) => {\n  throw new Error('cjs ' + e.a);\n};\n");
    const handler = await loadHandler(join(dir, 'throws.ts'));
    const result = await runHandler(handler, event('x.y'), { cwd: dir });
    // Node 20 gives no map for tsx's data: module (file only); Node 24 has one, so the line is exact.
    expect(result.outcome).toMatchObject({ status: 'error', error: { message: 'cjs undefined', location: expect.stringMatching(/^throws\.ts(:3:\d+)?$/) } });
  });

  it('plain .cjs is not compiled, so its lines are exact', async () => {
    await writeFile(join(dir, 'throws.cjs'), "module.exports = function () {\n  throw new Error('plain cjs');\n};\n");
    const handler = await loadHandler(join(dir, 'throws.cjs'));
    const result = await runHandler(handler, event('x.y'), { cwd: dir });
    expect(result.outcome).toMatchObject({ status: 'error', error: { location: 'throws.cjs:2:9', sourceLine: "throw new Error('plain cjs');" } });
  });
});
