import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startExpressApp } from '../fixtures/apps/express-app.mjs';
import { binPath, killAllRuns, projectRoot, runCli, type CliRun, type JsonRecord } from '../helpers/run-cli.js';
import { listenLoopback } from '../helpers/listen-loopback.js';

const secret = 'whsec_e2eSendSecret0123456789abcdefABCD';
const UNMASKED_SECRET = /whsec_[A-Za-z0-9]{10,}/;
const handler = join(projectRoot, 'test/fixtures/e2e/handler.ts');
const TAMPERS = [['--stale', '600'], ['--bad-signature'], ['--no-signature'], ['--wrong-secret']];

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  await killAllRuns();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'webhook-dev-send-'));
  writeFileSync(join(dir, 'package.json'), '{"name":"shop","type":"module"}\n');
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Stripe's documented Express route (express.raw + constructEvent), in this process, on an ephemeral port. */
async function expressSample() {
  const app = await startExpressApp({ secret, mode: 'raw' });
  cleanups.push(() => app.close());
  return app;
}

/** An app that skips verification: 200 to anything, and keeps what it got. */
async function carelessApp() {
  const received: Array<{ headers: Record<string, unknown>; body: string }> = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
    });
  });
  const listening = await listenLoopback(server);
  cleanups.push(() => listening.close());
  return { url: `${listening.origin}/webhook`, received };
}

/** Runs `webhook-dev send … --json` to the end: its exit code, its one send record, its whole output. */
async function send(args: string[], { cwd, env = {}, input }: { cwd?: string; env?: Record<string, string>; input?: string } = {}) {
  let run: CliRun | undefined;
  let result: { exitCode: number | undefined; stdout: string; stderr: string };
  if (input === undefined) {
    run = runCli(['send', ...args, '--json'], { env: { STRIPE_WEBHOOK_SECRET: secret, ...env }, ...(cwd ? { cwd } : {}) });
    const { exitCode } = await run.exit();
    result = { exitCode, stdout: run.stdout(), stderr: run.stderr() };
  } else {
    // runCli gives the CLI no stdin; this one pipes the payload in.
    const done = await execa(process.execPath, [binPath, 'send', ...args, '--json'], { cwd: cwd ?? projectRoot, env: { NO_COLOR: '1', STRIPE_WEBHOOK_SECRET: secret, ...env }, input, reject: false });
    result = { exitCode: done.exitCode, stdout: String(done.stdout), stderr: String(done.stderr) };
  }
  const records = result.stdout.split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as JsonRecord);
  expect(result.stdout + result.stderr).not.toMatch(UNMASKED_SECRET);
  return { ...result, records, record: records.find((r) => r.type === 'send'), error: records.find((r) => r.type === 'error') };
}

