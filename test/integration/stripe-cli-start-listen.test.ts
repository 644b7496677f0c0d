/**
 * startStripeListen with real processes: the real Stripe CLI against local servers
 * (a 401, a closed port, a minimal session endpoint), and fake CLIs for the failure paths.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { StripeAuthError, StripeCliExitedError, StripeCliNotReadyError, StripeUnreachableError } from '../../src/errors.js';
import { buildListenArgs } from '../../src/stripe-cli/listen-args.js';
import { locateStripeCli } from '../../src/stripe-cli/locate-stripe-cli.js';
import type { ListenLine } from '../../src/stripe-cli/parse-listen-output.js';
import { startStripeListen, type StripeListenHandle } from '../../src/stripe-cli/start-stripe-listen.js';
import { buildStripeCliEnv } from '../../src/stripe-cli/stripe-cli-env.js';
import type { StripeCliInfo } from '../../src/types.js';
import { waitFor } from '../helpers/wait-for.js';
import { unusedPort } from '../helpers/unused-port.js';
import { isAlive } from '../helpers/run-cli.js';
import { listenLoopback } from '../helpers/listen-loopback.js';

const fixtures = path.resolve('test/fixtures/fake-stripe');
const fake = (name: string): StripeCliInfo => ({ path: path.join(fixtures, name), version: '9.9.9', source: 'flag' });
const SESSION_SECRET = 'whsec_testSessionSecret0123456789abcdef';

let realCli: StripeCliInfo;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  realCli = (await locateStripeCli({ env: { HOME: process.env.HOME, PATH: '' } })).info;
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});


async function listen(server: http.Server): Promise<number> {
  const listening = await listenLoopback(server);
  cleanups.push(() => listening.close());
  return listening.port;
}


async function configDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'webhook-dev-stripe-config-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function realEnv(): Promise<Record<string, string>> {
  return buildStripeCliEnv({ baseEnv: process.env, apiKey: 'sk_test_offline_key', configDir: await configDir(), offline: true });
}

/** Just enough of the session protocol for the CLI to become ready and forward one event. */
async function startSessionApi(): Promise<string> {
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const { port } = server.address() as AddressInfo;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          websocket_url: `ws://127.0.0.1:${port}/ws`,
          websocket_id: 'ws_test',
          websocket_authorized_feature: 'webhooks',
          secret: SESSION_SECRET,
          reconnect_delay: 60,
          default_version: '2026-10-28.endive',
          latest_version: '2026-10-28.endive',
          display_connect_filter_warning: false,
          device_token: 'device_test',
        }),
      );
    });
  });
  const sockets = new WebSocketServer({ server, path: '/ws', handleProtocols: (protocols) => [...protocols][0] ?? false });
  sockets.on('connection', (socket) => {
    const event = { id: 'evt_test_1', object: 'event', type: 'payment_intent.created', created: 1, livemode: false, data: { object: { id: 'pi_1' } } };
    socket.send(
      JSON.stringify({
        type: 'webhook_event',
        webhook_id: 'we_1',
        webhook_conversation_id: 'wc_1',
        event_payload: JSON.stringify(event),
        http_headers: { 'Content-Type': 'application/json; charset=utf-8', 'Stripe-Signature': 't=1,v1=00' },
        endpoint: { api_version: null },
      }),
    );
  });
  cleanups.push(() => new Promise((resolve) => sockets.close(resolve)));
  return `http://127.0.0.1:${await listen(server)}`;
}

async function startReceiver(): Promise<{ url: string; bodies: string[] }> {
  const bodies: string[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      bodies.push(body);
      response.end('ok');
    });
  });
  return { url: `http://127.0.0.1:${await listen(server)}/webhook`, bodies };
}

