import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, killAllRuns, runCli, type CliRun, type JsonRecord } from '../helpers/run-cli.js';
import { jsonPost, sessionCredentials } from '../helpers/emulator-auth.js';
import { waitFor } from '../helpers/wait-for.js';
import { unusedPort } from '../helpers/unused-port.js';
import { listenLoopback } from '../helpers/listen-loopback.js';

const EXPRESS_SERVER = 'test/fixtures/apps/express-server.mjs';
const REPORT_SECRET_THEN_SERVE = 'test/fixtures/apps/report-secret-then-serve.mjs';
const STUBBORN_TREE = 'test/fixtures/app-children/stubborn-tree.mjs';
// express-server.mjs reads APP_MODE (not MODE: vitest sets MODE=test, which the app would inherit);
// the tests still name it explicitly.
/** A full secret anywhere in the output is a leak; masked ones look like `whsec_…ab12`. */
const UNMASKED_SECRET = /whsec_[A-Za-z0-9]{10,}/;

const testApps = new Set<{ close(): Promise<void> }>();
const tempDirs = new Set<string>();

afterEach(async () => {
  await killAllRuns();
  await Promise.all([...testApps].map((app) => app.close()));
  testApps.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
});

async function startListen(args: string[], { env = {}, cwd }: { env?: Record<string, string>; cwd?: string } = {}): Promise<{ run: CliRun; ready: JsonRecord }> {
  const run = runCli(['listen', '--offline', '--json', '--port', '0', ...args], { env, ...(cwd ? { cwd } : {}) });
  const ready = await run.waitForRecord((r) => r.type === 'ready', 25_000, 'the ready record');
  return { run, ready };
}

async function publish(ready: JsonRecord, type = 'customer.created'): Promise<string> {
  const response = await fetch(ready.publishUrl, jsonPost(sessionCredentials(ready), { type }));
  expect(response.status).toBe(200);
  return ((await response.json()) as { id: string }).id;
}

const eventRecord = (run: CliRun, id: string, timeoutMs = 15_000) =>
  run.waitForRecord((r) => r.type === 'event' && r.event?.id === id, timeoutMs, `the event record for ${id}`);

const appLine = (run: CliRun, pattern: RegExp) =>
  run.waitForRecord((r) => r.type === 'app' && pattern.test(r.line), 15_000, `an app line matching ${pattern}`);

async function stopAndCheckNoLeak(run: CliRun): Promise<void> {
  run.kill('SIGINT');
  await run.exit();
  expect(run.stdout() + run.stderr()).not.toMatch(UNMASKED_SECRET);
}


/** A tiny node:http app in the test process, on an ephemeral port, recording each request's path. */
async function startTestApp(respond: (request: IncomingMessage, response: ServerResponse) => void): Promise<{ url: string; base: string; paths: string[] }> {
  const paths: string[] = [];
  const server = createServer((request, response) => {
    paths.push(request.url ?? '');
    request.resume();
    respond(request, response);
  });
  const listening = await listenLoopback(server);
  testApps.add(listening);
  return { url: `${listening.origin}/webhook`, base: listening.origin, paths };
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'webhook-dev-forward-'));
  tempDirs.add(dir);
  return dir;
}

function diagnosisText(record: JsonRecord): string {
  const diagnosis = record.forward?.diagnosis;
  return diagnosis ? [diagnosis.summary, ...diagnosis.hints].join('\n') : '';
}

