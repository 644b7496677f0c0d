/**
 * The watchdog around `stripe listen`, end to end: the built webhook-dev, the real Stripe CLI, the
 * offline emulator made to misbehave. Each test breaks the CLI one way, publishes events while it
 * is broken, and checks that the stall was reported (start and end), that a new CLI took over,
 * and that every event of the gap reached the handler exactly once. Thresholds are shortened with
 * WEBHOOK_DEV_WATCHDOG so the tests wait less; nothing here asserts on how long anything took.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { jsonPost, sessionCredentials } from '../helpers/emulator-auth.js';
import { isAlive, killAllRuns, runCli, type CliRun, type JsonRecord } from '../helpers/run-cli.js';
import { handledIdsFile, RECORD_IDS_HANDLER, stopStripeListen, stripeListenPid } from '../helpers/watchdog-session.js';
import { waitFor } from '../helpers/wait-for.js';

const cleanups: Array<() => void> = [];
afterEach(async () => {
  await killAllRuns();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

vi.setConfig({ testTimeout: 90_000 });

const FAST = 'stallAfterMs=2500,checkEveryMs=250,backoffMs=200,maxBackoffMs=1000';

interface Session {
  run: CliRun;
  ready: JsonRecord;
  /** Event ids the handler saw, one per call, in order. */
  handled(): string[];
}

async function startSession({ watchdog = FAST }: { watchdog?: string } = {}): Promise<Session> {
  const ids = handledIdsFile();
  cleanups.push(ids.remove);
  const run = runCli(['listen', '--offline', '--json', '--port', '0', '--handler', RECORD_IDS_HANDLER], { env: { WEBHOOK_DEV_WATCHDOG: watchdog, RECORD_IDS_FILE: ids.file } });
  const ready = await run.waitForRecord((r) => r.type === 'ready', 30_000, 'the ready record');
  return { run, ready, handled: ids.handled };
}

async function publish(session: Session, type = 'customer.created'): Promise<string> {
  const response = await fetch(session.ready.publishUrl, jsonPost(sessionCredentials(session.ready), { type }));
  expect(response.status).toBe(200);
  return ((await response.json()) as { id: string }).id;
}