/** Starts and registers cleanup; records the pid even when start rejects. */
async function start(options: Omit<Parameters<typeof startStripeListen>[0], 'onSpawn'>): Promise<{ handle?: StripeListenHandle; error?: unknown; pid: number }> {
  let pid = -1;
  try {
    const handle = await startStripeListen({ ...options, onSpawn: (spawned) => (pid = spawned) });
    cleanups.push(() => handle.close());
    return { handle, pid };
  } catch (error) {
    return { error, pid };
  }
}

describe('startStripeListen with the real Stripe CLI', () => {
  it('resolves on Ready with the secret, keeps reading, and closes cleanly', async () => {
    const apiBase = await startSessionApi();
    const receiver = await startReceiver();
    const lines: ListenLine[] = [];
    const { handle } = await start({
      cli: realCli,
      args: buildListenArgs({ forwardTo: receiver.url, events: ['payment_intent.created'], apiBase }),
      env: await realEnv(),
      onLine: (line) => lines.push(line),
    });
    expect(handle).toBeDefined();
    const listening = handle!;
    expect(listening.secret).toBe(SESSION_SECRET);
    expect(listening.apiVersion).toBe('2026-10-28.endive');
    expect(isAlive(listening.pid)).toBe(true);

    await waitFor(() => lines.some((line) => line.kind === 'delivery' && line.status === 200 && line.eventId === 'evt_test_1'), {
      timeoutMs: 10_000,
      description: 'the delivery line',
    });
    expect(lines).toContainEqual(expect.objectContaining({ kind: 'event', eventType: 'payment_intent.created', eventId: 'evt_test_1' }));
    expect(JSON.parse(receiver.bodies[0] ?? '{}')).toMatchObject({ id: 'evt_test_1' });
    expect(listening.recentOutput().join('\n')).not.toContain(SESSION_SECRET);
    expect(listening.recentOutput()).toContainEqual(expect.stringMatching(/^Ready! .*whsec_…cdef/));

    await Promise.all([listening.close(), listening.close()]);
    expect(await listening.exited).toEqual({ exitCode: 0 });
    expect(isAlive(listening.pid)).toBe(false);
  });

  it('HTTP 401 from the API → StripeAuthError with what to do, and no process left', async () => {
    const server = http.createServer((request, response) => {
      request.resume();
      response.writeHead(401, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'Invalid API Key provided: sk_test_****_key', type: 'invalid_request_error' } }));
    });
    const apiBase = `http://127.0.0.1:${await listen(server)}`;
    const receiver = await startReceiver();
    const { error, pid } = await start({
      cli: realCli,
      args: buildListenArgs({ forwardTo: receiver.url, events: 'all-snapshot', apiBase }),
      env: await realEnv(),
    });
    expect(error).toBeInstanceOf(StripeAuthError);
    expect(error).toMatchObject({ exitCode: 5, message: expect.stringContaining('401'), hint: expect.stringMatching(/stripe login.*STRIPE_API_KEY.*--api-key.*--offline/s) });
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid)).toBe(false);
  });

  it('API base unreachable → StripeUnreachableError after the CLI gives up, and no process left', async () => {
    const receiver = await startReceiver();
    const { error, pid } = await start({
      cli: realCli,
      args: buildListenArgs({ forwardTo: receiver.url, events: 'all-snapshot', apiBase: `http://127.0.0.1:${await unusedPort()}` }),
      env: await realEnv(),
    });
    expect(error).toBeInstanceOf(StripeUnreachableError);
    expect(error).toMatchObject({ exitCode: 6, message: expect.stringContaining('connection refused'), hint: expect.stringMatching(/--offline/) });
    expect(isAlive(pid)).toBe(false);
  });

  it('offline env: outside calls go to the dead proxy, even with NO_PROXY=*', async () => {
    const receiver = await startReceiver();
    const env = buildStripeCliEnv({ baseEnv: { ...process.env, NO_PROXY: '*' }, apiKey: 'sk_test_offline_key', configDir: await configDir(), offline: true });
    // No --api-base: the CLI tries the real https://api.stripe.com.
    const { error } = await start({ cli: realCli, args: buildListenArgs({ forwardTo: receiver.url, events: 'all-snapshot' }), env });
    expect(error).toBeInstanceOf(StripeUnreachableError);
    expect((error as Error).message).toMatch(/proxyconnect tcp: dial tcp 127\.0\.0\.1:9/);
  });
});

