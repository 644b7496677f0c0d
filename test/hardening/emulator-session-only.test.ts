/**
 * Nobody but the session may drive or read the offline emulator. Each attack of issue 9 against a
 * real emulator on a loopback port: a web page's cross-origin text/plain publish, a DNS-rebinding
 * page (Host: evil.example) asking for the signing secret, a local client without the key, and a
 * second websocket client trying to listen in. None gets through, and the session's own clients
 * (its key, its control token) still do.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startEmulator, type Emulator } from '../../src/emulator/start-emulator.js';
import type { StripeEventLike } from '../../src/types.js';
import { emulatorAuth, jsonPost } from '../helpers/emulator-auth.js';
import { openConnection, sendRequest, uploadUntilClosed } from '../helpers/raw-http.js';

const TOKEN = 'session-control-token-for-the-hardening-test';
const emulators: Emulator[] = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await Promise.all(emulators.splice(0).map((emulator) => emulator.close()));
});

async function start(): Promise<{ emulator: Emulator; published: StripeEventLike[] }> {
  const published: StripeEventLike[] = [];
  const emulator = await startEmulator({ sessionToken: TOKEN, onEvent: (event) => published.push(event) });
  emulators.push(emulator);
  return { emulator, published };
}

const SESSION_FORM = 'device_name=x&websocket_features[]=webhooks&forward_to_url=http://127.0.0.1:1/webhook';
const host = (emulator: Emulator) => new URL(emulator.apiBase).host;

describe('publishing', () => {
  it("refuses a web page's cross-origin text/plain POST (no preflight), with or without a guessed key", async () => {
    const { emulator, published } = await start();
    const simple = { 'content-type': 'text/plain', origin: 'https://evil.example' };
    const bare = await sendRequest(`${emulator.controlUrl}/events`, { headers: simple, body: '{"type":"payment_intent.succeeded"}' });
    expect(bare.status).toBe(403);
    const keyed = await sendRequest(`${emulator.controlUrl}/events`, { headers: { ...simple, authorization: 'Bearer sk_test_guessed_key_123' }, body: '{"type":"payment_intent.succeeded"}' });
    expect(keyed.status).toBe(403);
    expect(published).toHaveLength(0);
  });

  it('refuses a publish without credentials, with a wrong key, or as text/plain even with the key', async () => {
    const { emulator, published } = await start();
    const body = '{"type":"payment_intent.succeeded"}';
    expect((await sendRequest(`${emulator.controlUrl}/events`, { headers: { 'content-type': 'application/json' }, body })).status).toBe(401);
    expect((await sendRequest(`${emulator.controlUrl}/events`, { headers: { 'content-type': 'application/json', authorization: 'Bearer sk_test_offlineWRONGwrongWRONGwrongWRONGwrong12' }, body })).status).toBe(401);
    const plain = await sendRequest(`${emulator.controlUrl}/events`, { headers: { 'content-type': 'text/plain', ...lower(emulatorAuth(emulator)) }, body });
    expect(plain.status).toBe(415);
    expect(JSON.parse(plain.body).error.message).toMatch(/Content-Type: application\/json/);
    for (const path of ['/health', '/event-types']) expect((await sendRequest(`${emulator.controlUrl}${path}`, { method: 'GET' })).status).toBe(401);
    expect(published).toHaveLength(0);
  });

  it("publishes for the session's key and for its control token", async () => {
    const { emulator, published } = await start();
    expect((await fetch(`${emulator.controlUrl}/events`, jsonPost(emulator, { type: 'customer.created' }))).status).toBe(200);
    expect((await fetch(`${emulator.controlUrl}/events`, jsonPost({ apiKey: TOKEN }, { type: 'customer.created' }))).status).toBe(200);
    expect((await sendRequest(`${emulator.controlUrl}/events`, { headers: { 'content-type': 'application/json; charset=utf-8', authorization: `Basic ${Buffer.from(`${emulator.apiKey}:`).toString('base64')}` }, body: '{"type":"customer.created"}' })).status).toBe(200);
    expect(published).toHaveLength(3);
  });
});

describe('the signing secret', () => {
  it('is not given to a DNS-rebinding page (Host: evil.example), even with a key', async () => {
    const { emulator } = await start();
    const headers = { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${emulator.apiKey}` };
    for (const hostHeader of ['evil.example', `evil.example:${new URL(emulator.apiBase).port}`, '127.0.0.1:1', 'localhost']) {
      const response = await sendRequest(`${emulator.apiBase}/v1/stripecli/sessions`, { headers: { ...headers, host: hostHeader }, body: SESSION_FORM });
      expect(response.status, hostHeader).toBe(403);
      expect(response.body).not.toContain('whsec_');
    }
  });

  it('is not given to a local client with any other test key, nor to a page with a foreign Origin', async () => {
    const { emulator } = await start();
    for (const key of ['sk_test_webhookdev_offline', 'sk_test_anything_at_all_123', 'rk_test_restricted_key_1']) {
      const response = await sendRequest(`${emulator.apiBase}/v1/stripecli/sessions`, { headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${key}` }, body: SESSION_FORM });
      expect(response.status, key).toBe(401);
      expect(response.body).not.toContain('whsec_');
      expect(response.body).not.toContain(key);
    }
    const fromPage = await sendRequest(`${emulator.apiBase}/v1/stripecli/sessions`, { headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${emulator.apiKey}`, origin: 'http://evil.example' }, body: SESSION_FORM });
    expect(fromPage.status).toBe(403);
    const mine = await sendRequest(`${emulator.apiBase}/v1/stripecli/sessions`, { headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${emulator.apiKey}`, host: host(emulator) }, body: SESSION_FORM });
    expect(JSON.parse(mine.body).secret).toBe(emulator.secret);
  });

  it('guards every API route, the ones other engineers add later included (one check at the door)', async () => {
    const { emulator } = await start();
    for (const path of ['/v1/customers', '/v1/events/evt_1', '/v1/no_such_resource', '/not-even-v1']) {
      expect((await sendRequest(`${emulator.apiBase}${path}`, { method: 'GET' })).status, path).toBe(401);
      expect((await sendRequest(`${emulator.apiBase}${path}`, { method: 'GET', headers: { ...lower(emulatorAuth(emulator)), host: 'evil.example' } })).status, path).toBe(403);
    }
  });
});

describe('the websocket', () => {
  function connect(emulator: Emulator, websocketId: string, headers: Record<string, string> = {}): Promise<WebSocket | { status: number }> {
    const socket = new WebSocket(`${emulator.apiBase.replace('http', 'ws')}/stripecli/websocket?websocket_feature=webhook-payloads`, ['stripecli-devproxy-v1'], { headers: { 'Websocket-Id': websocketId, ...headers } });
    sockets.push(socket);
    return new Promise((resolve) => {
      socket.once('open', () => resolve(socket));
      socket.once('unexpected-response', (_request, response) => resolve({ status: response.statusCode ?? 0 }));
      socket.once('error', () => resolve({ status: 0 }));
    });
  }

  it('lets no second client listen in: a guessed id, a browser page, or a foreign Host are refused', async () => {
    const { emulator } = await start();
    const session = (await (await fetch(`${emulator.apiBase}/v1/stripecli/sessions`, { method: 'POST', headers: { ...emulatorAuth(emulator), 'content-type': 'application/x-www-form-urlencoded' }, body: SESSION_FORM })).json()) as { websocket_id: string };
    const cli = await connect(emulator, session.websocket_id);
    expect(cli).toBeInstanceOf(WebSocket);
    expect(await connect(emulator, 'wsid_guessed0000000000000000')).toEqual({ status: 400 });
    expect(await connect(emulator, '')).toEqual({ status: 400 });
    // A page can open a websocket to 127.0.0.1 but cannot set Websocket-Id, and always sends Origin.
    expect(await connect(emulator, session.websocket_id, { Origin: 'https://evil.example' })).toEqual({ status: 403 });
    expect(await connect(emulator, session.websocket_id, { Host: 'evil.example' })).toEqual({ status: 403 });
    // Only the session's CLI got the event.
    const received: string[] = [];
    (cli as WebSocket).on('message', (data) => received.push(String(data)));
    emulator.publish({ type: 'customer.created' });
    await expect.poll(() => received.length).toBe(1);
  });
});

describe('its own transport', () => {
  it('closes the connection after a 413 instead of reading a huge body', async () => {
    const { emulator } = await start();
    const connection = await openConnection(Number(new URL(emulator.apiBase).port));
    connection.socket.write(`POST /_webhook-dev/events HTTP/1.1\r\nHost: ${host(emulator)}\r\nAuthorization: Bearer ${emulator.apiKey}\r\nContent-Type: application/json\r\nContent-Length: ${1024 ** 3}\r\n\r\n`);
    // Written as fast as the server takes it, until it hangs up; 256 MB at most.
    const sent = await uploadUntilClosed(connection, 256 * 1024 ** 2);
    expect(connection.received()).toMatch(/^HTTP\/1\.1 413 /);
    expect(sent).toBeLessThan(64 * 1024 ** 2);
  });
});

function lower(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
}
