/**
 * Stripe's delivery quirks on demand, end to end: the built webhook-dev, the real Stripe CLI
 * against the offline emulator, a handler that writes down what it met (quirks-handler.mjs), and
 * for duplicates an app on a real port that keeps the exact bytes and signatures it got.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { verifySignature } from '../../src/signature/verify-signature.js';
import { jsonPost, sessionCredentials } from '../helpers/emulator-auth.js';
import { projectRoot, runCli, type CliRun, type JsonRecord } from '../helpers/run-cli.js';
import { cleanUpAfterEach, finished, tempProject } from '../helpers/trigger-runs.js';

vi.setConfig({ testTimeout: 120_000 });
cleanUpAfterEach();

const HANDLER = resolve(projectRoot, 'test/fixtures/e2e/quirks-handler.mjs');
const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** What the handler wrote: one `[id, attempt]` per call, in call order. */
function handlerLog(): { file: string; calls(): Array<[string, number]> } {
  const dir = mkdtempSync(join(tmpdir(), 'webhook-dev-quirks-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'calls.txt');
  writeFileSync(file, '');
  return {
    file,
    calls: () =>
      readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [id, attempt] = line.split(' ');
          return [id!, Number(attempt)];
        }),
  };
}

async function startListen(args: string[], env: Record<string, string> = {}): Promise<{ run: CliRun; ready: JsonRecord; dir: string }> {
  const dir = tempProject();
  const run = runCli(['listen', '--offline', '--json', '--port', '0', '--handler', HANDLER, ...args], { cwd: dir, env });
  const ready = await run.waitForRecord((r) => r.type === 'ready', 30_000, 'the ready record');
  return { run, ready, dir };
}

async function publish(ready: JsonRecord, type = 'customer.created'): Promise<string> {
  const response = await fetch(ready.publishUrl, jsonPost(sessionCredentials(ready), { type }));
  expect(response.status).toBe(200);
  return ((await response.json()) as { id: string }).id;
}

const eventsOf = (run: CliRun, id: string) => run.records.filter((r) => r.type === 'event' && r.event?.id === id);

function waitForEvents(run: CliRun, id: string, count: number): Promise<JsonRecord> {
  return run.waitForRecord(() => eventsOf(run, id).length >= count, 20_000, `${count} deliveries of ${id}`);
}

async function stop(run: CliRun): Promise<JsonRecord> {
  run.kill('SIGINT');
  const { exitCode } = await finished(run);
  expect(exitCode, run.stderr()).toBe(130);
  const summary = run.records.find((r) => r.type === 'summary');
  expect(summary).toBeDefined();
  return summary!;
}

