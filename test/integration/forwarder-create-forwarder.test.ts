import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createForwarder, type Forwarder, type ForwarderOptions } from '../../src/forwarder/create-forwarder.js';
import { signPayload } from '../../src/signature/sign-payload.js';
import { startExpressApp } from '../fixtures/apps/express-app.mjs';
import { startPlainApp } from '../fixtures/apps/start-plain-app.js';
import { unusedPort } from '../helpers/unused-port.js';

const SECRET = 'whsec_forwarder0test0secret0abcdefghijklmnopqrstuvwxyz';
const OTHER_SECRET = 'whsec_dashboard0endpoint0secret0zyxwvutsrqponmlk';

// Stripe sends events pretty-printed; re-serializing them changes the bytes, which is the point.
const BODY = Buffer.from(
  `${JSON.stringify({ id: 'evt_fwd_1', object: 'event', type: 'payment_intent.succeeded', created: 1_700_000_000, livemode: false, data: { object: { id: 'pi_1', object: 'payment_intent', amount: 2000 } } }, null, 2)}\n`,
);

/** The headers the Stripe CLI delivers with, plus hop headers that must not be copied. */
function deliveryHeaders(body: Buffer = BODY, secret = SECRET) {
  return {
    'stripe-signature': signPayload(body, { secret }),
    'content-type': 'application/json; charset=utf-8',
    'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
    accept: '*/*; q=0.5, application/xml',
    'cache-control': 'no-cache',
    host: 'localhost:4343',
    'content-length': String(body.length),
    connection: 'keep-alive',
    'x-forwarded-for': '10.0.0.1',
  };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

function forwarder(options: Omit<ForwarderOptions, 'secret'> & { secret?: ForwarderOptions['secret'] }): Forwarder {
  const created = createForwarder({ secret: () => SECRET, ...options });
  cleanups.push(() => created.close());
  return created;
}

async function app<T extends { close(): Promise<void> }>(started: Promise<T>): Promise<T> {
  const value = await started;
  cleanups.push(() => value.close());
  return value;
}

describe('createForwarder with a Stripe-docs Express app', () => {
  it('delivers the exact bytes and Stripe headers, and the app verifies them', async () => {
    const express = await app(startExpressApp({ secret: SECRET, mode: 'raw' }));
    const headers = deliveryHeaders();
    const result = await forwarder({ url: express.url }).forward(BODY, headers);

    expect(result.outcome).toMatchObject({ status: 'response', statusCode: 200, bodyTruncated: false });
    expect(result.outcome.status === 'response' && JSON.parse(result.outcome.body)).toEqual({ received: true, type: 'payment_intent.succeeded' });
    expect(result.diagnosis).toBeUndefined();
    expect(result.url).toBe(express.url);
    expect(result.durationMs).toBeGreaterThan(0);

    const got = express.received[0]!;
    expect(got.body?.equals(BODY)).toBe(true);
    expect(got.headers['stripe-signature']).toBe(headers['stripe-signature']);
    expect(got.headers['user-agent']).toBe(headers['user-agent']);
    expect(got.headers['content-type']).toBe(headers['content-type']);
    expect(got.headers['accept']).toBe(headers.accept);
    expect(got.headers['cache-control']).toBe(headers['cache-control']);
    expect(got.headers['x-forwarded-for']).toBeUndefined();
    expect(got.headers['host']).toBe(new URL(express.url).host);
    expect(got.headers['content-length']).toBe(String(BODY.length));
  });

  it('diagnoses express.json() before the route as a parsed body', async () => {
    const express = await app(startExpressApp({ secret: SECRET, mode: 'json-first' }));
    const result = await forwarder({ url: express.url }).forward(BODY, deliveryHeaders());

    expect(result.outcome).toMatchObject({ status: 'response', statusCode: 400 });
    expect(result.outcome.status === 'response' && result.outcome.body).toMatch(/^Webhook Error: Webhook payload must be provided as a string or a Buffer/);
    expect(result.diagnosis?.cause).toBe('parsed-body');
    expect(result.diagnosis?.hints.join('\n')).toContain('express.json()');
    expect(result.diagnosis?.hints.join('\n')).toContain("express.raw({ type: 'application/json' })");
    // The app did get the bytes untouched: its parser is what broke them.
    expect(express.received[0]?.body?.equals(BODY)).toBe(true);
  });

  it('names the secret mismatch, with the session secret masked, when the app has another secret', async () => {
    const express = await app(startExpressApp({ secret: OTHER_SECRET, mode: 'raw' }));
    const result = await forwarder({ url: express.url, secretEnvName: 'MY_WEBHOOK_SECRET' }).forward(BODY, deliveryHeaders());

    expect(result.outcome).toMatchObject({ status: 'response', statusCode: 400 });
    expect(result.diagnosis?.cause).toBe('secret-mismatch-or-parsed-body');
    const first = result.diagnosis?.hints[0] ?? '';
    expect(first).toContain('different secret');
    expect(first).toContain(`whsec_…${SECRET.slice(-4)}`);
    expect(first).toContain('MY_WEBHOOK_SECRET');
    const everything = JSON.stringify(result);
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain(OTHER_SECRET);
  });
});

describe('createForwarder failures', () => {
  it('reports connection refused for an app that is not running', async () => {
    const port = await unusedPort();
    const result = await forwarder({ url: `http://127.0.0.1:${port}/webhook` }).forward(BODY, deliveryHeaders());

    expect(result.outcome).toEqual({ status: 'failed', kind: 'connection-refused', message: `Connection refused: nothing is listening at 127.0.0.1:${port}` });
    expect(result.diagnosis?.summary).toBe(`Nothing answered at 127.0.0.1:${port}.`);
    expect(result.diagnosis?.hints.join('\n')).toContain('0.0.0.0');
  });

  it('times out a slow app after timeoutMs, and waits for it with timeoutMs 0', async () => {
    const slow = await app(
      startPlainApp({
        respond: async (_request, _body, response, { wait }) => {
          await wait(2_000);
          response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
        },
      }),
    );
    const quick = await forwarder({ url: slow.url, timeoutMs: 300 }).forward(BODY, deliveryHeaders());
    expect(quick.outcome).toMatchObject({ status: 'failed', kind: 'timeout' });
    expect(quick.outcome.status === 'failed' && quick.outcome.message).toContain('within 300 ms');
    expect(quick.durationMs).toBeGreaterThanOrEqual(290);
    expect(quick.durationMs).toBeLessThan(1_900);
    expect(quick.diagnosis?.hints.join('\n')).toContain('--no-timeout');

    const patient = await forwarder({ url: slow.url, timeoutMs: 0 }).forward(BODY, deliveryHeaders());
    expect(patient.outcome).toMatchObject({ status: 'response', statusCode: 200, body: '{"ok":true}' });
    expect(patient.durationMs).toBeGreaterThanOrEqual(1_900);
  });

  it('does not follow a redirect, shows it and diagnoses it', async () => {
    const redirecting = await app(
      startPlainApp({
        respond: (_request, _body, response) => {
          response.writeHead(302, { location: '/webhook/' }).end();
        },
      }),
    );
    const result = await forwarder({ url: redirecting.url }).forward(BODY, deliveryHeaders());

    expect(result.outcome).toMatchObject({ status: 'response', statusCode: 302, headers: { location: '/webhook/' } });
    expect(redirecting.received).toHaveLength(1);
    expect(result.diagnosis?.cause).toBe('redirect');
    expect(result.diagnosis?.hints[0]).toBe(`Forward to the final URL: --forward-to ${redirecting.url}/`);
  });

  it('keeps only maxBodyBytes of a large answer and says so', async () => {
    const big = 'x'.repeat(300 * 1024);
    const chatty = await app(
      startPlainApp({
        respond: (_request, _body, response) => {
          response.writeHead(500, { 'content-type': 'text/plain' }).end(big);
        },
      }),
    );
    const result = await forwarder({ url: chatty.url, maxBodyBytes: 64 * 1024 }).forward(BODY, deliveryHeaders());

    expect(result.outcome).toMatchObject({ status: 'response', statusCode: 500, bodyTruncated: true });
    expect(result.outcome.status === 'response' && result.outcome.body.length).toBe(64 * 1024);
    expect(result.diagnosis?.cause).toBe('app-error');
  });

  it('keeps an answer of exactly maxBodyBytes whole', async () => {
    const exact = await app(
      startPlainApp({
        respond: (_request, _body, response) => {
          response.writeHead(200).end('y'.repeat(1024));
        },
      }),
    );
    const result = await forwarder({ url: exact.url, maxBodyBytes: 1024 }).forward(BODY, deliveryHeaders());
    expect(result.outcome).toMatchObject({ status: 'response', statusCode: 200, bodyTruncated: false, body: 'y'.repeat(1024) });
  });

  it('reuses one keep-alive connection for consecutive events', async () => {
    const ok = await app(
      startPlainApp({
        respond: (_request, _body, response) => {
          response.writeHead(200).end('ok');
        },
      }),
    );
    const forward = forwarder({ url: ok.url });
    for (let i = 0; i < 3; i++) {
      expect((await forward.forward(BODY, deliveryHeaders())).outcome).toMatchObject({ statusCode: 200 });
      // undici returns the socket to its pool a tick after the body ends; real events are further apart.
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(ok.received).toHaveLength(3);
    expect(ok.connections()).toBe(1);
  });

  it('forwards concurrent events in parallel, as the Stripe CLI delivers them', async () => {
    const slowish = await app(
      startPlainApp({
        respond: async (_request, _body, response, { wait }) => {
          await wait(400);
          response.writeHead(200).end('ok');
        },
      }),
    );
    const forward = forwarder({ url: slowish.url });
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 5 }, () => forward.forward(BODY, deliveryHeaders())));
    expect(results.map((result) => result.outcome.status === 'response' && result.outcome.statusCode)).toEqual([200, 200, 200, 200, 200]);
    // One after the other would take 2 s.
    expect(performance.now() - started).toBeLessThan(1_500);
  });

  it('close() aborts a forward waiting at a breakpoint, is idempotent, and later forwards fail cleanly', async () => {
    const stuck = await app(
      startPlainApp({
        respond: async (_request, _body, response, { wait }) => {
          await wait(60_000);
          response.end();
        },
      }),
    );
    const forward = createForwarder({ url: stuck.url, timeoutMs: 0, secret: () => SECRET });
    const pending = forward.forward(BODY, deliveryHeaders());
    await expect.poll(() => stuck.received.length).toBe(1);

    await Promise.all([forward.close(), forward.close()]);
    const result = await pending;
    expect(result.outcome.status).toBe('failed');
    const after = await forward.forward(BODY, deliveryHeaders());
    expect(after.outcome).toMatchObject({ status: 'failed', kind: 'other' });
  });

  it('rejects a URL that is not http(s) up front', () => {
    expect(() => createForwarder({ url: 'ftp://localhost:3000/webhook', secret: () => SECRET })).toThrow(/--forward-to takes an http:\/\/ or https:\/\/ URL/);
  });
});