describe('startStripeListen failure paths (fake CLIs)', () => {
  it('exits before ready → StripeCliExitedError with the exit code and its last lines, secrets masked', async () => {
    const { error, pid } = await start({ cli: fake('stripe-exits-early'), args: ['listen'], env: buildStripeCliEnv({ baseEnv: process.env }) });
    expect(error).toBeInstanceOf(StripeCliExitedError);
    const exited = error as StripeCliExitedError;
    expect(exited.exitCode).toBe(7);
    expect(exited.message).toMatch(/exited with code 3 before it was ready: fake: giving up$/);
    expect(exited.details).toEqual(expect.arrayContaining(['Getting ready...', 'fake: loading profile', 'fake: giving up']));
    expect(exited.details.join('\n')).not.toContain('sk_test_abcdefghijklmnop');
    expect(exited.details.join('\n')).toContain('sk_test_…mnop');
    expect(isAlive(pid)).toBe(false);
  });

  it('never ready → StripeCliNotReadyError after readyTimeoutMs, with its output, and no process left', async () => {
    const { error, pid } = await start({ cli: fake('stripe-never-ready'), args: ['listen'], env: buildStripeCliEnv({ baseEnv: process.env }), readyTimeoutMs: 1_000 });
    expect(error).toBeInstanceOf(StripeCliNotReadyError);
    expect(error).toMatchObject({ exitCode: 8, message: expect.stringContaining('1 s'), details: ['Getting ready...'] });
    expect(isAlive(pid)).toBe(false);
  });

  it('never ready and deaf to SIGTERM → killed after graceMs; still no process left', async () => {
    const { error, pid } = await start({
      cli: fake('stripe-ignores-sigterm'),
      args: ['listen'],
      env: buildStripeCliEnv({ baseEnv: process.env }),
      readyTimeoutMs: 1_000,
      graceMs: 300,
    });
    expect(error).toBeInstanceOf(StripeCliNotReadyError);
    expect(isAlive(pid)).toBe(false);
  });

  it('aborting before Ready stops the child and rejects with the abort reason', async () => {
    const controller = new AbortController();
    const reason = new Error('interrupted');
    const { error, pid } = await start({
      cli: fake('stripe-never-ready'),
      args: ['listen'],
      env: buildStripeCliEnv({ baseEnv: process.env }),
      signal: controller.signal,
      onLine: (line) => {
        if (line.kind === 'getting-ready') controller.abort(reason);
      },
    });
    expect(error).toBe(reason);
    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid)).toBe(false);
  });

  it('readyWhen settles it before the CLI prints Ready (the emulator saw the websocket connect)', async () => {
    let connected!: (ready: { secret: string; apiVersion?: string }) => void;
    const readyWhen = new Promise<{ secret: string; apiVersion?: string }>((resolve) => (connected = resolve));
    const lines: string[] = [];
    const starting = start({
      cli: fake('stripe-never-ready'),
      args: ['listen'],
      env: buildStripeCliEnv({ baseEnv: process.env }),
      readyTimeoutMs: 10_000,
      readyWhen,
      onLine: (line) => {
        lines.push(line.kind);
        if (line.kind === 'getting-ready') connected({ secret: SESSION_SECRET, apiVersion: '2026-10-28.endive' });
      },
    });
    const { handle, error, pid } = await starting;
    expect(error).toBeUndefined();
    expect(handle).toMatchObject({ secret: SESSION_SECRET, apiVersion: '2026-10-28.endive' });
    expect(lines).toEqual(['getting-ready']);
    await handle!.close();
    expect(isAlive(pid)).toBe(false);
  });

  it('a readyWhen that rejects changes nothing: the Ready line and the timeout still decide', async () => {
    const { error, pid } = await start({
      cli: fake('stripe-never-ready'),
      args: ['listen'],
      env: buildStripeCliEnv({ baseEnv: process.env }),
      readyTimeoutMs: 800,
      readyWhen: Promise.reject(new Error('the emulator closed')),
    });
    expect(error).toBeInstanceOf(StripeCliNotReadyError);
    expect(isAlive(pid)).toBe(false);
  });

  it('an already aborted signal starts nothing', async () => {
    const reason = new Error('too late');
    const { error, pid } = await start({ cli: fake('stripe-never-ready'), args: ['listen'], env: {}, signal: AbortSignal.abort(reason) });
    expect(error).toBe(reason);
    expect(pid).toBe(-1);
  });

  it('a binary that cannot start → StripeCliExitedError that says so', async () => {
    const { error } = await start({ cli: fake('no-such-file'), args: ['listen'], env: buildStripeCliEnv({ baseEnv: process.env }) });
    expect(error).toBeInstanceOf(StripeCliExitedError);
    expect((error as Error).message).toMatch(/could not be started .*ENOENT/);
  });

  it('drains both pipes after Ready, far past a pipe buffer', async () => {
    const texts: string[] = [];
    const { handle } = await start({
      cli: fake('stripe-ready'),
      args: ['listen'],
      env: buildStripeCliEnv({ baseEnv: process.env }),
      onLine: (_line, text) => texts.push(text),
    });
    expect(handle?.secret).toBe('whsec_fakeReadySecret0123456789');
    expect(handle?.apiVersion).toBe('2026-10-28.endive');
    // 2,000 event lines are ~150 KB: more than twice what a pipe holds.
    await waitFor(() => texts.includes('fake: all printed'), { timeoutMs: 10_000, description: 'the last line' });
    expect(texts.filter((text) => text.includes('-->'))).toHaveLength(2_000);
    expect(handle!.recentOutput()).toHaveLength(20);
    await handle!.close();
    expect(await handle!.exited).toEqual({ exitCode: 0 });
  });
});

