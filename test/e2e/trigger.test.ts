import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { binPath, listDescendants, projectRoot, runCli } from '../helpers/run-cli.js';
import { cleanUpAfterEach, finished, tempProject } from '../helpers/trigger-runs.js';
import { offlineTriggers } from '../../src/emulator/offline-triggers.js';
import { knownTriggers } from '../../src/stripe-cli/known-triggers.js';

const handler = join(projectRoot, 'test/fixtures/e2e/handler.ts');
cleanUpAfterEach();

describe('webhook-dev trigger --offline (standalone: one command for CI)', () => {
  it('triggers, shows the events and how the handler did, and exits 0', async () => {
    const started = Date.now();
    // Offline, the emulator says what it sent: no waiting out the (here very long) quiet period.
    const run = runCli(['trigger', 'customer.created', '--offline', '--handler', handler, '--json', '--quiet-period', '20s']);
    const { exitCode, triggers, events } = await finished(run);
    expect(exitCode, run.stderr()).toBe(0);
    expect(triggers).toEqual([
      expect.objectContaining({ trigger: 'customer.created', outcome: 'passed', stripeExitCode: 0, missing: [], failures: [], events: [expect.objectContaining({ type: 'customer.created', outcome: 'ok' })] }),
    ]);
    expect(events[0]).toMatchObject({ event: { type: 'customer.created' }, outcome: 'ok', value: { welcomed: expect.stringMatching(/^cus_/) } });
    expect(run.records.at(-1)).toMatchObject({ type: 'summary', exitCode: 0, events: 1, ok: 1 });
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('a handler that fails its event type exits 20 and the JUnit report names the error', async () => {
    const dir = tempProject();
    const junit = join(dir, 'report.xml');
    const run = runCli(['trigger', 'charge.succeeded', '--offline', '--handler', handler, '--json', '--junit', junit]);
    const { exitCode, triggers } = await finished(run);
    expect(exitCode, run.stderr()).toBe(20);
    expect(triggers[0]).toMatchObject({ outcome: 'handler-failed', failures: [expect.objectContaining({ verdict: 'handler-failed', message: expect.stringContaining('cannot reconcile') })] });
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<testcase classname="webhook-dev.trigger" name="charge.succeeded"');
    expect(xml).toMatch(/<failure type="handler-failed" message="charge.succeeded handler threw Error: cannot reconcile ch_\w+">/);
    expect(xml).toContain('test/fixtures/e2e/handler.ts:12');
  });

  it('an expected event that never comes exits 22 within the deadline', async () => {
    const started = Date.now();
    const run = runCli(['trigger', 'customer.created', '--expect', 'invoice.paid', '--timeout', '2s', '--offline', '--json']);
    const { exitCode, triggers } = await finished(run);
    expect(exitCode, run.stderr()).toBe(22);
    expect(triggers[0]).toMatchObject({ outcome: 'timeout', missing: ['invoice.paid'] });
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('a trigger the emulator cannot run fails before anything starts: exit 23, how to run it online', async () => {
    // Whatever the emulator does not cover yet: the check must hold for every such name.
    const uncovered = knownTriggers.find((name) => !offlineTriggers.includes(name));
    expect(uncovered, 'every trigger runs offline: this test needs another way to reach the check').toBeDefined();
    const run = runCli(['trigger', uncovered!, '--offline', '--json']);
    const { exitCode, triggers } = await finished(run);
    expect(exitCode, run.stderr()).toBe(23);
    expect(triggers).toEqual([]);
    expect(run.records.find((r) => r.type === 'error')).toMatchObject({ code: 'TRIGGER_FAILED', message: expect.stringContaining(uncovered!), hint: expect.stringContaining('trigger --list') });
    expect(run.descendants.size, 'no Stripe CLI was started').toBe(0);
  });

  it('a misspelt trigger fails at once with exit 2 and the names it resembles', async () => {
    const run = runCli(['trigger', 'Payment-Intent', '--offline', '--json']);
    const { exitCode } = await finished(run);
    expect(exitCode, run.stderr()).toBe(2);
    expect(run.records.find((r) => r.type === 'error')).toMatchObject({ code: 'USAGE', message: expect.stringContaining('did you mean payment_intent.'), hint: expect.stringContaining('trigger --list') });
    expect(run.descendants.size, 'no Stripe CLI was started').toBe(0);
  });

  it('waits for the event a trigger causes, when it is not named after it (subscription.payment_failed → invoice.payment_failed)', async () => {
    const run = runCli(['trigger', 'subscription.payment_failed', '--offline', '--json', '--timeout', '10s']);
    const { exitCode, triggers } = await finished(run);
    expect(exitCode, run.stderr()).toBe(0);
    expect(triggers[0]).toMatchObject({ trigger: 'subscription.payment_failed', outcome: 'passed', expected: ['invoice.payment_failed'] });
  });

  it('piped, keeps one order (banner, trigger, its events, its verdict) and drops the hints meant for a terminal', async () => {
    // Both streams into one pipe, as `2>&1 | tee` or a CI log shows them.
    const merged = await execa('sh', ['-c', `"${process.execPath}" "${binPath}" trigger customer.created --offline --handler "${handler}" 2>&1`], {
      cwd: projectRoot,
      env: { NO_COLOR: '1', STRIPE_CLI_TELEMETRY_OPTOUT: '1' },
      reject: false,
    });
    expect(merged.exitCode, merged.stdout).toBe(0);
    const lines = merged.stdout.split('\n');
    const at = (pattern: RegExp) => lines.findIndex((line) => pattern.test(line));
    const order = [at(/Ready {2}receiving/), at(/▶ trigger customer\.created/), at(/customer\.created {2}evt_/), at(/✓ trigger customer\.created passed/), at(/^1 event:/)];
    expect(order.every((index) => index >= 0), merged.stdout).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(merged.stdout).not.toContain('Ctrl-C');
    expect(merged.stdout).not.toContain('curl');
  });

  it('runs two triggers in order and reports each separately', async () => {
    const run = runCli(['trigger', 'customer.created', 'charge.succeeded', '--offline', '--handler', handler, '--json']);
    const { exitCode, triggers } = await finished(run);
    expect(exitCode).toBe(20);
    expect(triggers.map((t) => [t.trigger, t.outcome])).toEqual([
      ['customer.created', 'passed'],
      ['charge.succeeded', 'handler-failed'],
    ]);
  });

  it('--list shows the Stripe CLI triggers and which work offline', async () => {
    const run = runCli(['trigger', '--list', '--json']);
    expect((await run.exit()).exitCode).toBe(0);
    const list = run.records.find((r) => r.type === 'triggers');
    const rows = list?.triggers as { name: string; offline: boolean; reason?: string }[];
    const byName = new Map(rows.map((t) => [t.name, t.offline]));
    expect(byName.get('payment_intent.succeeded')).toBe(true);
    expect(byName.get('issuing_card.created')).toBe(true);
    expect(byName.get('coupon.created')).toBe(true);
    // Each trigger that cannot run offline says why.
    for (const row of rows.filter((t) => !t.offline)) expect(row.reason, row.name).toBeTruthy();
    const reasons = new Map(rows.map((t) => [t.name, t.reason]));
    expect(reasons.get('subscription_schedule.completed')).toContain('test clock');
    expect(byName.get('v1.billing.meter.no_meter_found')).toBe(true);
    expect(reasons.get('payment_intent.succeeded')).toBeUndefined();
  });
});

describe('webhook-dev trigger attached to a running webhook-dev listen', () => {
  it('finds the session of the project, triggers through its emulator, and both terminals show the event', async () => {
    const dir = tempProject();
    const listen = runCli(['listen', '--offline', '--json', '--port', '0', '--handler', handler], { cwd: dir });
    await listen.waitForRecord((r) => r.type === 'ready');
    const files = readdirSync(join(dir, '.webhook-dev', 'sessions')).sort();
    // The session file, and offline the curl config that carries its token for the publish examples.
    expect(files).toEqual([`${listen.pid}.curl`, `${listen.pid}.json`]);
    expect(readFileSync(join(dir, '.webhook-dev', '.gitignore'), 'utf8')).toContain('*');

    // A long quiet period that would show: offline, the session relays what its emulator sent, so
    // the trigger ends when that has arrived instead of waiting the quiet period out.
    const started = Date.now();
    const trigger = runCli(['trigger', 'customer.created', '--json', '--quiet-period', '20s'], { cwd: dir });
    const { exitCode, triggers, events } = await finished(trigger);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(exitCode, trigger.stderr()).toBe(0);
    expect(trigger.records.find((r) => r.type === 'notice')?.message).toMatch(new RegExp(`Attached to webhook-dev listen \\(pid ${listen.pid}, offline\\)`));
    expect(triggers[0]).toMatchObject({ outcome: 'passed' });
    const id = events[0]?.event.id;
    expect(events[0]).toMatchObject({ outcome: 'ok', value: { welcomed: expect.stringMatching(/^cus_/) } });
    await listen.waitForRecord((r) => r.type === 'event' && r.event?.id === id, 5_000, 'the same event in the listen terminal');

    listen.kill('SIGINT');
    expect((await listen.exit()).exitCode).toBe(130);
    expect(readdirSync(join(dir, '.webhook-dev', 'sessions'))).toEqual([]);
  });

  it('a delivery that fails verification during the trigger exits 21', async () => {
    const dir = tempProject();
    const listen = runCli(['listen', '--offline', '--json', '--port', '0'], { cwd: dir });
    const ready = await listen.waitForRecord((r) => r.type === 'ready');
    const trigger = runCli(['trigger', 'customer.created', '--expect', 'customer.created,invoice.paid', '--timeout', '15s', '--json'], { cwd: dir });
    // Once the trigger's own event is in, a forged delivery lands in the same window.
    await listen.waitForRecord((r) => r.type === 'event' && r.event?.type === 'customer.created', 10_000, 'the triggered event');
    const body = JSON.stringify({ id: 'evt_forged', object: 'event', type: 'invoice.paid', created: 1, livemode: false, data: { object: { id: 'in_x' } } });
    const forged = await fetch(ready.receiverUrl, { method: 'POST', body, headers: { 'stripe-signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` } });
    expect(forged.status).toBe(400);
    const { exitCode, triggers } = await finished(trigger);
    expect(exitCode, trigger.stderr()).toBe(21);
    expect(triggers[0]).toMatchObject({ outcome: 'verification-failed', failures: [expect.objectContaining({ verdict: 'verification-failed', eventId: 'evt_forged' })] });
  });

  it('ignores the session file of a killed session', async () => {
    const dir = tempProject();
    // A SIGKILLed session cannot delete its offline Stripe CLI config folder: keep it in the project.
    const tmp = join(dir, 'tmp');
    mkdirSync(tmp);
    const listen = runCli(['listen', '--offline', '--json', '--port', '0'], { cwd: dir, env: { TMPDIR: tmp } });
    await listen.waitForRecord((r) => r.type === 'ready');
    const children = listDescendants(listen.pid);
    // Its watchdog first: it would delete the session file once listen is gone (an OOM kill of
    // the whole tree leaves the file, which is the case under test).
    const watchdog = children.find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('webhook-dev-watchdog'));
    process.kill(watchdog!, 'SIGKILL');
    listen.kill('SIGKILL');
    await listen.exit();
    for (const pid of children) if (pid !== watchdog) process.kill(pid, 'SIGKILL');
    expect(readdirSync(join(dir, '.webhook-dev', 'sessions')).sort()).toEqual([`${listen.pid}.curl`, `${listen.pid}.json`]);

    const trigger = runCli(['trigger', 'customer.created', '--attach', '--json'], { cwd: dir });
    const { exitCode } = await finished(trigger);
    expect(exitCode, trigger.stderr()).toBe(24);
    expect(trigger.records.find((r) => r.type === 'error')).toMatchObject({ code: 'SESSION_NOT_FOUND' });
    // Without --attach it starts a session of its own instead.
    const standalone = runCli(['trigger', 'customer.created', '--offline', '--json'], { cwd: dir });
    expect((await finished(standalone)).exitCode).toBe(0);
  });
});
