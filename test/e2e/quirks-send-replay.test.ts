/**
 * The delivery quirks on `send` and `replay` without a session, end to end through the built
 * binary: to a handler of its own (which sees ctx.attempt) and to the Stripe docs' Express sample
 * (which verifies every copy's fresh signature). Replay reads what a real `trigger --offline` (the
 * real Stripe CLI against the emulator) journaled.
 */
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExpressApp } from '../fixtures/apps/express-app.mjs';
import { binPath, killAllRuns, runCli, type JsonRecord } from '../helpers/run-cli.js';

const UNMASKED_SECRET = /whsec_[A-Za-z0-9]{10,}|sk_test_[A-Za-z0-9]{10,}/;
const appSecret = 'whsec_e2eQuirksSendSecret0123456789abcdef';

// Fails the first two attempts at a customer, never a charge; every call is logged with its attempt.
const HANDLER = `import { appendFileSync } from 'node:fs';
const called = (event, ctx) => appendFileSync(new URL('./calls.log', import.meta.url), event.id + ' ' + ctx.attempt + '\\n');
export default {
  'customer.created': (event, ctx) => { called(event, ctx); if (ctx.attempt < 3) throw new Error('database busy'); return { attempt: ctx.attempt }; },
  'invoice.paid': (event, ctx) => { called(event, ctx); throw new Error('always down'); },
  '*': (event, ctx) => { called(event, ctx); return 'seen'; },
};
`;

const temps: string[] = [];
afterAll(async () => {
  await killAllRuns();
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function tempProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'webhook-dev-quirks-direct-'));
  temps.push(dir);
  writeFileSync(join(dir, 'package.json'), '{"name":"shop","type":"module"}\n');
  writeFileSync(join(dir, 'webhooks.mjs'), HANDLER);
  return dir;
}

async function webhookDev(cwd: string, args: string[], env: Record<string, string> = {}) {
  const result = await execa(process.execPath, [binPath, ...args, '--json'], { cwd, reject: false, env: { NO_COLOR: '1', ...env }, timeout: 90_000 });
  const stdout = String(result.stdout);
  expect(stdout + String(result.stderr)).not.toMatch(UNMASKED_SECRET);
  const records = stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as JsonRecord);
  return { exitCode: result.exitCode, records, error: records.find((r) => r.type === 'error'), quirks: records.find((r) => r.type === 'quirks') };
}

const calls = (project: string): string[] => (existsSync(join(project, 'calls.log')) ? readFileSync(join(project, 'calls.log'), 'utf8').split('\n').filter(Boolean) : []);

describe('send with delivery quirks, without a session', () => {
  it('--retry: a handler that fails twice is delivered again until it succeeds, each attempt shown and told to the handler', async () => {
    const project = tempProject();
    const { exitCode, records, quirks } = await webhookDev(project, ['send', 'customer.created', '--handler', 'webhooks.mjs', '--retry', '--seed', '3']);
    expect(exitCode).toBe(0);
    const sends = records.filter((r) => r.type === 'send');
    expect(sends.map((r) => [r.delivery.attempt, r.delivery.outcome, r.delivery.quirks?.retry ?? false])).toEqual([
      [1, 'error', false],
      [2, 'error', true],
      [3, 'ok', true],
    ]);
    const id = sends[0]!.event.id as string;
    expect(calls(project)).toEqual([`${id} 1`, `${id} 2`, `${id} 3`]);
    expect(quirks).toMatchObject({ retries: 2, duplicates: 0, succeeded: [{ eventId: id, eventType: 'customer.created', attempt: 3 }], givenUp: [], settings: { seed: 3, retry: { maxAttempts: 4 } } });
  });

  it('--retry --max-attempts 2: a handler that keeps failing is given up on, exit 20', async () => {
    const project = tempProject();
    const { exitCode, records, quirks } = await webhookDev(project, ['send', 'invoice.paid', '--handler', 'webhooks.mjs', '--retry', '--max-attempts', '2']);
    expect(exitCode).toBe(20);
    expect(records.filter((r) => r.type === 'send').map((r) => r.delivery.attempt)).toEqual([1, 2]);
    expect(quirks).toMatchObject({ retries: 1, givenUp: [{ eventType: 'invoice.paid', attempt: 2 }] });
  });

  it('--duplicate 1 to the Express sample: the same bytes twice, each copy signed at its own send and verified by the app', async () => {
    const app = await startExpressApp({ secret: appSecret, mode: 'raw' });
    try {
      const project = tempProject();
      const { exitCode, records, quirks } = await webhookDev(project, ['send', 'payment_intent.succeeded', '--forward-to', app.url, '--duplicate', '1'], { STRIPE_WEBHOOK_SECRET: appSecret });
      expect(exitCode).toBe(0);
      const sends = records.filter((r) => r.type === 'send');
      expect(sends.map((r) => [r.status, r.attempt, r.quirks?.duplicate ?? false])).toEqual([
        [200, 1, false],
        [200, 1, true],
      ]);
      expect(app.received).toHaveLength(2);
      expect(Buffer.compare(app.received[1]!.body!, app.received[0]!.body!)).toBe(0);
      // Signed again at its own send (the same second gives the same signature: HMAC of t.body).
      const timestamp = (index: number) => Number(/^t=(\d+),/.exec(String(app.received[index]!.headers['stripe-signature']))?.[1]);
      expect(timestamp(1)).toBeGreaterThanOrEqual(timestamp(0));
      expect(Math.abs(timestamp(1) - Date.now() / 1000)).toBeLessThan(60);
      expect(quirks).toMatchObject({ duplicates: 1, retries: 0 });
    } finally {
      await app.close();
    }
  });

  it('refuses quirks without a target of its own (they are the session\'s) and with a tamper option, exit 2', async () => {
    const project = tempProject();
    const attached = await webhookDev(project, ['send', 'customer.created', '--duplicate', '1']);
    expect(attached.exitCode).toBe(2);
    expect(attached.error!.hint).toContain('listen');
    const tampered = await webhookDev(project, ['send', 'customer.created', '--handler', 'webhooks.mjs', '--retry', '--bad-signature']);
    expect(tampered.exitCode).toBe(2);
    expect(calls(project)).toEqual([]);
  });
});

