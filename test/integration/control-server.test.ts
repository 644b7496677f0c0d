import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ControlSessionInfo } from '../../src/control/control-session-info.js';
import { followSessionEvents, type SessionEventsFollower } from '../../src/control/follow-session-events.js';
import { getSessionInfo } from '../../src/control/get-session-info.js';
import { SseParser, type SseMessage } from '../../src/control/sse-parser.js';
import { startControlServer, type ControlServer, type ControlServerOptions } from '../../src/control/start-control-server.js';
import type { NoticeRecord } from '../../src/render/json-records.js';
import type { ControlRecord } from '../../src/control/start-control-server.js';
import { waitFor } from '../helpers/wait-for.js';

const session: ControlSessionInfo = {
  pid: process.pid,
  startedAt: '2026-01-02T03:04:05.000Z',
  receiverUrl: 'http://127.0.0.1:4343/webhook',
  offline: true,
  apiBase: 'http://127.0.0.1:5000',
  publishUrl: 'http://127.0.0.1:5000/_webhook-dev/events',
  events: 'all-snapshot',
  eventsSource: 'all',
  handler: null,
  stripeCli: { path: '/bin/stripe', version: '1.52.0', source: 'package' },
  apiVersion: null,
};
const notice = (message: string): NoticeRecord => ({ type: 'notice', level: 'info', message });

let cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(options: Partial<ControlServerOptions> = {}): Promise<ControlServer> {
  const server = await startControlServer({ getSession: () => session, ...options });
  cleanups.push(() => server.close());
  return server;
}

async function follow(server: ControlServer, since?: number) {
  const records: ControlRecord[] = [];
  const seqs: Array<number | undefined> = [];
  const errors: unknown[] = [];
  const follower: SessionEventsFollower = await followSessionEvents({
    controlUrl: server.url,
    token: server.token,
    since,
    onRecord: (record, { seq }) => {
      records.push(record);
      seqs.push(seq);
    },
    onError: (error) => errors.push(error),
  });
  cleanups.push(() => follower.close());
  return { follower, records, seqs, errors };
}

/** A plain HTTP GET that lets the test set any header, Host included (fetch does not). */
function rawGet(url: string, headers: Record<string, string>, method = 'GET'): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Reads SSE messages (and raw text) from a fetch response until `done` says enough. */
async function readStream(response: Response, done: (messages: SseMessage[], text: string) => boolean): Promise<{ messages: SseMessage[]; text: string }> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  const messages: SseMessage[] = [];
  let text = '';
  try {
    while (!done(messages, text)) {
      const { done: ended, value } = await reader.read();
      if (ended) break;
      const chunk = decoder.decode(value, { stream: true });
      text += chunk;
      messages.push(...parser.push(chunk));
    }
  } finally {
    await reader.cancel();
  }
  return { messages, text };
}

