/**
 * Forward mode against real apps, written the way each framework's users write them: a correct
 * variant, the classic broken one (the body parsed before verification) and one that verifies with
 * another secret. Each runs once under `webhook-dev listen --offline -- COMMAND` (the real Stripe
 * CLI, the offline emulator), from a project folder whose package.json names the framework, as a
 * user's would; the fixtures' imports still resolve from this repository's node_modules.
 */
import { emulatorAuth, sessionCredentials } from '../helpers/emulator-auth.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killAllRuns, projectRoot, runCli, type CliRun, type JsonRecord } from '../helpers/run-cli.js';
import { unusedPort } from '../helpers/unused-port.js';

const APPS = join(projectRoot, 'test/fixtures/apps');
const PYTHON = '/usr/bin/python3'; // Debian's, with python3-flask and python3-stripe (.ci/run installs them)
const UNMASKED_SECRET = /whsec_[A-Za-z0-9]{10,}/;

const tempDirs = new Set<string>();
afterEach(async () => {
  await killAllRuns();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
});

interface AppSpec {
  /** The dependencies of the user's package.json: how webhook-dev tells the framework. */
  dependencies: string[];
  command: string[];
}

const FRAMEWORKS = {
  express: { dependencies: ['express', 'stripe'], command: ['node', join(APPS, 'express-server.mjs')] },
  fastify: { dependencies: ['fastify', 'fastify-raw-body', 'stripe'], command: ['node', join(APPS, 'frameworks/fastify-app.mjs')] },
  hono: { dependencies: ['hono', '@hono/node-server', 'stripe'], command: ['node', join(APPS, 'frameworks/hono-app.mjs')] },
  koa: { dependencies: ['koa', 'koa-bodyparser', 'raw-body', 'stripe'], command: ['node', join(APPS, 'frameworks/koa-app.mjs')] },
  // A Python project has no package.json: Werkzeug's Server header and the command say Flask.
  flask: { dependencies: [], command: [PYTHON, '-m', 'flask', '--app', join(APPS, 'frameworks/flask/server.py'), 'run', '--port', '{PORT}'] },
} satisfies Record<string, AppSpec>;

function projectFor(app: AppSpec): string {
  const dir = mkdtempSync(join(tmpdir(), 'webhook-dev-framework-'));
  tempDirs.add(dir);
  if (app.dependencies.length > 0) {
    const dependencies = Object.fromEntries(app.dependencies.map((name) => [name, '*']));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'shop', private: true, dependencies }, null, 2));
  }
  return dir;
}

async function startApp(app: AppSpec, env: Record<string, string>, extraArgs: string[] = []): Promise<{ run: CliRun; ready: JsonRecord; cwd: string }> {
  const port = await unusedPort();
  const cwd = projectFor(app);
  const command = app.command.map((word) => word.replace('{PORT}', String(port)));
  const run = runCli(['listen', '--offline', '--json', '--port', '0', ...extraArgs, '--forward-to', `http://127.0.0.1:${port}/webhook`, '--', ...command], {
    cwd,
    env: { PORT: String(port), ...env },
  });
  const ready = await run.waitForRecord((r) => r.type === 'ready', 30_000, 'the ready record');
  return { run, ready, cwd };
}