/** An app on an ephemeral loopback port that answers 200 and keeps each request's exact bytes. */
async function startCaptureApp(): Promise<{ url: string; received: Array<{ headers: IncomingHttpHeaders; body: Buffer }> }> {
  const received: Array<{ headers: IncomingHttpHeaders; body: Buffer }> = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks) });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  cleanups.push(
    () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  );
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`, received };
}

describe('listen --duplicate', () => {
  it('--duplicate 1: the handler and the app get each event twice, the copy byte-identical and freshly, validly signed', async () => {
    const app = await startCaptureApp();
    const log = handlerLog();
    const { run, ready, dir } = await startListen(['--duplicate', '1', '--forward-to', app.url, '--show-secret'], { QUIRKS_LOG: log.file });
    expect(ready.quirks).toEqual({ seed: expect.any(Number), duplicate: 1 });
    const ids = [await publish(ready), await publish(ready)];
    for (const id of ids) await waitForEvents(run, id, 2);

    for (const id of ids) {
      const records = eventsOf(run, id);
      expect(records.map((r) => r.quirks?.duplicate ?? false)).toEqual([false, true]);
      for (const record of records) expect(record).toMatchObject({ verified: true, outcome: 'ok', attempt: 1 });
      expect(log.calls().filter(([seen]) => seen === id)).toEqual([
        [id, 1],
        [id, 1],
      ]);
      const atApp = app.received.filter((request) => request.body.toString('utf8').includes(`"id": "${id}"`));
      expect(atApp).toHaveLength(2);
      expect(atApp[1]!.body.equals(atApp[0]!.body)).toBe(true);
      const stamps = atApp.map((request) => {
        const header = request.headers['stripe-signature'] as string;
        expect(verifySignature(request.body, header, { secret: ready.secret })).toMatchObject({ ok: true });
        return Number(/t=(\d+)/.exec(header)![1]);
      });
      expect(stamps[1]).toBeGreaterThanOrEqual(stamps[0]!);
      expect(Math.abs(stamps[1]! - Date.now() / 1000)).toBeLessThan(120);
    }

    const summary = await stop(run);
    expect(summary.quirks).toMatchObject({ settings: ready.quirks, duplicates: 2, reordered: 0, delayed: 0, retries: 0 });
    // The journal says which delivery was the copy.
    const shown = runCli(['events', 'show', ids[0]!, '--json'], { cwd: dir });
    expect((await finished(shown)).exitCode).toBe(0);
    expect(shown.stdout().match(/"source":"(\w[\w-]*)"/g)).toEqual(['"source":"stripe-cli"', '"source":"duplicate"']);
    // And so does the list, in both forms: newest first, the copy after its original.
    const listed = runCli(['events', '--json'], { cwd: dir });
    expect((await finished(listed)).exitCode).toBe(0);
    const rows = listed.records.filter((r) => r.type === 'delivery' && (r.event as { id: string }).id === ids[0]);
    expect(rows.map((r) => r.source)).toEqual(['duplicate', 'stripe-cli']);
    const pretty = runCli(['events'], { cwd: dir });
    expect((await finished(pretty)).exitCode).toBe(0);
    const lines = pretty.stdout().split('\n').filter((line) => line.includes(ids[0]!));
    expect(lines.map((line) => line.trimEnd().endsWith('duplicate'))).toEqual([true, false]);
  });
});

describe('listen --shuffle', () => {
  /** Three events published 150 ms apart into one 3 s window: the order the handler met them in, as arrival indexes. */
  async function shuffledOrder(seed: string): Promise<number[]> {
    const log = handlerLog();
    const { run, ready } = await startListen(['--shuffle', '3s', '--seed', seed], { QUIRKS_LOG: log.file });
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      ids.push(await publish(ready));
      await new Promise((done) => setTimeout(done, 150));
    }
    for (const id of ids) await waitForEvents(run, id, 1);
    const arrival = run.records
      .filter((r) => r.type === 'event')
      .sort((a, b) => Date.parse(a.receivedAt) - Date.parse(b.receivedAt))
      .map((r) => r.event.id as string);
    expect(new Set(arrival)).toEqual(new Set(ids));
    for (const id of ids) expect(eventsOf(run, id)[0]).toMatchObject({ outcome: 'ok', quirks: { reordered: true, duplicate: false, retry: false } });
    const summary = await stop(run);
    expect(summary.quirks).toMatchObject({ reordered: 3, settings: { seed: Number(seed), shuffleMs: 3000 } });
    return log.calls().map(([id]) => arrival.indexOf(id));
  }

  it('hands a window\'s deliveries over out of order, the same order for the same --seed', async () => {
    const first = await shuffledOrder('7');
    expect([...first].sort()).toEqual([0, 1, 2]);
    expect(first).not.toEqual([0, 1, 2]);
    expect(await shuffledOrder('7')).toEqual(first);
  });
});

describe('listen: the same decisions for the same --seed', () => {
  /** Six events, one at a time: for each, whether it was duplicated and how long it was held. */
  async function decisions(seed: string): Promise<Array<[boolean, number | null]>> {
    const log = handlerLog();
    const { run, ready } = await startListen(['--duplicate', '0.5', '--delay', '0ms-300ms', '--seed', seed], { QUIRKS_LOG: log.file });
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const id = await publish(ready);
      ids.push(id);
      await waitForEvents(run, id, 1);
    }
    const summary = await stop(run);
    const made = ids.map((id): [boolean, number | null] => [eventsOf(run, id).some((r) => r.quirks?.duplicate), eventsOf(run, id)[0]!.quirks?.delayedMs ?? null]);
    expect(summary.quirks.duplicates).toBe(made.filter(([duplicated]) => duplicated).length);
    // Every copy the session planned was delivered before the close, and the handler met it.
    for (const [index, id] of ids.entries()) expect(log.calls().filter(([seen]) => seen === id)).toHaveLength(made[index]![0] ? 2 : 1);
    return made;
  }

  it('repeats which events come twice and how long each is held, and another seed decides otherwise', async () => {
    const first = await decisions('42');
    expect(await decisions('42')).toEqual(first);
    expect(await decisions('43')).not.toEqual(first);
  });
});

describe('--retry', () => {
  it('listen: a session closing before a retry is due says which retry it did not make', async () => {
    const log = handlerLog();
    // Real time: the first retry would come in an hour.
    const { run, ready } = await startListen(['--retry', '--retry-speed', '1'], { QUIRKS_LOG: log.file, FAIL_UNTIL_ATTEMPT: '9' });
    const id = await publish(ready);
    await waitForEvents(run, id, 1);
    expect(eventsOf(run, id)[0]).toMatchObject({ outcome: 'error', attempt: 1 });
    const summary = await stop(run);
    expect(summary.quirks).toMatchObject({ retries: 0, succeeded: [], givenUp: [], notRetried: [{ eventId: id, eventType: 'customer.created', attempt: 2 }] });
  });

  it('trigger: a handler that fails its first attempts passes once a retry succeeds; ctx.attempt counts them', async () => {
    const dir = tempProject();
    const log = handlerLog();
    const run = runCli(['trigger', 'customer.created', '--offline', '--events', 'customer.created', '--handler', HANDLER, '--retry', '--retry-speed', '360000', '--json'], {
      cwd: dir,
      env: { QUIRKS_LOG: log.file, FAIL_UNTIL_ATTEMPT: '3' },
    });
    const { exitCode, triggers, events } = await finished(run);
    expect(exitCode, run.stderr()).toBe(0);
    expect(triggers[0]).toMatchObject({ outcome: 'passed', failures: [] });
    const id = events[0]!.event.id as string;
    expect(events.map((r) => [r.attempt, r.outcome, r.quirks?.retry ?? false])).toEqual([
      [1, 'error', false],
      [2, 'error', true],
      [3, 'ok', true],
    ]);
    expect(log.calls()).toEqual([
      [id, 1],
      [id, 2],
      [id, 3],
    ]);
    const summary = run.records.find((r) => r.type === 'summary')!;
    expect(summary.quirks).toMatchObject({ retries: 2, succeeded: [{ eventId: id, eventType: 'customer.created', attempt: 3 }], givenUp: [], notRetried: [] });
  });

  it('trigger --max-attempts 2: an event still failing is given up, the run fails (exit 20), and the pretty output shows each attempt', async () => {
    const dir = tempProject();
    const log = handlerLog();
    const run = runCli(['trigger', 'customer.created', '--offline', '--events', 'customer.created', '--handler', HANDLER, '--retry', '--retry-speed', '360000', '--max-attempts', '2', '--seed', '5'], {
      cwd: dir,
      env: { QUIRKS_LOG: log.file, FAIL_UNTIL_ATTEMPT: '9' },
    });
    const { exitCode } = await finished(run);
    expect(exitCode, run.stderr()).toBe(20);
    expect(log.calls().map(([, attempt]) => attempt)).toEqual([1, 2]);
    const [id] = log.calls()[0]!;
    expect(run.stdout()).toMatch(new RegExp(`customer\\.created\\s+${id}\\s+attempt 2\\s+retry`));
    expect(run.stderr()).toMatch(new RegExp(`given up: customer\\.created ${id} \\(after 2 attempts\\)`));
    expect(run.stderr()).toMatch(/quirks: 0 duplicates, 0 reordered, 0 delayed, 1 retry \(--seed 5 repeats them\)/);
  });
});

describe('trigger attached to a running listen', () => {
  it('refuses quirk options, which belong to the session, and says how to use them', async () => {
    const dir = tempProject();
    const listen = runCli(['listen', '--offline', '--json', '--port', '0'], { cwd: dir });
    await listen.waitForRecord((r) => r.type === 'ready', 30_000, 'the ready record');
    const trigger = runCli(['trigger', 'customer.created', '--duplicate', '1', '--seed', '3'], { cwd: dir });
    expect((await finished(trigger)).exitCode).toBe(2);
    expect(trigger.stderr()).toMatch(/--duplicate, --seed belong to the session/);
    expect(trigger.stderr()).toMatch(/webhook-dev trigger --standalone --duplicate/);
    await stop(listen);
  });

  it('waits for the retries of a listen started with --retry, and passes once one succeeds', async () => {
    const dir = tempProject();
    const log = handlerLog();
    const listen = runCli(['listen', '--offline', '--json', '--port', '0', '--handler', HANDLER, '--retry', '--retry-speed', '7200'], { cwd: dir, env: { QUIRKS_LOG: log.file, FAIL_UNTIL_ATTEMPT: '3' } });
    await listen.waitForRecord((r) => r.type === 'ready', 30_000, 'the ready record');
    // The retries take 0.5 s and 1 s: the trigger would be judged on the first failure without them.
    const trigger = runCli(['trigger', 'customer.created', '--json'], { cwd: dir });
    const { exitCode, triggers, events } = await finished(trigger);
    expect(exitCode, trigger.stderr()).toBe(0);
    expect(triggers[0]).toMatchObject({ outcome: 'passed', failures: [] });
    const created = events.filter((r) => r.event?.type === 'customer.created');
    expect(created.map((r) => [r.attempt, r.outcome])).toEqual([
      [1, 'error'],
      [2, 'error'],
      [3, 'ok'],
    ]);
    const summary = await stop(listen);
    expect(summary.quirks.succeeded).toContainEqual({ eventId: created[0]!.event.id, eventType: 'customer.created', attempt: 3 });
  });
});
