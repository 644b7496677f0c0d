import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/start-emulator.js';
import { isAlive, killAllRuns, listDescendants, projectRoot, runCli, type CliRun } from '../helpers/run-cli.js';
import { jsonPost, sessionCredentials } from '../helpers/emulator-auth.js';
import { waitFor } from '../helpers/wait-for.js';
import { unusedPort } from '../helpers/unused-port.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  await killAllRuns();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function execShell(command: string, cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('sh', ['-c', command], { cwd, timeout: 10_000 }, (error, stdout, stderr) => (error ? reject(new Error(`${command}: ${error.message} ${stderr}`)) : resolve(stdout)));
  });
}

const fake = (name: string) => join(projectRoot, 'test/fixtures/fake-stripe', name);

async function failsWith(run: CliRun, exitCode: number, code: string) {
  const result = await run.exit();
  const error = run.records.find((r) => r.type === 'error');
  expect({ exitCode: result.exitCode, code: error?.code }, run.stderr()).toEqual({ exitCode, code });
  expect(run.records.at(-1)).toMatchObject({ type: 'summary', exitCode, reason: 'error' });
  expect(error?.hint, 'every failure says what to do next').toEqual(expect.any(String));
  return error!;
}

/** It accepts only its own random key, which these sessions are never given. */
async function refusingEmulator(): Promise<Emulator> {
  const emulator = await startEmulator();
  cleanups.push(() => emulator.close());
  return emulator;
}