async function publish(ready: JsonRecord, type = 'payment_intent.succeeded'): Promise<string> {
  const response = await fetch(ready.publishUrl, { method: 'POST', body: JSON.stringify({ type }), headers: { ...emulatorAuth(sessionCredentials(ready)), 'content-type': 'application/json' } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { id: string }).id;
}

const eventRecord = (run: CliRun, id: string) => run.waitForRecord((r) => r.type === 'event' && r.event?.id === id, 20_000, `the event record for ${id}`);

function diagnosisText(record: JsonRecord): string {
  const diagnosis = record.forward?.diagnosis;
  return diagnosis ? [diagnosis.summary, ...diagnosis.hints].join('\n') : '';
}

async function stop(run: CliRun): Promise<void> {
  run.kill('SIGINT');
  await run.exit();
  expect(run.stdout() + run.stderr()).not.toMatch(UNMASKED_SECRET);
}

/** One event through a correct app: a success, with the app's own line about it (if it prints one) attributed to it. */
async function expectHealthy(app: AppSpec, variant: string, appSays: RegExp | undefined): Promise<void> {
  const { run, ready } = await startApp(app, { APP_VARIANT: variant });
  const id = await publish(ready);
  const record = await eventRecord(run, id);
  expect(record).toMatchObject({ status: 200, outcome: 'inspected', forward: { status: 200, refusal: null, diagnosis: null } });
  const lines = record.forward.appOutput.map((line: { line: string }) => line.line);
  expect(lines).toEqual(appSays ? expect.arrayContaining([expect.stringMatching(appSays)]) : []);
  await stop(run);
}

interface Broken {
  variant: string;
  cause: string;
  /** Words of the framework's own fix. */
  fix: string;
  /** Another framework's fix, which must not be offered once the framework is known. */
  notFix: string;
  status?: number;
  summary?: string;
}

/** One event through a broken app: failed, with the cause and this framework's fix. */
async function expectDiagnosis(app: AppSpec, { variant, cause, fix, notFix, status = 400, summary }: Broken): Promise<JsonRecord> {
  const { run, ready } = await startApp(app, { APP_VARIANT: variant });
  const record = await eventRecord(run, await publish(ready));
  expect(record).toMatchObject({ outcome: 'app-failed', forward: { status, diagnosis: { cause } } });
  const text = diagnosisText(record);
  expect(text).toContain(fix);
  expect(text).not.toContain(notFix);
  if (summary) expect(record.forward.diagnosis.summary).toContain(summary);
  await stop(run);
  return record;
}

/** The app was started with the session's secret and still used another: it replaced the injected value. */
async function expectReplacedSecret(app: AppSpec, env: Record<string, string> = { APP_VARIANT: 'other-secret' }): Promise<void> {
  const status = 400;
  const { run, ready } = await startApp(app, env);
  const record = await eventRecord(run, await publish(ready));
  expect(record).toMatchObject({ outcome: 'app-failed', forward: { status, diagnosis: { cause: 'secret-mismatch-or-parsed-body' } } });
  const [secretHint] = record.forward.diagnosis.hints as string[];
  expect(secretHint).toContain(`webhook-dev started it with STRIPE_WEBHOOK_SECRET=${ready.secret}`);
  expect(secretHint).toContain('override: true');
  expect(secretHint).not.toContain('-- <command>');
  await stop(run);
}

describe('forwarding to real apps: every broken variant names its cause and its fix', () => {
  it('Express 5: express.raw() passes; express.json() first is a parsed body; another secret was replaced', async () => {
    // This app prints nothing per event: nothing is attributed to it.
    await expectHealthy(FRAMEWORKS.express, 'raw', undefined);
    await expectDiagnosis(FRAMEWORKS.express, { variant: 'json-first', cause: 'parsed-body', fix: "express.raw({ type: 'application/json' })", notFix: 'fastify-raw-body' });
    // It reads its secret from another variable than the one webhook-dev set.
    await expectReplacedSecret(FRAMEWORKS.express, { APP_VARIANT: 'raw', SECRET_ENV: 'OTHER_SECRET', OTHER_SECRET: 'whsec_0ther0secret0from0the0dashboard00' });
  }, 90_000);

  it('Fastify 5: fastify-raw-body and a buffer parser pass; the default parser and a route without config: { rawBody: true } do not', async () => {
    await expectHealthy(FRAMEWORKS.fastify, 'raw-body', /^✅ payment_intent\.succeeded evt_/);
    await expectHealthy(FRAMEWORKS.fastify, 'buffer-parser', /^✅ payment_intent\.succeeded evt_/);
    await expectDiagnosis(FRAMEWORKS.fastify, { variant: 'parsed', cause: 'parsed-body', fix: 'fastify-raw-body', notFix: 'express.raw' });
    // stripe-node's "No webhook payload was provided.": the raw body was never captured.
    await expectDiagnosis(FRAMEWORKS.fastify, { variant: 'no-route-flag', cause: 'parsed-body', fix: 'config: { rawBody: true }', notFix: 'express.raw', summary: 'raw body was never captured' });
    await expectReplacedSecret(FRAMEWORKS.fastify);
  }, 150_000);

  it('Hono on Node: c.req.text() passes; re-serialized c.req.json() does not; another secret was replaced', async () => {
    await expectHealthy(FRAMEWORKS.hono, 'text', /^received payment_intent\.succeeded evt_/);
    await expectDiagnosis(FRAMEWORKS.hono, { variant: 'parsed', cause: 'secret-mismatch-or-parsed-body', fix: 'await c.req.text()', notFix: 'express.raw' });
    await expectReplacedSecret(FRAMEWORKS.hono);
  }, 120_000);

  it('Koa 3: raw-body passes; koa-bodyparser is a parsed body, and a repeated cause gets a one-line reference; another secret was replaced', async () => {
    await expectHealthy(FRAMEWORKS.koa, 'raw-body', /^handled payment_intent\.succeeded evt_/);
    const { run, ready } = await startApp(FRAMEWORKS.koa, { APP_VARIANT: 'bodyparser' });
    const first = await eventRecord(run, await publish(ready));
    expect(first).toMatchObject({ outcome: 'app-failed', forward: { status: 400, diagnosis: { cause: 'parsed-body', repeatOf: null } } });
    expect(diagnosisText(first)).toContain('ctx.request.rawBody');
    expect(diagnosisText(first)).not.toContain('express.raw');
    const second = await eventRecord(run, await publish(ready, 'customer.created'));
    expect(second.forward.diagnosis).toMatchObject({ cause: 'parsed-body', repeatOf: first.event.id });
    await stop(run);
    // The pretty output's one-line reference is checked in the unit tests; the JSON keeps the hints.
    await expectReplacedSecret(FRAMEWORKS.koa);
  }, 120_000);
});

describe("forwarding to the Stripe docs' Flask sample (Debian's python3-flask and python3-stripe)", () => {
  it('passes the correct sample, and fails the parsed-body one although it answers 200, quoting the app', async () => {
    await expectHealthy(FRAMEWORKS.flask, 'correct', /^Payment for \d+ succeeded$/);
    const record = await expectDiagnosis(FRAMEWORKS.flask, {
      variant: 'parsed',
      status: 200,
      cause: 'secret-mismatch-or-parsed-body',
      fix: 'request.get_data()',
      notFix: 'express.raw',
    });
    expect(record.forward.body).toContain('"success":false');
    expect(record.forward.refusal).toEqual({ source: 'app-output', quote: expect.stringMatching(/^⚠️ {2}Webhook signature verification failed\.No signatures found matching/) });
  }, 90_000);

  it('with another secret, `trigger` fails with exit 20 and says what the app said, and --status-only keeps the old rule', async () => {
    const { run, ready, cwd } = await startApp(FRAMEWORKS.flask, { APP_VARIANT: 'other-secret' });
    const trigger = runCli(['trigger', 'payment_intent.succeeded', '--attach'], { cwd });
    const { exitCode } = await trigger.exit();
    const said = '⚠️  Webhook signature verification failed.No signatures found matching the expected signature for payload';
    expect(trigger.stderr()).toContain('✗ trigger payment_intent.succeeded failed, a handler failed');
    expect(trigger.stderr()).toContain(`the app answered 200 for payment_intent.succeeded but said: ${said}`);
    expect(trigger.stderr()).toContain(`webhook-dev started it with STRIPE_WEBHOOK_SECRET=${ready.secret}`);
    expect(trigger.stdout()).toContain('✗ app 200');
    expect(exitCode).toBe(20);

    const statusOnly = runCli(['trigger', 'payment_intent.succeeded', '--attach', '--status-only'], { cwd });
    expect((await statusOnly.exit()).exitCode).toBe(0);
    await stop(run);
    // The session's own summary says it was the app.
    expect(run.records.at(-1)).toMatchObject({ type: 'summary', appFailures: { 'the app answered 200 but reported a failure': expect.any(Number) } });
  }, 120_000);
});
