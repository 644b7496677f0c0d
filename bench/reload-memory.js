/**
 * Memory over many reloads of the handler, as a watching session does them: each save starts a
 * worker for the new version and retires the old one, whose module graph and tsx loader end with
 * its thread. Prints the session process's RSS after a warm-up and after every RELOADS/10 reloads.
 *
 *   node bench/reload-memory.js [RELOADS=200] [WARMUP=20]
 *
 * Uses the built host (dist/runner/start-handler-host.js): run `npm run build` first.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { REPO_DIR } from './config.js';

const reloads = Number(process.argv[2] ?? 200);
const warmup = Number(process.argv[3] ?? 20);
const { startHandlerHost } = await import(new URL('dist/runner/start-handler-host.js', `file://${REPO_DIR}/`).href);

const dir = await mkdtemp(path.join(os.tmpdir(), 'webhook-dev-reload-memory-'));
const file = path.join(dir, 'handler.ts');
// A handler with some weight of its own (a module-level table), so a leaked version would show.
const source = (version) => `const table: number[] = Array.from({ length: 50_000 }, (_, i) => i * ${version});\nexport default (event: { type: string }) => ({ version: ${version}, type: event.type, size: table.length });\n`;
await writeFile(path.join(dir, 'package.json'), '{"type":"module"}');
await writeFile(file, source(0));

let reloaded;
const host = await startHandlerHost(file, { cwd: dir, timeoutMs: 10_000, onNotice: () => {}, onReload: (worker) => reloaded?.(worker), onReloadError: (error) => console.error(error) });
const raw = JSON.stringify({ id: 'evt_1', object: 'event', type: 'customer.created', created: 1, livemode: false, data: { object: {} } });
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);
const samples = [];
try {
  for (let version = 1; version <= warmup + reloads; version++) {
    const next = new Promise((resolve) => (reloaded = resolve));
    await writeFile(file, source(version));
    await next;
    const result = await host.run({ raw, attempt: 1, receivedAt: new Date(), label: 'evt_1' });
    if (result.outcome.status !== 'ok' || result.outcome.value.version !== version) throw new Error(`reload ${version} ran ${JSON.stringify(result.outcome)}`);
    const done = version - warmup;
    if (done === 0 || (done > 0 && done % Math.max(1, Math.floor(reloads / 10)) === 0)) {
      // Let the retired worker finish ending before sampling.
      await new Promise((resolve) => setTimeout(resolve, 500));
      global.gc?.();
      samples.push({ reloads: done, rssMb: Number(mb(process.memoryUsage().rss)), heapMb: Number(mb(process.memoryUsage().heapUsed)) });
      console.log(`after warm-up + ${done} reloads: rss ${mb(process.memoryUsage().rss)} MB, heap ${mb(process.memoryUsage().heapUsed)} MB`);
    }
  }
  const first = samples[0];
  const last = samples.at(-1);
  console.log(JSON.stringify({ reloads, warmup, rssStartMb: first.rssMb, rssEndMb: last.rssMb, rssGrowthMb: Number((last.rssMb - first.rssMb).toFixed(1)), samples }));
} finally {
  await host.close();
  await rm(dir, { recursive: true, force: true });
}