describe('webhook-dev listen --forward-to (real Stripe CLI, offline)', () => {
  it("forwards to an Express app with Stripe's raw-body route, started with the secret, and masks it in the app's output", async () => {
    const port = await unusedPort();
    const { run, ready } = await startListen(['--forward-to', `http://127.0.0.1:${port}/webhook`, '--', 'node', EXPRESS_SERVER], { env: { PORT: String(port), APP_MODE: 'raw' } });
    expect(ready).toMatchObject({ forwardTo: `http://127.0.0.1:${port}/webhook`, secret: expect.stringMatching(/^whsec_…[A-Za-z0-9]{4}$/) });
    // The app prints its secret: the record shows the same masked form as the ready record.
    const listening = await appLine(run, /^listening on /);
    expect(listening).toMatchObject({ stream: 'stdout', line: `listening on ${port} with STRIPE_WEBHOOK_SECRET=${ready.secret}` });

    const record = await eventRecord(run, await publish(ready));
    expect(record).toMatchObject({ verified: true, status: 200, forward: { url: `http://127.0.0.1:${port}/webhook`, status: 200, failure: null, diagnosis: null } });
    expect(record.forward.body).toContain('received');
    await stopAndCheckNoLeak(run);
  });

  it('with --handler too, runs the handler first, then forwards, and reports both', async () => {
    const port = await unusedPort();
    const handler = 'test/fixtures/e2e/handler.ts';
    const { run, ready } = await startListen(['--handler', handler, '--forward-to', `http://127.0.0.1:${port}/webhook`, '--', 'node', EXPRESS_SERVER], { env: { PORT: String(port), APP_MODE: 'raw' } });
    const record = await eventRecord(run, await publish(ready, 'customer.created'));
    expect(record).toMatchObject({ outcome: 'ok', value: { welcomed: expect.stringMatching(/^cus_/) }, status: 200, forward: { status: 200 } });
    // A failing handler decides the status the Stripe CLI sees, and the app still gets the event.
    const failing = await eventRecord(run, await publish(ready, 'charge.succeeded'));
    expect(failing).toMatchObject({ outcome: 'error', status: 500, forward: { status: 200 } });
    await stopAndCheckNoLeak(run);
  });

  it('diagnoses an app that parses the body with express.json() before verifying it', async () => {
    const port = await unusedPort();
    const { run, ready } = await startListen(['--forward-to', `http://127.0.0.1:${port}/webhook`, '--', 'node', EXPRESS_SERVER], { env: { PORT: String(port), APP_MODE: 'json-first' } });
    const record = await eventRecord(run, await publish(ready));
    expect(record).toMatchObject({ verified: true, status: 400, forward: { status: 400 } });
    expect(['parsed-body', 'secret-mismatch-or-parsed-body']).toContain(record.forward.diagnosis?.cause);
    expect(diagnosisText(record)).toContain('express.json');
    await stopAndCheckNoLeak(run);
  });

  it('diagnoses an app that verifies with another secret, naming --secret-env and the masked session secret', async () => {
    const port = await unusedPort();
    const wrong = 'whsec_wrongwrongwrongwrongwrongwrong0123';
    const { run, ready } = await startListen(['--forward-to', `http://127.0.0.1:${port}/webhook`, '--', 'node', EXPRESS_SERVER], {
      env: { PORT: String(port), APP_MODE: 'raw', SECRET_ENV: 'OTHER_SECRET', OTHER_SECRET: wrong },
    });
    const record = await eventRecord(run, await publish(ready));
    expect(record).toMatchObject({ verified: true, status: 400, forward: { status: 400 } });
    expect(['secret-mismatch', 'secret-mismatch-or-parsed-body']).toContain(record.forward.diagnosis?.cause);
    const text = diagnosisText(record);
    expect(text).toContain('STRIPE_WEBHOOK_SECRET');
    expect(text).toContain(ready.secret);
    await stopAndCheckNoLeak(run);
    expect(run.stdout()).not.toContain(wrong);
  });

  it('reports an app that is down as connection-refused, answers 502 and goes on', async () => {
    const port = await unusedPort();
    const { run, ready } = await startListen(['--forward-to', `http://127.0.0.1:${port}/webhook`]);
    for (let i = 0; i < 2; i++) {
      const record = await eventRecord(run, await publish(ready));
      expect(record).toMatchObject({ verified: true, status: 502, forward: { status: null, failure: { kind: 'connection-refused' } } });
      expect(record.forward.diagnosis.summary).toContain(`127.0.0.1:${port}`);
    }
    expect(run.records.some((r) => r.type === 'summary')).toBe(false);
    await stopAndCheckNoLeak(run);
  });

  it('gives up on an app slower than --forward-timeout', async () => {
    const app = await startTestApp((_request, response) => {
      const timer = setTimeout(() => response.end('too late'), 3_000);
      response.on('close', () => clearTimeout(timer));
    });
    const { run, ready } = await startListen(['--forward-to', app.url, '--forward-timeout', '300ms']);
    const published = performance.now();
    const record = await eventRecord(run, await publish(ready), 10_000);
    // Well before the app's 3 s answer: the timeout cut it short.
    expect(performance.now() - published).toBeLessThan(2_800);
    expect(record).toMatchObject({ status: 502, forward: { status: null, failure: { kind: 'timeout' } } });
    expect(record.forward.durationMs).toBeGreaterThanOrEqual(250);
    await stopAndCheckNoLeak(run);
  });

  it('reports a redirect with its Location and does not follow it', async () => {
    const app = await startTestApp((request, response) => {
      if (request.url === '/webhook') response.writeHead(302, { location: '/moved' }).end();
      else response.writeHead(200).end('followed');
    });
    const { run, ready } = await startListen(['--forward-to', app.url]);
    const record = await eventRecord(run, await publish(ready));
    expect(record).toMatchObject({ status: 302, forward: { status: 302, location: '/moved', diagnosis: { cause: 'redirect' } } });
    expect(record.forward.diagnosis.summary).toContain(`${app.base}/moved`);
    // A second event bounds the check: had the first redirect been followed, /moved would be listed.
    await eventRecord(run, await publish(ready));
    expect(app.paths).toEqual(['/webhook', '/webhook']);
    await stopAndCheckNoLeak(run);
  });

  it('gives the app the secret in --secret-env, and ends with the app: its exit code, nothing left running', async () => {
    const port = await unusedPort();
    const { run, ready } = await startListen(['--secret-env', 'MY_HOOK_SECRET', '--forward-to', `http://127.0.0.1:${port}/webhook`, '--', 'node', REPORT_SECRET_THEN_SERVE], {
      env: { PORT: String(port), APP_MODE: 'raw', SECRET_ENV: 'MY_HOOK_SECRET', EXIT_AFTER: '1' },
    });
    const report = await appLine(run, /^MY_HOOK_SECRET starts with/);
    const [, startsWithWhsec, length] = /starts with whsec_: (\w+), length (\d+)$/.exec(report.line) ?? [];
    expect(startsWithWhsec).toBe('true');
    expect(Number(length)).toBeGreaterThan('whsec_'.length + 16);
    await appLine(run, new RegExp(`^listening on ${port} with MY_HOOK_SECRET=${ready.secret}$`));

    const record = await eventRecord(run, await publish(ready));
    // The app's own stripe.webhooks.constructEvent accepted it: it has exactly the session's secret.
    expect(record.forward).toMatchObject({ status: 200 });
    const { exitCode } = await run.exit();
    expect(exitCode).toBe(7);
    expect(run.records.at(-1)).toMatchObject({ type: 'summary', reason: 'app-exited', exitCode: 7, events: 1 });
    expect(run.descendants.size).toBeGreaterThan(0);
    await waitFor(() => [...run.descendants].every((pid) => !isAlive(pid)), { timeoutMs: 8_000, description: 'every child to be gone' });
    expect(run.stdout() + run.stderr()).not.toMatch(UNMASKED_SECRET);
  });

  it('on Ctrl-C stops the app and the children it started, even one that ignores SIGTERM', async () => {
    const { run } = await startListen(['--', 'node', STUBBORN_TREE]);
    const pids = await appLine(run, /^pids \d+ \d+$/);
    const [app, grandchild] = pids.line.split(' ').slice(1).map(Number) as [number, number];
    expect(isAlive(app) && isAlive(grandchild)).toBe(true);
    run.kill('SIGINT');
    const { exitCode } = await run.exit();
    expect(exitCode).toBe(130);
    await waitFor(() => !isAlive(app) && !isAlive(grandchild), { timeoutMs: 10_000, description: 'the app and its grandchild to be gone' });
    expect(run.descendants).toContain(grandchild);
    await waitFor(() => [...run.descendants].every((pid) => !isAlive(pid)), { timeoutMs: 10_000, description: 'every child to be gone' });
  }, 40_000);
});