describe('control server', () => {
  it('listens on 127.0.0.1 on an ephemeral port with a random token', async () => {
    const server = await start();
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('answers GET /session with what getSession returns, now', async () => {
    let current = session;
    const server = await start({ getSession: () => current });
    expect(await getSessionInfo({ controlUrl: server.url, token: server.token })).toEqual(session);
    current = { ...session, receiverUrl: 'http://127.0.0.1:1/changed' };
    const response = await fetch(`${server.url}/session?token=${server.token}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual(current);
  });

  it('streams published records to a follower, in order, as id/event/data messages', async () => {
    const server = await start();
    const { records, seqs, errors } = await follow(server);
    expect(server.subscriberCount()).toBe(1);
    const sent = Array.from({ length: 50 }, (_, i) => notice(`n${i}`));
    for (const record of sent) server.publish(record);
    await waitFor(() => records.length === 50, { description: '50 records' });
    expect(records).toEqual(sent);
    expect(seqs).toEqual(sent.map((_, i) => i + 1));
    expect(errors).toEqual([]);

    const response = await fetch(`${server.url}/events`, { headers: { authorization: `Bearer ${server.token}` } });
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await waitFor(() => server.subscriberCount() === 2, { description: 'the second subscriber' });
    server.publish({ type: 'summary', events: 1, ok: 1, failed: 0, rejected: 0, durationMs: 5, exitCode: 130, reason: 'SIGINT' });
    const { text } = await readStream(response, (messages) => messages.length === 1);
    expect(text).toBe(`id: 51\nevent: summary\ndata: {"type":"summary","events":1,"ok":1,"failed":0,"rejected":0,"durationMs":5,"exitCode":130,"reason":"SIGINT"}\n\n`);
  });

  it('lets a late client catch up with ?since=, then continues live', async () => {
    const server = await start({ bufferSize: 5 });
    for (let i = 1; i <= 8; i++) server.publish(notice(`n${i}`));

    const fromSeq6 = await follow(server, 6);
    const all = await follow(server, 0);
    const live = await follow(server);
    server.publish(notice('n9'));
    await waitFor(() => fromSeq6.records.length === 3 && all.records.length === 6 && live.records.length === 1, { description: 'the catch-up and the live record' });
    expect(fromSeq6.seqs).toEqual([7, 8, 9]);
    // The buffer holds the last 5: a client asking from 0 sees from 4, and the gap in ids tells it so.
    expect(all.seqs).toEqual([4, 5, 6, 7, 8, 9]);
    expect(all.records.map((r) => (r as NoticeRecord).message)).toEqual(['n4', 'n5', 'n6', 'n7', 'n8', 'n9']);
    expect(live.seqs).toEqual([9]);
  });

  it('builds a lazily published record only when a client reads it: live, or catching up later', async () => {
    const server = await start({ bufferSize: 5 });
    let built = 0;
    const make = (message: string) => () => {
      built += 1;
      return notice(message);
    };
    for (let i = 1; i <= 3; i++) server.publishLazy('notice', make(`n${i}`));
    expect(built).toBe(0);

    const late = await follow(server, 1);
    await waitFor(() => late.records.length === 2, { description: 'the catch-up' });
    expect(late.seqs).toEqual([2, 3]);
    expect(built).toBe(2);
    server.publishLazy('notice', make('n4'));
    await waitFor(() => late.records.length === 3, { description: 'the live record' });
    expect(late.records.map((r) => (r as NoticeRecord).message)).toEqual(['n2', 'n3', 'n4']);
    // Each record is serialised once, however many clients read it.
    const again = await follow(server, 0);
    await waitFor(() => again.records.length === 4, { description: 'a second catch-up' });
    expect(built).toBe(4);
  });

  it('treats a Last-Event-ID header (an EventSource reconnecting) like since', async () => {
    const server = await start();
    for (let i = 1; i <= 3; i++) server.publish(notice(`n${i}`));
    const response = await fetch(`${server.url}/events?token=${server.token}`, { headers: { 'last-event-id': '1' } });
    const { messages } = await readStream(response, (m) => m.length === 2);
    expect(messages.map((m) => [m.id, m.event])).toEqual([
      ['2', 'notice'],
      ['3', 'notice'],
    ]);
  });

  it('refuses a malformed since with 400', async () => {
    const server = await start();
    const response = await fetch(`${server.url}/events?since=abc`, { headers: { authorization: `Bearer ${server.token}` } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: expect.stringContaining('since') });
    expect(server.subscriberCount()).toBe(0);
  });

  it('sends a keepalive comment on an idle stream', async () => {
    const server = await start({ keepaliveMs: 30 });
    const response = await fetch(`${server.url}/events?token=${server.token}`);
    const { text, messages } = await readStream(response, (_m, t) => t.split(': keepalive\n\n').length > 2);
    expect(text).toContain(': keepalive\n\n');
    expect(messages).toEqual([]);
  });

  it.each([
    ['no token', {}, ''],
    ['a wrong bearer token', { authorization: 'Bearer wrong' }, ''],
    ['a wrong query token', {}, '?token=wrong'],
  ])('answers 401 JSON and opens no stream with %s', async (_label, headers, query) => {
    const server = await start();
    const response = await fetch(`${server.url}/events${query}`, { headers });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await response.json()).toMatchObject({ error: expect.stringContaining('token') });
    expect(server.subscriberCount()).toBe(0);
    expect((await fetch(`${server.url}/session${query}`, { headers })).status).toBe(401);
  });

  it('makes followSessionEvents reject with "unauthorized" on a wrong token', async () => {
    const server = await start();
    await expect(followSessionEvents({ controlUrl: server.url, token: 'wrong', onRecord: () => {} })).rejects.toMatchObject({ reason: 'unauthorized', status: 401 });
    expect(server.subscriberCount()).toBe(0);
  });

  it.each([
    ['a rebinding domain', 'evil.example', 403],
    ['another port', '127.0.0.1:1', 403],
    ['localhost', 'localhost', 200],
    ['127.0.0.1', '127.0.0.1', 200],
  ])('checks the Host header: %s', async (_label, hostname, status) => {
    const server = await start();
    const host = hostname.includes(':') ? hostname : `${hostname}:${server.port}`;
    const response = await rawGet(`${server.url}/session`, { host, authorization: `Bearer ${server.token}` });
    expect(response.status).toBe(status);
    if (status === 403) expect(JSON.parse(response.body)).toMatchObject({ error: expect.stringContaining('Host') });
  });

  it('answers 404 for other paths and 405 for other methods, as JSON', async () => {
    const server = await start();
    const auth = { authorization: `Bearer ${server.token}` };
    const missing = await rawGet(`${server.url}/nope`, auth);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toHaveProperty('error');
    const post = await rawGet(`${server.url}/events`, auth, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET');
    expect(JSON.parse(post.body)).toHaveProperty('error');
    // Without the token, nothing is revealed, not even which paths exist.
    expect((await rawGet(`${server.url}/nope`, {})).status).toBe(401);
  });

  it('drops a client that stops reading, while the others keep up', async () => {
    const server = await start({ maxBufferedBytes: 256 * 1024 });
    const fast = await follow(server);
    const slow: Socket = connect(server.port, '127.0.0.1');
    cleanups.push(() => slow.destroy());
    slow.pause();
    slow.write(`GET /events HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nAuthorization: Bearer ${server.token}\r\n\r\n`);
    await waitFor(() => server.subscriberCount() === 2, { description: 'the slow client to subscribe' });

    const big = 'x'.repeat(64 * 1024);
    let published = 0;
    // Bounded: 1000 × 64 KiB is far beyond any socket buffer, so a client that is never dropped fails the test.
    while (server.subscriberCount() === 2 && published < 1000) {
      server.publish(notice(`${published} ${big}`));
      published++;
      await waitFor(() => fast.records.length === published, { timeoutMs: 5_000, intervalMs: 2, description: `the fast client to get record ${published}` });
    }
    expect(server.subscriberCount()).toBe(1);
    expect(published).toBeLessThan(1000);

    server.publish(notice('after the drop'));
    await waitFor(() => fast.records.length === published + 1, { description: 'the fast client to go on' });
    expect(fast.errors).toEqual([]);
    // The dropped socket is closed by the server: once read, it ends.
    const ended = new Promise<void>((resolve) => slow.once('close', () => resolve()));
    slow.resume();
    await ended;
  });

  it('ends open streams on close(), and close() is safe to call twice', async () => {
    const server = await start();
    const { follower, errors } = await follow(server);
    server.publish(notice('last'));
    const first = server.close();
    const second = server.close();
    await Promise.all([first, second]);
    await follower.closed;
    expect(errors).toEqual([]);
    expect(server.subscriberCount()).toBe(0);
    await expect(fetch(`${server.url}/session?token=${server.token}`)).rejects.toThrow();
    expect(() => server.publish(notice('after close'))).not.toThrow();
  });
});