describe('webhook-dev send --forward-to (no Stripe CLI, no session)', () => {
  it("is accepted by the Stripe docs' Express sample, with the --set overrides in the bytes it verified", async () => {
    const app = await expressSample();
    const { exitCode, records, record } = await send(['payment_intent.succeeded', '--forward-to', app.url, '--set', 'data.object.amount=5000', '--set', 'data.object.metadata.order=42']);
    expect(exitCode).toBe(0);
    expect(records).toHaveLength(1);
    expect(record).toMatchObject({ schema: 1, target: 'app', url: app.url, expected: 'accept', outcome: 'passed', exitCode: 0, status: 200, tamper: null, event: { type: 'payment_intent.succeeded' } });
    expect(record!.forward).toMatchObject({ status: 200, diagnosis: null });
    expect(app.received).toHaveLength(1);
    const got = JSON.parse(app.received[0]!.body!.toString('utf8'));
    expect(got.data.object).toMatchObject({ object: 'payment_intent', amount: 5000, metadata: { order: 42 } });
    expect(got.id).toBe(record!.event.id);
    expect(app.received[0]!.headers).toMatchObject({ 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)', 'content-type': 'application/json; charset=utf-8' });
  });

  it.each(TAMPERS)('%s: the Express sample refuses it with 400, so send passes', async (...tamper) => {
    const app = await expressSample();
    const { exitCode, record } = await send(['customer.created', '--forward-to', app.url, ...tamper]);
    expect(exitCode).toBe(0);
    expect(record).toMatchObject({ expected: 'refuse', outcome: 'passed', status: 400, tamper: { kind: tamper[0]!.slice(2) } });
    expect(record!.message).toMatch(/^the app refused a delivery with .*, as it should: 400 Webhook Error: /);
    expect(record!.forward.diagnosis).toBeNull();
  });

  it.each(TAMPERS)('%s: an app that accepts anything fails send with exit 29 and the reason', async (...tamper) => {
    const app = await carelessApp();
    const { exitCode, record } = await send(['customer.created', '--forward-to', app.url, ...tamper]);
    expect(exitCode).toBe(29);
    expect(record).toMatchObject({ expected: 'refuse', outcome: 'failed', exitCode: 29, status: 200 });
    expect(record!.message).toMatch(/^the app accepted a delivery with .* \(200\): it would act on a forged event$/);
    expect(record!.details.join('\n')).toMatch(tamper[0] === '--stale' ? /replayed/ : /constructEvent/);
    expect(app.received).toHaveLength(1);
    expect('stripe-signature' in app.received[0]!.headers).toBe(tamper[0] !== '--no-signature');
  });

  it('a correctly signed send the app refuses fails with exit 20 and the diagnosis', async () => {
    const app = await startExpressApp({ secret: 'whsec_anotherSecretTheAppUses000000000', mode: 'raw' });
    cleanups.push(() => app.close());
    const { exitCode, record } = await send(['customer.created', '--forward-to', app.url]);
    expect(exitCode).toBe(20);
    expect(record).toMatchObject({ expected: 'accept', outcome: 'failed', status: 400, forward: { status: 400, diagnosis: { cause: 'secret-mismatch-or-parsed-body' } } });
    expect(record!.details.join('\n')).toContain('whsec_…ABCD');
  });

  it('reads the payload from stdin, byte for byte', async () => {
    const app = await expressSample();
    const payload = '{"id":"evt_from_stdin","object":"event","type":"order.custom","data":{"object":{"id":"ord_1"}}}';
    const { exitCode, record } = await send(['-', '--forward-to', app.url], { input: payload });
    expect(exitCode).toBe(0);
    expect(record).toMatchObject({ from: 'stdin', outcome: 'passed', event: { id: 'evt_from_stdin', type: 'order.custom' } });
    expect(app.received[0]!.body!.toString('utf8')).toBe(payload);
  });

  it('reads a JSON file, and applies --set to it', async () => {
    const dir = tempProject();
    writeFileSync(join(dir, 'order.json'), JSON.stringify({ id: 'evt_file', object: 'event', type: 'checkout.session.completed', data: { object: { id: 'cs_1', amount_total: 100, line_items: [{ price: 'price_a' }] } } }));
    const app = await expressSample();
    const { exitCode, record } = await send(['order.json', '--forward-to', app.url, '--set', 'data.object.line_items[0].price=price_b', '--set', 'data.object.metadata.order="42"'], { cwd: dir });
    expect(exitCode).toBe(0);
    expect(record).toMatchObject({ from: 'order.json', outcome: 'passed' });
    expect(JSON.parse(app.received[0]!.body!.toString('utf8')).data.object).toEqual({ id: 'cs_1', amount_total: 100, line_items: [{ price: 'price_b' }], metadata: { order: '42' } });
  });

  it('bad input fails before anything is sent, with a message and its own exit code', async () => {
    const dir = tempProject();
    writeFileSync(join(dir, 'broken.json'), '{"id": "evt_1",');
    const app = await carelessApp();
    const cases: Array<[string[], number, RegExp]> = [
      [['broken.json'], 30, /The payload from broken\.json is not valid JSON/],
      [['missing.json'], 30, /Cannot read the payload file missing\.json: ENOENT/],
      [['customer.created', '--set', 'data.object.email.domain=x'], 30, /data\.object\.email is a string .*not an object/],
      [['radar.early_fraud_warning.created'], 2, /There is no template for "radar\.early_fraud_warning\.created"/],
      [['customer.created', '--no-signature', '--bad-signature'], 2, /Choose one of/],
    ];
    for (const [args, code, message] of cases) {
      const { exitCode, error } = await send([...args, '--forward-to', app.url], { cwd: dir });
      expect(exitCode, args.join(' ')).toBe(code);
      expect(error?.message).toMatch(message);
    }
    const { exitCode, error } = await send(['customer.created', '--forward-to', app.url], { cwd: dir, env: { STRIPE_WEBHOOK_SECRET: '' } });
    expect(exitCode).toBe(2);
    expect(error?.hint).toContain('STRIPE_WEBHOOK_SECRET=whsec_…');
    expect(app.received).toHaveLength(0);
  });

  it('pretty output shows the block, the verdict, and never the secret', async () => {
    const app = await carelessApp();
    const run = runCli(['send', 'customer.created', '--forward-to', app.url, '--secret', secret, '--bad-signature']);
    const { exitCode } = await run.exit();
    expect(exitCode).toBe(29);
    expect(run.stdout()).toMatch(/customer\.created {2}evt_\w+\n.*\n\s+✓ app 200/);
    expect(run.stderr()).toContain('▶ send customer.created (template) to ' + app.url + '  with a signature that does not match the body');
    expect(run.stderr()).toContain('✗ send failed: the app accepted a delivery with a signature that does not match the body (200)');
    expect(run.stderr()).toContain('--secret is visible to other users');
    expect(run.stdout() + run.stderr()).not.toMatch(UNMASKED_SECRET);
  });
});

describe('webhook-dev send through a running webhook-dev listen (attached)', () => {
  async function startListen(dir: string) {
    const listen = runCli(['listen', '--offline', '--json', '--port', '0', '--handler', handler], { cwd: dir });
    const ready = await listen.waitForRecord((r) => r.type === 'ready', 30_000, 'the ready record');
    return { listen, ready };
  }

  it("is verified by the session's receiver, handled, shown in its output, and reported back", async () => {
    const dir = tempProject();
    const { listen, ready } = await startListen(dir);
    const { exitCode, record } = await send(['customer.created', '--set', 'data.object.id=cus_from_send', '--set', 'data.object.metadata.order=42'], { cwd: dir });
    expect(exitCode).toBe(0);
    expect(record).toMatchObject({ target: 'session', url: ready.receiverUrl, outcome: 'passed', status: 200, forward: null });
    expect(record!.delivery).toMatchObject({ type: 'event', verified: true, outcome: 'ok', value: { welcomed: 'cus_from_send', attempt: 1 } });
    // The session's own output shows the same delivery, as for an event from the Stripe CLI.
    const seen = await listen.waitForRecord((r) => r.type === 'event' && r.event?.id === record!.event.id, 10_000, 'the delivery in the session');
    expect(seen).toMatchObject({ verified: true, outcome: 'ok', value: { welcomed: 'cus_from_send' } });
  });

  it.each(TAMPERS)('%s: the session refuses it, so send passes, and the session shows the rejection', async (...tamper) => {
    const dir = tempProject();
    const { listen } = await startListen(dir);
    const { exitCode, record } = await send(['customer.created', ...tamper], { cwd: dir });
    expect(exitCode).toBe(0);
    expect(record).toMatchObject({ expected: 'refuse', outcome: 'passed', status: 400, delivery: { verified: false, outcome: 'rejected' } });
    await listen.waitForRecord((r) => r.type === 'event' && r.event?.id === record!.event.id && r.verified === false, 10_000, 'the rejection in the session');
  });

  it('a handler that throws fails send with exit 20 and where it threw', async () => {
    const dir = tempProject();
    await startListen(dir);
    const { exitCode, record } = await send(['charge.succeeded'], { cwd: dir });
    expect(exitCode).toBe(20);
    expect(record).toMatchObject({ outcome: 'failed', status: 500, delivery: { outcome: 'error' } });
    expect(record!.message).toContain('cannot reconcile');
    expect(record!.details.join('\n')).toContain('test/fixtures/e2e/handler.ts:12');
  });

  it('with no session in the project, exits 24 and says how to send without one', async () => {
    const { exitCode, error } = await send(['customer.created'], { cwd: tempProject() });
    expect(exitCode).toBe(24);
    expect(error?.hint).toContain('--forward-to');
  });
});

describe('webhook-dev send --handler (a session of its own, no Stripe CLI)', () => {
  it('runs the handler on the payload, with the --set overrides, and starts no process', async () => {
    const run = runCli(['send', 'customer.created', '--handler', handler, '--set', 'data.object.id=cus_standalone', '--json']);
    const { exitCode } = await run.exit();
    expect(exitCode, run.stderr()).toBe(0);
    const record = run.records.find((r) => r.type === 'send');
    expect(record).toMatchObject({ target: 'handler', url: handler, outcome: 'passed', status: 200, delivery: { verified: true, outcome: 'ok', value: { welcomed: 'cus_standalone', attempt: 1 } } });
    expect(record!.message).toBe('the handler accepted it: 200, handled');
    // The handler runs in a worker thread: no Stripe CLI, no emulator. The one child it may have
    // is tsx's esbuild, started to compile the handler when tsx's cache does not hold it yet.
    const commands = [...run.descendantCommands.values()];
    expect(commands.filter((command) => !/\/esbuild(?:\s|$)/.test(command))).toEqual([]);
  });

  it("with no session and no target, runs the project config's handler, and says so", async () => {
    const dir = tempProject();
    writeFileSync(join(dir, 'webhook-dev.config.json'), JSON.stringify({ handler }));
    const { exitCode, record, records } = await send(['customer.created', '--set', 'data.object.id=cus_configured'], { cwd: dir });
    expect(exitCode).toBe(0);
    expect(record).toMatchObject({ target: 'handler', url: handler, outcome: 'passed', delivery: { outcome: 'ok', value: { welcomed: 'cus_configured' } } });
    expect(records.find((r) => r.type === 'notice')?.message).toMatch(/No webhook-dev listen is running in this project: sending to the handler of webhook-dev\.config\.json/);
  });

  it.each(TAMPERS)('%s: the built-in receiver refuses it and the handler never runs', async (...tamper) => {
    const { exitCode, record } = await send(['customer.created', '--handler', handler, ...tamper]);
    expect(exitCode).toBe(0);
    expect(record).toMatchObject({ target: 'handler', expected: 'refuse', outcome: 'passed', status: 400, delivery: { verified: false, outcome: 'rejected', handlerDurationMs: null } });
  });

  it('a handler that throws exits 20; a missing handler exits 10; --handler with --forward-to exits 2', async () => {
    const thrown = await send(['charge.succeeded', '--handler', handler]);
    expect(thrown.exitCode).toBe(20);
    expect(thrown.record!.details.join('\n')).toContain('test/fixtures/e2e/handler.ts:12');
    const missing = await send(['customer.created', '--handler', 'no-such-handler.ts']);
    expect(missing.exitCode).toBe(10);
    expect(missing.error?.message).toContain('Handler file not found');
    const both = await send(['customer.created', '--handler', handler, '--forward-to', 'http://127.0.0.1:9/webhook']);
    expect(both.exitCode).toBe(2);
    expect(both.error?.message).toContain('Choose one target');
  });
});
