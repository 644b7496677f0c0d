/**
 * The first minutes of a new user: no Stripe login, no API key. `webhook-dev listen` and a
 * `trigger` with no session run offline and say so, instead of failing with "no API key".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, killAllRuns, projectRoot, runCli, type CliRun } from '../helpers/run-cli.js';
import { waitFor } from '../helpers/wait-for.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const handler = join(projectRoot, 'test/fixtures/e2e/handler.ts');
// runCli gives every run an empty XDG_CONFIG_HOME: no `stripe login` can be found there.
const NO_CREDENTIALS = { STRIPE_API_KEY: undefined };

const dirs: string[] = [];
afterEach(async () => {
  await killAllRuns();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function emptyProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'webhook-dev-project-'));
  dirs.push(dir);
  return dir;
}

async function finished(run: CliRun) {
  const { exitCode } = await run.exit();
  await waitFor(() => [...run.descendants].every((pid) => !isAlive(pid)), { description: 'every child to be gone' });
  return exitCode;
}

describe('with no Stripe credentials', () => {
  it('listen runs offline, and its first words say so and how to go online', async () => {
    const run = runCli(['listen', '--json', '--port', '0'], { env: NO_CREDENTIALS });
    const ready = await run.waitForRecord((r) => r.type === 'ready', 20_000, 'the ready record');
    expect(ready).toMatchObject({ offline: true });
    const notice = run.records.find((r) => r.type === 'notice');
    expect(notice?.message).toMatch(/No Stripe API key found.*offline.*stripe login.*STRIPE_API_KEY.*--online/);
    expect(run.records.indexOf(notice!)).toBeLessThan(run.records.indexOf(ready));
    run.kill('SIGINT');
    expect(await finished(run)).toBe(130);
  });

  it('trigger with no session runs offline too, and passes', async () => {
    const run = runCli(['trigger', 'customer.created', '--handler', handler, '--json'], { env: NO_CREDENTIALS });
    expect(await finished(run), run.stderr()).toBe(0);
    expect(run.records.find((r) => r.type === 'trigger')).toMatchObject({ trigger: 'customer.created', outcome: 'passed' });
    expect(run.records.some((r) => r.type === 'notice' && /No Stripe API key found/.test(r.message))).toBe(true);
  });

  it('--online insists on a real account: exit 5 with the way to log in', async () => {
    const run = runCli(['listen', '--json', '--port', '0', '--online'], { env: NO_CREDENTIALS });
    expect(await finished(run), run.stderr()).toBe(5);
    expect(run.records.find((r) => r.type === 'error')).toMatchObject({ code: 'STRIPE_AUTH_FAILED', hint: expect.stringContaining('stripe login') });
  });

  it('--offline with --online is a usage error', async () => {
    const run = runCli(['listen', '--json', '--offline', '--online'], { env: NO_CREDENTIALS });
    expect(await finished(run)).toBe(2);
  });
});

describe('webhook-dev init and the project config', () => {
  it('init writes a handler, the config and npm scripts; the trigger it suggests then passes with no flags', async () => {
    const dir = emptyProject();
    const init = runCli(['init'], { cwd: dir });
    expect(await finished(init), init.stderr()).toBe(0);
    expect(init.stdout()).toMatch(/created\s+webhooks\.ts/);
    expect(init.stdout()).toContain('npx webhook-dev trigger payment_intent.succeeded');
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg.scripts.webhooks).toBe('webhook-dev listen');
    expect(JSON.parse(readFileSync(join(dir, 'webhook-dev.config.json'), 'utf8'))).toEqual({ handler: 'webhooks.ts' });

    // No webhook-dev in the project's node_modules (as with npx): the handler imports only a type.
    const run = runCli(['trigger', 'payment_intent.succeeded', '--json'], { cwd: dir, env: NO_CREDENTIALS });
    expect(await finished(run), run.stderr()).toBe(0);
    const handled = run.records.find((r) => r.type === 'event' && r.event.type === 'payment_intent.succeeded');
    expect(handled).toMatchObject({ outcome: 'ok', value: { fulfil: expect.stringMatching(/^pi_/) } });

    const again = runCli(['init'], { cwd: dir });
    expect(await finished(again)).toBe(0);
    expect(again.stdout()).toMatch(/kept\s+webhooks\.ts/);
  });

  it('listen takes its settings from package.json, and flags override them', async () => {
    const dir = emptyProject();
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'shop', 'webhook-dev': { handler: handler, port: 1, events: ['customer.created'] } }));
    const run = runCli(['listen', '--json', '--port', '0'], { cwd: dir, env: NO_CREDENTIALS });
    const ready = await run.waitForRecord((r) => r.type === 'ready', 20_000, 'the ready record');
    expect(ready).toMatchObject({ handler, events: ['customer.created'], eventsSource: 'flag' });
    expect(ready.receiverUrl).not.toContain(':1/');
    run.kill('SIGINT');
    expect(await finished(run)).toBe(130);
  });

  it('a wrong setting is a config error (exit 27) that names it', async () => {
    const dir = emptyProject();
    writeFileSync(join(dir, 'package.json'), '{}');
    writeFileSync(join(dir, 'webhook-dev.config.json'), '{ "forwardto": "http://localhost:3000" }');
    const run = runCli(['listen', '--json'], { cwd: dir, env: NO_CREDENTIALS });
    expect(await finished(run)).toBe(27);
    expect(run.records.find((r) => r.type === 'error')).toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('"forwardto"') });
  });
});

describe('--debug', () => {
  it("shows the Stripe CLI's own lines and the start-up timeline (WEBHOOK_DEV_DEBUG=1 too)", async () => {
    const run = runCli(['trigger', 'customer.created', '--offline', '--json'], { env: { WEBHOOK_DEV_DEBUG: '1' } });
    expect(await finished(run), run.stderr()).toBe(0);
    const debug = run.records.filter((r) => r.type === 'debug').map((r) => r.message as string);
    expect(debug).toContain('stripe listen │ Getting ready...');
    expect(debug.some((message) => /^stripe listen │ .*--> customer\.created \[evt_/.test(message))).toBe(true);
    expect(debug).toContain('start-up: ready');
  });

  it("masks the secret in the Stripe CLI's Ready line", async () => {
    const run = runCli(['listen', '--offline', '--json', '--debug', '--port', '0']);
    const line = await run.waitForRecord((r) => r.type === 'debug' && r.message.includes('Ready!'), 20_000, "the CLI's Ready line");
    expect(line.message).toMatch(/signing secret is whsec_…\w{4}/);
    expect(run.stdout()).not.toMatch(/whsec_[A-Za-z0-9]{12,}/);
    run.kill('SIGINT');
    expect(await finished(run)).toBe(130);
  });

  it('adds the stack of an expected error', async () => {
    const run = runCli(['listen', '--offline', '--json', '--debug', '--handler', 'nope/webhooks.ts']);
    expect(await finished(run)).toBe(10);
    const stack = run.records.find((r) => r.type === 'debug' && /HandlerNotFoundError/.test(r.message));
    expect(stack?.message).toMatch(/\n\s+at /);
  });
});