async function fault(session: Session, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const url = session.ready.publishUrl.replace(/\/events$/, '/faults');
  const response = await fetch(url, jsonPost(sessionCredentials(session.ready), body));
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

const stallRecord = (run: CliRun, phase: 'started' | 'ended', nth = 1) =>
  run.waitForRecord((r) => r.type === 'stall' && r.phase === phase && run.records.filter((x) => x.type === 'stall' && x.phase === phase).indexOf(r) === nth - 1, 30_000, `stall ${phase} #${nth}`);

/** Every id handled exactly once, and one event record each, none of them marked recovered (offline, the emulator resends). */
async function expectDeliveredOnce(session: Session, ids: string[]): Promise<void> {
  for (const id of ids) await session.run.waitForRecord((r) => r.type === 'event' && r.event?.id === id, 30_000, `the event record for ${id}`);
  const handled = session.handled();
  for (const id of ids) expect(handled.filter((seen) => seen === id), `handler calls for ${id}`).toHaveLength(1);
  for (const id of ids) {
    const records = session.run.records.filter((r) => r.type === 'event' && r.event?.id === id);
    expect(records, `event records for ${id}`).toHaveLength(1);
    expect(records[0]).toMatchObject({ outcome: 'ok', verified: true, recovered: false, value: id });
  }
}

describe('listen: a stalled or dead Stripe CLI is noticed, replaced, and nothing sent meanwhile is lost (offline)', () => {
  it('SIGSTOP: noticed from the process state, the stopped CLI is killed and replaced, the gap delivered once', async () => {
    const session = await startSession();
    const first = await publish(session);
    await session.run.waitForRecord((r) => r.type === 'event' && r.event?.id === first, 15_000, 'the first event');
    const { pid: stopped, resume } = await stopStripeListen(session.run);
    cleanups.push(resume);
    // Published while the CLI is stopped: the emulator writes them to its socket, nobody reads them.
    const gap = [await publish(session), await publish(session, 'payment_intent.succeeded')];
    const started = await stallRecord(session.run, 'started');
    expect(started).toMatchObject({ cause: 'stopped', pid: stopped, restarting: true, detail: expect.stringContaining('stopped') });
    const ended = await stallRecord(session.run, 'ended');
    expect(ended).toMatchObject({ cause: 'stopped', attempts: 1, secretChanged: false });
    expect(ended.pid).not.toBe(stopped);
    expect(ended.durationMs).toBeGreaterThan(0);
    await waitFor(() => !isAlive(stopped), { description: 'the stopped CLI to be gone' });
    await expectDeliveredOnce(session, [first, ...gap]);
    // The replacement works like the first: a new event arrives, signed with the same secret.
    const after = await publish(session);
    await expectDeliveredOnce(session, [after]);
  });

  it('SIGKILL, and reconnects refused for a while: the emulator keeps what it could not send, the new CLI (same secret) gets it once', async () => {
    const session = await startSession();
    const killed = await stripeListenPid(session.run);
    // No new CLI gets in until the gap's events are published, so they wait in the emulator.
    await fault(session, { refuseSessions: 1_000 });
    process.kill(killed, 'SIGKILL');
    expect(await stallRecord(session.run, 'started')).toMatchObject({ cause: 'exited', pid: killed, detail: expect.stringContaining('SIGKILL') });
    await session.run.waitForRecord((r) => r.type === 'notice' && /Restarting the Stripe CLI failed \(attempt 1\).*trying again/.test(r.message), 15_000, 'a refused restart');
    const gap = [await publish(session), await publish(session)];
    expect(session.run.records.some((r) => r.type === 'event' && gap.includes(r.event?.id))).toBe(false);
    await fault(session, { refuseSessions: 0 });
    const ended = await stallRecord(session.run, 'ended');
    expect(ended).toMatchObject({ cause: 'exited', secretChanged: false });
    expect(ended.attempts).toBeGreaterThan(1);
    expect(await stripeListenPid(session.run)).toBe(ended.pid);
    await expectDeliveredOnce(session, gap);
    session.run.kill('SIGINT');
    expect((await session.run.exit()).exitCode).toBe(130);
  });

  it('a websocket dropped silently (no close, no data): noticed by the missing keep-alive, replaced, the gap delivered once', async () => {
    const session = await startSession();
    const before = await stripeListenPid(session.run);
    expect(await fault(session, { dropSockets: true })).toMatchObject({ dropped: 1 });
    const gap = [await publish(session), await publish(session)];
    expect(await stallRecord(session.run, 'started')).toMatchObject({ cause: 'silent', pid: before, detail: expect.stringContaining('keep-alive') });
    const ended = await stallRecord(session.run, 'ended');
    expect(ended.pid).not.toBe(before);
    await expectDeliveredOnce(session, gap);
  });

  it('pings no longer answered: noticed as silent; once the server answers again the replacement holds', async () => {
    const session = await startSession();
    await fault(session, { answerPings: false });
    expect(await stallRecord(session.run, 'started')).toMatchObject({ cause: 'silent' });
    await fault(session, { answerPings: true });
    await stallRecord(session.run, 'ended');
    const after = await publish(session);
    await expectDeliveredOnce(session, [after]);
  });

  it('a jump of the wall clock (the machine slept): noticed, the CLI replaced, the gap as long as the sleep', async () => {
    const offsetFile = join(mkdtempSync(join(tmpdir(), 'webhook-dev-clock-')), 'offset');
    cleanups.push(() => rmSync(join(offsetFile, '..'), { recursive: true, force: true }));
    writeFileSync(offsetFile, '0');
    const session = await startSession({ watchdog: `${FAST},wallClockOffsetFile=${offsetFile}` });
    const before = await stripeListenPid(session.run);
    // An hour passes on the wall clock as the watchdog reads it, none on the monotonic clock.
    writeFileSync(offsetFile, String(3_600_000));
    expect(await stallRecord(session.run, 'started')).toMatchObject({ cause: 'clock-jump', pid: before, detail: expect.stringContaining('slept') });
    const ended = await stallRecord(session.run, 'ended');
    expect(ended.durationMs).toBeGreaterThanOrEqual(3_600_000);
    expect(ended.pid).not.toBe(before);
    const after = await publish(session);
    await expectDeliveredOnce(session, [after]);
  });

  it('gives up after maxFailures restarts fail in a row: exit 7, each failure said, nothing left running', async () => {
    const session = await startSession({ watchdog: `${FAST},maxFailures=2` });
    await fault(session, { refuseSessions: 10 });
    process.kill(await stripeListenPid(session.run), 'SIGKILL');
    const result = await session.run.exit();
    expect(result.exitCode).toBe(7);
    const error = session.run.records.find((r) => r.type === 'error');
    expect(error).toMatchObject({ code: 'STRIPE_CLI_EXITED', message: expect.stringMatching(/could not be restarted \(2 attempts in a row\)/) });
    expect(error?.hint).toEqual(expect.any(String));
    const failures = session.run.records.filter((r) => r.type === 'notice' && /Restarting the Stripe CLI failed/.test(r.message));
    expect(failures.map((r) => r.message)).toEqual([expect.stringContaining('trying again'), expect.stringContaining('giving up')]);
    expect(session.run.records.at(-1)).toMatchObject({ type: 'summary', exitCode: 7, reason: 'stripe-cli-exited' });
    await waitFor(() => [...session.run.descendants].every((pid) => !isAlive(pid)), { description: 'every child to be gone' });
  });
});

describe('trigger: a CI check does not wait out a stalled Stripe CLI', () => {
  it('SIGSTOP during a trigger: exit 7 at once, the stall said, no restart, nothing left running', async () => {
    const run = runCli(['trigger', 'customer.created', '--offline', '--json', '--handler', 'test/fixtures/handlers/hangs.ts', '--handler-timeout', '60s', '--timeout', '60s'], {
      env: { WEBHOOK_DEV_WATCHDOG: 'checkEveryMs=250' },
    });
    await run.waitForRecord((r) => r.type === 'ready', 30_000, 'the ready record');
    const { pid: stopped, resume } = await stopStripeListen(run);
    cleanups.push(resume);
    const result = await run.exit();
    expect(result.exitCode).toBe(7);
    expect(run.records.filter((r) => r.type === 'stall')).toEqual([expect.objectContaining({ phase: 'started', cause: 'stopped', pid: stopped, restarting: false })]);
    expect(run.records.find((r) => r.type === 'error')).toMatchObject({ code: 'STRIPE_CLI_EXITED', message: expect.stringMatching(/^The Stripe CLI was stopped .*no more events can arrive/) });
    await waitFor(() => [...run.descendants].every((pid) => !isAlive(pid)), { description: 'every child to be gone' });
  });
});