describe('webhook-dev listen failure paths: a message, a hint and a distinct exit code', () => {
  it('a key the API refuses (401): exit 5, suggests stripe login / STRIPE_API_KEY / --offline, never prints the key', async () => {
    const emulator = await refusingEmulator();
    const key = 'sk_test_refusedKeyValue123456';
    const run = runCli(['listen', '--json', '--port', '0', '--api-base', emulator.apiBase], { env: { STRIPE_API_KEY: key } });
    const error = await failsWith(run, 5, 'STRIPE_AUTH_FAILED');
    expect(error.hint).toMatch(/stripe login/);
    expect(error.hint).toMatch(/STRIPE_API_KEY/);
    expect(error.hint).toMatch(/--offline/);
    expect(run.stdout() + run.stderr()).not.toContain(key);
  });

  it('no API key and no login: exit 5', async () => {
    const emulator = await refusingEmulator();
    const run = runCli(['listen', '--json', '--port', '0', '--api-base', emulator.apiBase], { env: { STRIPE_API_KEY: undefined } });
    await failsWith(run, 5, 'STRIPE_AUTH_FAILED');
  });

  it('the Stripe API unreachable: exit 6', async () => {
    const port = await unusedPort();
    const run = runCli(['listen', '--json', '--port', '0', '--api-base', `http://127.0.0.1:${port}`], { env: { STRIPE_API_KEY: 'sk_test_unreachable_case' } });
    await failsWith(run, 6, 'STRIPE_API_UNREACHABLE');
  }, 40_000);

  it('no Stripe CLI at the given path: exit 3', async () => {
    const run = runCli(['listen', '--json', '--offline', '--port', '0', '--stripe-bin', '/nonexistent/stripe']);
    const error = await failsWith(run, 3, 'STRIPE_CLI_NOT_FOUND');
    expect(error.message).toContain('/nonexistent/stripe');
  });

  it('a Stripe CLI that is too old: exit 4', async () => {
    const run = runCli(['listen', '--json', '--offline', '--port', '0', '--stripe-bin', fake('stripe-too-old')]);
    const error = await failsWith(run, 4, 'STRIPE_CLI_TOO_OLD');
    expect(error.message).toContain('1.0.0');
  });

  it('a Stripe CLI that exits before it is ready: exit 7 with its last output lines, secrets masked', async () => {
    const run = runCli(['listen', '--json', '--offline', '--port', '0', '--stripe-bin', fake('stripe-exits-early')]);
    const error = await failsWith(run, 7, 'STRIPE_CLI_EXITED');
    expect(error.details.join('\n')).toContain('giving up');
    expect(JSON.stringify(error)).not.toContain('sk_test_abcdefghijklmnop');
  });

  it('a Stripe CLI that never becomes ready: exit 8 after --ready-timeout, child stopped', async () => {
    const run = runCli(['listen', '--json', '--offline', '--port', '0', '--ready-timeout', '1s', '--stripe-bin', fake('stripe-never-ready')]);
    const error = await failsWith(run, 8, 'STRIPE_CLI_NOT_READY');
    expect(error.details.join('\n')).toContain('Getting ready');
    await waitFor(() => [...run.descendants].every((pid) => !isAlive(pid)), { description: 'the fake CLI to be gone' });
  });

  it('the port taken: exit 9, suggests --port 0', async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { port } = server.address() as AddressInfo;
    const run = runCli(['listen', '--json', '--offline', '--port', String(port)]);
    const error = await failsWith(run, 9, 'PORT_IN_USE');
    expect(error.hint).toContain('--port 0');
  });

  it('a handler file that does not exist: exit 10', async () => {
    const run = runCli(['listen', '--json', '--offline', '--port', '0', '--handler', 'nope/webhooks.ts']);
    const error = await failsWith(run, 10, 'HANDLER_NOT_FOUND');
    expect(error.message).toContain('nope/webhooks.ts');
  });

  it('a handler that fails to load: exit 11 with the file and line', async () => {
    const run = runCli(['listen', '--json', '--offline', '--port', '0', '--handler', 'test/fixtures/e2e/broken-syntax.ts']);
    const error = await failsWith(run, 11, 'HANDLER_LOAD_FAILED');
    expect(error.message + error.details.join('\n')).toMatch(/broken-syntax\.ts:\d+/);
  });

  it('a handler that exports nothing usable: exit 12, listing the accepted shapes', async () => {
    const run = runCli(['listen', '--json', '--offline', '--port', '0', '--handler', 'test/fixtures/e2e/not-a-handler.mjs']);
    const error = await failsWith(run, 12, 'HANDLER_INVALID');
    expect(`${error.message}\n${error.hint}\n${error.details.join('\n')}`).toMatch(/default/);
    expect(`${error.message}\n${error.hint}\n${error.details.join('\n')}`).toContain('answer');
  });

  it.each([
    [['listen', '--port', 'abc']],
    [['listen', '--handler-timeout', 'soon']],
    [['listen', '--events', 'Not An Event']],
    [['listen', '--no-such-option']],
  ])('usage errors exit 2: %j', async (args) => {
    const run = runCli([...args, '--offline']);
    expect((await run.exit()).exitCode).toBe(2);
    expect(run.stderr().length).toBeGreaterThan(0);
  });

  // By default listen replaces a CLI that dies (test/e2e/listen-watchdog.test.ts); with restarts
  // turned off, as `trigger` runs, the death itself ends the session.
  it('the Stripe CLI dying after ready, with restarts off (maxFailures=0), ends the session loudly with exit 7, not a silent "Ready"', async () => {
    const run = runCli(['listen', '--json', '--offline', '--port', '0'], { env: { WEBHOOK_DEV_WATCHDOG: 'maxFailures=0' } });
    await run.waitForRecord((r) => r.type === 'ready');
    const stripe = await waitFor(() => listDescendants(run.pid).find((pid) => isStripe(pid)), { description: 'the stripe child' });
    process.kill(stripe, 'SIGKILL');
    const error = await failsWithAfterReady(run);
    expect(error.message).toMatch(/stopped unexpectedly/);
    expect(run.records.find((r) => r.type === 'stall')).toMatchObject({ phase: 'started', cause: 'exited', pid: stripe, restarting: false });
  });

  it('a WEBHOOK_DEV_WATCHDOG setting it cannot use: exit 2, naming the setting', async () => {
    const run = runCli(['listen', '--json', '--offline', '--port', '0'], { env: { WEBHOOK_DEV_WATCHDOG: 'stallAfterMs=soon' } });
    const error = await failsWith(run, 2, 'USAGE');
    expect(error.message).toContain('stallAfterMs=soon');
  });
});