const openssl = whichOpenssl();

describe.runIf(openssl)('createForwarder over HTTPS with a self-signed certificate', () => {
  let dir = '';
  let tls = { key: Buffer.alloc(0), cert: Buffer.alloc(0) };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'webhook-dev-tls-'));
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'],
      { stdio: 'ignore' },
    );
    tls = { key: readFileSync(join(dir, 'k.pem')), cert: readFileSync(join(dir, 'c.pem')) };
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function httpsApp() {
    return app(
      startPlainApp({
        tls,
        respond: (_request, _body, response) => {
          response.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
        },
      }),
    );
  }

  it('fails with a TLS result that suggests --insecure', async () => {
    const secure = await httpsApp();
    const result = await forwarder({ url: secure.url }).forward(BODY, deliveryHeaders());

    expect(result.outcome).toMatchObject({ status: 'failed', kind: 'tls' });
    expect(result.outcome.status === 'failed' && result.outcome.message).toMatch(/self-signed certificate \(DEPTH_ZERO_SELF_SIGNED_CERT\).*--insecure/);
    expect(result.diagnosis?.hints[0]).toContain('--insecure');
    expect(secure.received).toHaveLength(0);
  });

  it('delivers with insecure: true', async () => {
    const secure = await httpsApp();
    const result = await forwarder({ url: secure.url, insecure: true }).forward(BODY, deliveryHeaders());

    expect(result.outcome).toMatchObject({ status: 'response', statusCode: 200 });
    expect(secure.received[0]?.body.equals(BODY)).toBe(true);
  });

  it('says the app speaks plain HTTP when an https:// URL reaches an http server', async () => {
    const plain = await app(
      startPlainApp({
        respond: (_request, _body, response) => {
          response.end('ok');
        },
      }),
    );
    const result = await forwarder({ url: plain.url.replace('http://', 'https://') }).forward(BODY, deliveryHeaders());

    expect(result.outcome).toMatchObject({ status: 'failed', kind: 'tls' });
    expect(result.diagnosis?.hints).toEqual(['The app serves plain HTTP on that port: use an http:// URL in --forward-to.']);
  });
});

function whichOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