describe('replay with delivery quirks, to a handler of its own', () => {
  const project = tempProject();
  let journaled: string[] = [];

  beforeAll(async () => {
    // A real session journals the trigger's four events (the real Stripe CLI against the emulator).
    const trigger = await execa(process.execPath, [binPath, 'trigger', 'payment_intent.succeeded', '--offline', '--handler', 'webhooks.mjs', '--json'], { cwd: project, reject: false, timeout: 90_000 });
    expect(trigger.exitCode, String(trigger.stderr)).toBe(0);
    const listed = await webhookDev(project, ['events', '--limit', '10']);
    journaled = listed.records
      .filter((r) => r.type === 'delivery' || r.type === 'event')
      .map((r) => (r.event?.id ?? r.eventId) as string)
      .reverse();
    expect(journaled).toHaveLength(4);
  }, 120_000);

  it('--shuffle with a --seed: the journaled events out of order, none in its place, and the same order again with the same seed', async () => {
    const run = () => webhookDev(project, ['replay', '--last', '4', '--handler', 'webhooks.mjs', '--shuffle', '1s', '--seed', '11']);
    const first = await run();
    const second = await run();
    expect(first.exitCode).toBe(0);
    const order = (records: JsonRecord[]) => records.filter((r) => r.type === 'replay').map((r) => r.eventId as string);
    expect(order(first.records).sort()).toEqual([...journaled].sort());
    // What replay sends without --shuffle, in the order it would send it.
    const plain = await webhookDev(project, ['replay', '--last', '4', '--handler', 'webhooks.mjs']);
    expect(order(plain.records)).toHaveLength(4);
    order(first.records).forEach((id, index) => expect(id).not.toBe(order(plain.records)[index]));
    expect(order(second.records)).toEqual(order(first.records));
    expect(first.quirks).toMatchObject({ reordered: 4, settings: { seed: 11, shuffleMs: 1000 } });
    expect(first.records.filter((r) => r.type === 'replay').every((r) => r.delivery.quirks?.reordered === true)).toBe(true);
  });

  it('--offline: the Stripe CLI against the built-in emulator delivers each journaled event to the handler, signed by the CLI', async () => {
    const before = calls(project).length;
    const run = runCli(['replay', '--last', '2', '--offline', '--handler', 'webhooks.mjs', '--json'], { cwd: project });
    const { exitCode } = await run.exit();
    expect(exitCode, run.stderr()).toBe(0);
    expect(run.stdout()).not.toMatch(UNMASKED_SECRET);
    // The deliveries came from a `stripe listen` the replay started, not from a POST of its own.
    expect([...run.descendantCommands.values()].some((command) => /\/stripe listen /.test(command))).toBe(true);
    const replays = run.records.filter((r) => r.type === 'replay');
    expect(replays.map((r) => [r.target, r.from, r.outcome, r.delivery.verified])).toEqual([
      ['handler', 'journal', 'passed', true],
      ['handler', 'journal', 'passed', true],
    ]);
    expect(replays.map((r) => r.eventId)).toEqual(journaled.slice(-2));
    expect(calls(project).slice(before).map((line) => line.split(' ')[0])).toEqual(journaled.slice(-2));
    const missing = await webhookDev(project, ['replay', '--last', '--offline']);
    expect(missing.exitCode).toBe(2);
    expect(missing.error!.message).toContain('--handler');
  });

  it('--duplicate 1: each event twice, the copy told it is attempt 1 like its original', async () => {
    const before = calls(project).length;
    const { exitCode, records, quirks } = await webhookDev(project, ['replay', '--last', '2', '--handler', 'webhooks.mjs', '--duplicate', '1']);
    expect(exitCode).toBe(0);
    const replays = records.filter((r) => r.type === 'replay');
    expect(replays.map((r) => r.delivery.quirks?.duplicate ?? false)).toEqual([false, true, false, true]);
    expect(replays.map((r) => r.delivery.attempt)).toEqual([1, 1, 1, 1]);
    expect(calls(project).slice(before)).toHaveLength(4);
    expect(quirks).toMatchObject({ duplicates: 2 });
    expect(records.find((r) => r.type === 'replay-summary')).toMatchObject({ events: 2, deliveries: 4, exitCode: 0 });
  });
});