describe('close() (execa: SIGTERM, then SIGKILL after graceMs)', () => {
  /** A fake CLI that never prints Ready, made ready by readyWhen as soon as it starts. */
  async function startReady(name: string, graceMs: number): Promise<{ handle: StripeListenHandle; texts: string[] }> {
    const texts: string[] = [];
    let started!: (ready: { secret: string }) => void;
    const readyWhen = new Promise<{ secret: string }>((resolve) => (started = resolve));
    const { handle, error } = await start({
      cli: fake(name),
      args: ['listen'],
      env: buildStripeCliEnv({ baseEnv: process.env }),
      graceMs,
      readyTimeoutMs: 10_000,
      readyWhen,
      onLine: (line, text) => {
        texts.push(text);
        // Its SIGTERM handler is installed before it prints this.
        if (line.kind === 'getting-ready') started({ secret: SESSION_SECRET });
      },
    });
    expect(error).toBeUndefined();
    return { handle: handle!, texts };
  }

  it('escalates to SIGKILL when SIGTERM is ignored', async () => {
    const { handle, texts } = await startReady('stripe-ignores-sigterm', 300);
    const closing = Date.now();
    await handle.close();
    expect(Date.now() - closing).toBeGreaterThanOrEqual(250);
    expect(await handle.exited).toEqual({ signal: 'SIGKILL' });
    expect(texts).toContain('fake: ignoring SIGTERM');
    expect(isAlive(handle.pid)).toBe(false);
  });

  it('a polite child stops at SIGTERM; closing twice, and again later, is fine', async () => {
    const { handle } = await startReady('stripe-never-ready', 5_000);
    await Promise.all([handle.close(), handle.close()]);
    expect(await handle.exited).toEqual({ signal: 'SIGTERM' });
    expect(isAlive(handle.pid)).toBe(false);
    await handle.close();
  });
});
