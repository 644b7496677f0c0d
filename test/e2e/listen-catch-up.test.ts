/**
 * Catch-up after a stalled `stripe listen`, online: the built webhook-dev in online mode (a key,
 * `--api-base`) against an emulator this test runs and makes behave like Stripe, which keeps
 * nothing for a CLI that is away (`loseEventsWhileAway`) but lists every event in its Events API.
 * Events published while the CLI is broken never reach it; after the replacement is ready
 * webhook-dev lists them with the CLI's own credentials (`stripe get /v1/events`) and delivers the
 * ones it never received, marked recovered, each exactly once.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { unusedPort } from '../helpers/unused-port.js';
import { buildEvent, startEmulator, type Emulator } from '../../src/emulator/start-emulator.js';
import { killAllRuns, runCli, type CliRun, type JsonRecord } from '../helpers/run-cli.js';
import { handledIdsFile, RECORD_IDS_HANDLER, stopStripeListen, stripeListenPid } from '../helpers/watchdog-session.js';

vi.setConfig({ testTimeout: 90_000 });

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  await killAllRuns();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const FAST = 'stallAfterMs=2500,checkEveryMs=250,backoffMs=200,maxBackoffMs=1000';

interface OnlineSession {
  run: CliRun;
  emulator: Emulator;
  handled(): string[];
}

async function startOnline(events: string): Promise<OnlineSession> {
  const emulator = await startEmulator({ faults: { loseEventsWhileAway: true } });
  cleanups.push(() => emulator.close());
  const ids = handledIdsFile();
  cleanups.push(ids.remove);
  const run = runCli(['listen', '--json', '--port', '0', '--api-base', emulator.apiBase, '--events', events, '--handler', RECORD_IDS_HANDLER], {
    env: { STRIPE_API_KEY: emulator.apiKey, WEBHOOK_DEV_WATCHDOG: FAST, RECORD_IDS_FILE: ids.file },
  });
  const ready = await run.waitForRecord((r) => r.type === 'ready', 30_000, 'the ready record');
  expect(ready).toMatchObject({ offline: false, apiBase: emulator.apiBase });
  return { run, emulator, handled: ids.handled };
}

const eventRecords = (run: CliRun, id: string): JsonRecord[] => run.records.filter((r) => r.type === 'event' && r.event?.id === id);

function expectOnce(session: OnlineSession, id: string, recovered: boolean): void {
  expect(session.handled().filter((seen) => seen === id), `handler calls for ${id}`).toHaveLength(1);
  const records = eventRecords(session.run, id);
  expect(records, `event records for ${id}`).toHaveLength(1);
  expect(records[0]).toMatchObject({ verified: true, outcome: 'ok', recovered });
}

describe('listen online: the events of a gap are caught up through the Events API', () => {
  it('SIGSTOP: the events sent to the stopped CLI are recovered once, marked recovered; other types and earlier events are not resent', async () => {
    const session = await startOnline('customer.created,payment_intent.succeeded');
    const before = session.emulator.publish({ type: 'customer.created' });
    await session.run.waitForRecord((r) => r.type === 'event' && r.event?.id === before.id, 15_000, 'the event before the gap');
    const { resume } = await stopStripeListen(session.run);
    cleanups.push(resume);
    const gap = [session.emulator.publish({ type: 'customer.created' }), session.emulator.publish({ type: 'payment_intent.succeeded' })];
    // Not subscribed: listed by the API but not owed.
    const other = session.emulator.publish({ type: 'charge.succeeded' });
    await session.run.waitForRecord((r) => r.type === 'stall' && r.phase === 'ended', 30_000, 'the stall to end');
    const catchUp = await session.run.waitForRecord((r) => r.type === 'catch-up', 30_000, 'the catch-up record');
    expect(catchUp).toMatchObject({ recovered: 2, failed: [], tooOld: null, error: null });
    expect(catchUp.alreadyReceived).toBeGreaterThanOrEqual(1);
    for (const event of gap) await session.run.waitForRecord((r) => r.type === 'event' && r.event?.id === event.id, 15_000, `the recovered ${event.id}`);
    for (const event of gap) expectOnce(session, event.id, true);
    expectOnce(session, before.id, false);
    expect(eventRecords(session.run, other.id)).toHaveLength(0);
    // After the catch-up the new CLI delivers as usual.
    const after = session.emulator.publish({ type: 'customer.created' });
    await session.run.waitForRecord((r) => r.type === 'event' && r.event?.id === after.id, 15_000, 'an event after the gap');
    expectOnce(session, after.id, false);
  });

  it('SIGKILL: events published while no CLI listens are recovered once; a gap reaching past 30 days says what cannot be', async () => {
    const session = await startOnline('customer.created');
    // The last delivery before the gap is 40 days old: the window starts there, beyond what Stripe lists.
    const old = buildEvent('customer.created', { apiVersion: session.emulator.apiVersion, now: Date.now() - 40 * 24 * 3600 * 1000 });
    session.emulator.publish({ event: old });
    await session.run.waitForRecord((r) => r.type === 'event' && r.event?.id === old.id, 15_000, 'the old event');
    // No new CLI gets in until the gap's events are published (Stripe refusing, as after a network change).
    session.emulator.faults.set({ refuseSessions: 1_000 });
    process.kill(await stripeListenPid(session.run), 'SIGKILL');
    await session.run.waitForRecord((r) => r.type === 'notice' && /Restarting the Stripe CLI failed \(attempt 1\)/.test(r.message), 15_000, 'a refused restart');
    const gap = [session.emulator.publish({ type: 'customer.created' }), session.emulator.publish({ type: 'customer.created' })];
    session.emulator.faults.set({ refuseSessions: 0 });
    expect(await session.run.waitForRecord((r) => r.type === 'stall' && r.phase === 'ended', 30_000, 'the stall to end')).toMatchObject({ cause: 'exited', attempts: expect.any(Number) });
    const catchUp = await session.run.waitForRecord((r) => r.type === 'catch-up', 30_000, 'the catch-up record');
    expect(catchUp).toMatchObject({ recovered: 2, failed: [], error: null, tooOld: { since: new Date(old.created * 1000).toISOString() } });
    for (const event of gap) expectOnce(session, event.id, true);
    expectOnce(session, old.id, false);
  });

  it('a replacement that brings a new signing secret: verified with it, the --write-env file rewritten, the app restarted with it', async () => {
    const emulator = await startEmulator();
    cleanups.push(() => emulator.close());
    const dir = mkdtempSync(join(tmpdir(), 'webhook-dev-new-secret-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const envFile = join(dir, '.env');
    const port = await unusedPort();
    const run = runCli(
      ['listen', '--json', '--port', '0', '--api-base', emulator.apiBase, '--events', 'customer.created', '--forward-to', `http://127.0.0.1:${port}/webhook`, '--write-env', envFile, '--', process.execPath, 'test/fixtures/apps/express-server.mjs'],
      { env: { STRIPE_API_KEY: emulator.apiKey, WEBHOOK_DEV_WATCHDOG: FAST, PORT: String(port) } },
    );
    await run.waitForRecord((r) => r.type === 'ready', 30_000, 'the ready record');
    const before = emulator.publish({ type: 'customer.created' });
    expect(await run.waitForRecord((r) => r.type === 'event' && r.event?.id === before.id, 15_000, 'the event before')).toMatchObject({ verified: true, forward: { status: 200 } });
    const newSecret = `whsec_${'N3wSecretForTheAccount'.repeat(2)}`;
    emulator.faults.set({ signingSecret: newSecret });
    process.kill(await stripeListenPid(run), 'SIGKILL');
    expect(await run.waitForRecord((r) => r.type === 'stall' && r.phase === 'ended', 30_000, 'the stall to end')).toMatchObject({ secretChanged: true });
    expect(run.records.some((r) => r.type === 'notice' && /Restarting your app/.test(r.message))).toBe(true);
    expect(readFileSync(envFile, 'utf8')).toContain(`STRIPE_WEBHOOK_SECRET=${newSecret}`);
    // Signed with the new secret: webhook-dev verifies it, and so does the restarted app.
    const after = emulator.publish({ type: 'customer.created' });
    expect(await run.waitForRecord((r) => r.type === 'event' && r.event?.id === after.id, 15_000, 'the event after')).toMatchObject({ verified: true, forward: { status: 200 } });
    expect(run.stdout() + run.stderr()).not.toContain(newSecret);
  });
});