describe('webhook-dev listen --write-env', () => {
  const OLD = 'whsec_old0000000000000000';
  const dotenv = (eol: string) =>
    [
      '# Local settings for the shop',
      'DATABASE_URL=postgres://localhost:5432/shop',
      '',
      '# Stripe',
      'STRIPE_PUBLISHABLE_KEY=pk_test_123',
      `STRIPE_WEBHOOK_SECRET=${OLD}`,
      'export NODE_ENV=development',
      'GREETING="hello # not a comment"',
      '',
      'LAST=1',
      '',
    ].join(eol);

  function gitProject(): string {
    const dir = tempDir();
    execFileSync('git', ['init', '-q'], { cwd: dir, env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });
    writeFileSync(join(dir, '.gitignore'), 'node_modules\n');
    return dir;
  }

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('replaces only the secret in a dotenv file with %s line endings, and warns it is not git-ignored', async (_name, eol) => {
    const dir = gitProject();
    const original = dotenv(eol);
    writeFileSync(join(dir, '.env'), original);
    const { run, ready } = await startListen(['--write-env', '.env'], { cwd: dir, env: { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' } });

    const written = readFileSync(join(dir, '.env'), 'utf8');
    const secret = /^STRIPE_WEBHOOK_SECRET=([^\r\n]*)$/m.exec(written)?.[1] ?? '';
    expect(secret).toMatch(/^whsec_[A-Za-z0-9]+$/);
    expect(secret).not.toBe(OLD);
    expect(ready.secret).toBe(`whsec_…${secret.slice(-4)}`);
    expect(readFileSync(join(dir, '.env')).equals(Buffer.from(original.replace(OLD, secret)))).toBe(true);
    expect(readdirSync(dir).filter((name) => name.startsWith('.env'))).toEqual(['.env']);

    const notices = run.records.filter((r) => r.type === 'notice');
    expect(notices.find((r) => r.message.includes(`STRIPE_WEBHOOK_SECRET=${ready.secret}`))).toMatchObject({ level: 'info', message: expect.stringContaining('.env') });
    expect(notices.find((r) => r.level === 'warn' && r.message.includes('.gitignore'))?.message).toContain('.env');
    await stopAndCheckNoLeak(run);
  });

  it('refuses a file that is not a dotenv file: exit 26, an error record, the file untouched', async () => {
    const dir = gitProject();
    const json = '{\n  "name": "shop",\n  "port": 3000\n}\n';
    writeFileSync(join(dir, 'config.json'), json);
    const run = runCli(['listen', '--offline', '--json', '--port', '0', '--write-env', 'config.json'], { cwd: dir });
    const { exitCode } = await run.exit();
    expect(exitCode).toBe(26);
    expect(run.records.find((r) => r.type === 'error')).toMatchObject({ code: 'ENV_FILE_INVALID', exitCode: 26, message: expect.stringContaining('config.json') });
    expect(run.records.some((r) => r.type === 'ready')).toBe(false);
    expect(readFileSync(join(dir, 'config.json')).equals(Buffer.from(json))).toBe(true);
    await waitFor(() => [...run.descendants].every((pid) => !isAlive(pid)), { timeoutMs: 8_000, description: 'every child to be gone' });
  });
});
