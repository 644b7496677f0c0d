import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signPayload } from '../../src/signature/sign-payload.js';
import { isAlive, killAllRuns, runCli, type CliRun, type JsonRecord } from '../helpers/run-cli.js';
import { jsonPost, sessionCredentials } from '../helpers/emulator-auth.js';
import { waitFor } from '../helpers/wait-for.js';

afterEach(killAllRuns);

const handler = 'test/fixtures/e2e/handler.ts';

async function startOffline(extra: string[] = []): Promise<{ run: CliRun; ready: JsonRecord }> {
  const run = runCli(['listen', '--offline', '--json', '--port', '0', '--handler', handler, ...extra]);
  const ready = await run.waitForRecord((r) => r.type === 'ready', 20_000, 'the ready record');
  return { run, ready };
}

async function publish(ready: JsonRecord, type: string, object: Record<string, unknown> = {}): Promise<string> {
  const response = await fetch(ready.publishUrl, jsonPost(sessionCredentials(ready), { type, object }));
  expect(response.status).toBe(200);
  return ((await response.json()) as { id: string }).id;
}

const eventRecord = (run: CliRun, id: string) => run.waitForRecord((r) => r.type === 'event' && r.event?.id === id, 15_000, `the event record for ${id}`);

describe('webhook-dev listen --offline (real Stripe CLI against the emulator)', () => {
  it('prints a ready record with the receiver, the CLI in use, the handler types and a masked secret', async () => {
    const { run, ready } = await startOffline();
    expect(ready).toMatchObject({
      type: 'ready',
      receiverUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/webhook$/),
      stripeCli: { version: '1.52.0', source: expect.any(String), path: expect.stringContaining('stripe') },
      events: ['charge.succeeded', 'customer.created', 'invoice.paid'],
      eventsSource: 'handler',
      offline: true,
      secret: expect.stringMatching(/^whsec_…[A-Za-z0-9]{4}$/),
    });
    run.kill('SIGINT');
    await run.exit();
    expect(run.stdout() + run.stderr()).not.toMatch(/whsec_[A-Za-z0-9]{8,}/);
  });

  it('runs the handler for a verified event and reports its value, logs and duration', async () => {
    const { run, ready } = await startOffline();
    const id = await publish(ready, 'customer.created', { email: 'jenny@example.com' });
    const record = await eventRecord(run, id);
    expect(record).toMatchObject({
      verified: true,
      status: 200,
      outcome: 'ok',
      attempt: 1,
      event: { id, type: 'customer.created', livemode: false },
      value: { welcomed: expect.stringMatching(/^cus_/), attempt: 1 },
      logs: [{ level: 'info', message: expect.stringContaining('jenny@example.com') }],
    });
    expect(record.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('reports a thrown error with the line in the user handler, answers 500, and goes on', async () => {
    const { run, ready } = await startOffline();
    const failing = await publish(ready, 'charge.succeeded');
    const record = await eventRecord(run, failing);
    expect(record).toMatchObject({ status: 500, outcome: 'error', error: { message: expect.stringMatching(/^cannot reconcile ch_/) } });
    expect(record.error.location).toMatch(/test\/fixtures\/e2e\/handler\.ts:12:\d+$/);
    const next = await publish(ready, 'customer.created');
    expect(await eventRecord(run, next)).toMatchObject({ outcome: 'ok' });
  });

  it('fails a handler that runs past --handler-timeout and answers 500', async () => {
    const { run, ready } = await startOffline(['--handler-timeout', '300ms']);
    const id = await publish(ready, 'invoice.paid');
    expect(await eventRecord(run, id)).toMatchObject({ status: 500, outcome: 'timeout' });
  });

  it('rejects a forged delivery with the reason and never runs the handler', async () => {
    const { run, ready } = await startOffline();
    const body = JSON.stringify({ id: 'evt_forged', object: 'event', type: 'customer.created', created: 1, livemode: false, data: { object: { id: 'cus_x' } } });
    const forged = await fetch(ready.receiverUrl, { method: 'POST', body, headers: { 'stripe-signature': signPayload(body, { secret: 'whsec_attacker' }) } });
    expect(forged.status).toBe(400);
    const unsigned = await fetch(ready.receiverUrl, { method: 'POST', body });
    expect(unsigned.status).toBe(400);
    await waitFor(() => run.records.filter((r) => r.type === 'event' && r.event?.id === 'evt_forged').length === 2, { description: 'two rejection records' });
    const rejections = run.records.filter((r) => r.type === 'event' && r.event?.id === 'evt_forged');
    expect(rejections.map((r) => [r.outcome, r.verified, r.rejection?.reason])).toEqual([
      ['rejected', false, 'signature_mismatch'],
      ['rejected', false, 'missing_header'],
    ]);
    expect(rejections.every((r) => r.logs.length === 0 && r.value === null)).toBe(true);
  });

  it('on Ctrl-C stops the Stripe CLI, prints a summary and exits 130 with nothing left running', async () => {
    const { run, ready } = await startOffline();
    await eventRecord(run, await publish(ready, 'customer.created'));
    await eventRecord(run, await publish(ready, 'charge.succeeded'));
    await waitFor(() => run.descendants.size > 0, { description: 'the Stripe CLI child to be seen' });
    run.kill('SIGINT');
    const { exitCode } = await run.exit();
    expect(exitCode).toBe(130);
    const summary = run.records.at(-1);
    expect(summary).toMatchObject({ type: 'summary', events: 2, ok: 1, failed: 1, rejected: 0, exitCode: 130, reason: 'SIGINT' });
    await waitFor(() => [...run.descendants].every((pid) => !isAlive(pid)), { timeoutMs: 5_000, description: 'every child to be gone' });
  });

  it('on SIGTERM exits 143', async () => {
    const { run } = await startOffline();
    run.kill('SIGTERM');
    expect((await run.exit()).exitCode).toBe(143);
    expect(run.records.at(-1)).toMatchObject({ type: 'summary', exitCode: 143, reason: 'SIGTERM' });
    await waitFor(() => [...run.descendants].every((pid) => !isAlive(pid)), { timeoutMs: 5_000, description: 'every child to be gone' });
  });

  it('warns about an event type the Stripe CLI does not know', async () => {
    const run = runCli(['listen', '--offline', '--json', '--port', '0', '--events', 'customer.created,customer.craeted']);
    await run.waitForRecord((r) => r.type === 'ready');
    expect(run.records.find((r) => r.type === 'notice' && r.level === 'warn')?.message).toContain('"customer.craeted"');
  });

  it('writes nothing but JSON records to stdout in --json mode', async () => {
    const { run, ready } = await startOffline();
    await eventRecord(run, await publish(ready, 'customer.created'));
    run.kill('SIGINT');
    await run.exit();
    const lines = run.stdout().trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
  });
});

describe('webhook-dev listen --offline: start-up and clean-up', () => {
  it("is ready once the CLI's websocket is up, even when the CLI never prints its Ready line", async () => {
    const fake = 'test/fixtures/fake-stripe/stripe-connects-silently';
    const run = runCli(['listen', '--offline', '--json', '--port', '0', '--stripe-bin', fake]);
    const ready = await run.waitForRecord((r) => r.type === 'ready', 20_000, 'the ready record');
    expect(ready).toMatchObject({ offline: true, apiVersion: expect.any(String), secret: expect.stringMatching(/^whsec_…/) });
    run.kill('SIGINT');
    expect((await run.exit()).exitCode).toBe(130);
  });

  it("clears the config folder a killed session left in the temp folder, and removes its own on exit", async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'webhook-dev-test-tmp-'));
    try {
      const stale = join(tmp, 'webhook-dev-stripe-999999999-abcdef');
      mkdirSync(join(stale, 'stripe'), { recursive: true });
      const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60 * 1000);
      utimesSync(stale, twoDaysAgo, twoDaysAgo);
      const run = runCli(['listen', '--offline', '--json', '--port', '0'], { env: { TMPDIR: tmp } });
      await run.waitForRecord((r) => r.type === 'ready', 20_000, 'the ready record');
      await waitFor(() => !existsSync(stale), { description: 'the stale folder to be removed' });
      expect(readdirSync(tmp)).toEqual([expect.stringMatching(new RegExp(`^webhook-dev-stripe-${run.pid}-`))]);
      run.kill('SIGINT');
      await run.exit();
      expect(readdirSync(tmp)).toEqual([]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