async function failsWithAfterReady(run: CliRun) {
  const result = await run.exit();
  expect(result.exitCode).toBe(7);
  expect(run.records.at(-1)).toMatchObject({ type: 'summary', exitCode: 7, reason: 'stripe-cli-exited' });
  return run.records.find((r) => r.type === 'error')!;
}

function isStripe(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('stripe');
  } catch {
    return false;
  }
}

describe('webhook-dev listen, human output and reload', () => {
  it('prints a banner on stderr and an event block with the handler result on stdout', async () => {
    const run = runCli(['listen', '--offline', '--port', '0', '--handler', 'test/fixtures/e2e/handler.ts']);
    // Piped, the banner leaves out the publish line meant for a person at a terminal: use the
    // documented form with the session's curl config instead.
    const apiBase = await waitFor(() => /offline emulator at (\S+)/.exec(run.stderr())?.[1], { timeoutMs: 20_000, description: 'the banner' });
    const curl = `curl -sK .webhook-dev/sessions/${run.pid}.curl ${apiBase}/_webhook-dev/events -d '{"type":"payment_intent.succeeded"}'`;
    expect(run.stderr()).toMatch(/Ready\s+receiving at http:\/\/127\.0\.0\.1:\d+\/webhook/);
    expect(run.stderr()).toMatch(/secret\s+whsec_…\w{4}/);
    // The publish line works as printed (it sends the session's token from its curl config).
    const published = await execShell(curl.replace('payment_intent.succeeded', 'customer.created'), projectRoot);
    expect(JSON.parse(published)).toMatchObject({ type: 'customer.created', delivered: 1 });
    await waitFor(() => run.stdout().includes('✓'), { timeoutMs: 15_000, description: 'the event block' });
    expect(run.stdout()).toMatch(/\d\d:\d\d:\d\d {2}customer\.created {2}evt_\w+/);
    expect(run.stdout()).toMatch(/✓ .*welcomed/);
    expect(run.stdout()).toMatch(/info {2}welcome mail queued for/);
    run.kill('SIGINT');
    expect((await run.exit()).exitCode).toBe(130);
    expect(run.stderr()).toMatch(/1 event: 1 ok, 0 failed, 0 rejected/);
  });

  it('reloads the handler when its file is edited, without restarting the Stripe CLI', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'webhook-dev-reload-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'handler.mjs');
    writeFileSync(file, `export default { 'customer.created': () => 'version one' };\n`);
    const run = runCli(['listen', '--json', '--offline', '--port', '0', '--handler', file]);
    const ready = await run.waitForRecord((r) => r.type === 'ready');
    const stripeBefore = listDescendants(run.pid).filter(isStripe);
    const publish = async () => ((await (await fetch(ready.publishUrl, jsonPost(sessionCredentials(ready), { type: 'customer.created' }))).json()) as { id: string }).id;
    const first = await publish();
    expect(await run.waitForRecord((r) => r.type === 'event' && r.event?.id === first)).toMatchObject({ value: 'version one' });
    writeFileSync(file, `export default { 'customer.created': () => 'version two', 'charge.succeeded': () => 0 };\n`);
    await run.waitForRecord((r) => r.type === 'notice' && /reloaded/i.test(r.message), 10_000, 'the reload notice');
    // The Stripe CLI's subscription cannot change under it: the user is told to restart.
    await run.waitForRecord((r) => r.type === 'notice' && r.level === 'warn' && /restart/.test(r.message), 5_000, 'the selection warning');
    const second = await publish();
    expect(await run.waitForRecord((r) => r.type === 'event' && r.event?.id === second)).toMatchObject({ value: 'version two' });
    expect(listDescendants(run.pid).filter(isStripe)).toEqual(stripeBefore);
  });
});
