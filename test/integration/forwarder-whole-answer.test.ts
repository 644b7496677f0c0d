import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createForwarder, type Forwarder } from '../../src/forwarder/create-forwarder.js';
import { listenLoopback } from '../helpers/listen-loopback.js';
import { unusedPort } from '../helpers/unused-port.js';

const SECRET = 'whsec_whole0answer0test0secret0abcdefghijkl';
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

/** A real app on a loopback port; `respond` may print through the forwarder, as a child's output would arrive. */
async function app(respond: (request: IncomingMessage, response: ServerResponse, id: string) => void): Promise<string> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => respond(request, response, (JSON.parse(Buffer.concat(chunks).toString()) as { id: string }).id));
  });
  const listening = await listenLoopback(server);
  cleanups.push(() => listening.close());
  return `${listening.origin}/webhook`;
}

function forwarder(url: string, options: { judge?: 'answer' | 'status' } = {}): Forwarder {
  const created = createForwarder({ url, secret: () => SECRET, attributeAppOutput: true, secretInjected: true, outputGraceMs: 30, ...options });
  cleanups.push(() => created.close());
  return created;
}

const event = (id: string) => Buffer.from(JSON.stringify({ id, object: 'event', type: 'charge.succeeded', created: 1, livemode: false, data: { object: {} } }));
const headers = { 'stripe-signature': 't=1,v1=x', 'content-type': 'application/json' };

describe('createForwarder judging the whole answer', () => {
  it("fails a 200 whose app printed an exception for that event, and answers with the status at once", async () => {
    let target!: Forwarder;
    const url = await app((_request, response, id) => {
      target.appLine('stderr', `TypeError: Cannot read properties of undefined (reading 'customer') while handling ${id}`);
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"received":true}');
    });
    target = forwarder(url);
    const { answered, judged } = await target.send(event('evt_A'), headers, 'evt_A');
    expect(answered.refusal).toBeUndefined();
    const result = await judged;
    expect(result.refusal).toEqual({ source: 'app-output', quote: "TypeError: Cannot read properties of undefined (reading 'customer') while handling evt_A" });
    expect(result.appOutput).toEqual([{ stream: 'stderr', line: expect.stringContaining('TypeError'), how: 'event-id' }]);
    expect(result.diagnosis).toMatchObject({ cause: 'app-error', summary: expect.stringContaining('The app answered 200 but reported a failure') });
  });

  it('keeps a healthy 200 a success, with its own lines, and --status-only ignores a failing body', async () => {
    let target!: Forwarder;
    const url = await app((request, response, id) => {
      target.appLine('stdout', `handled ${id}`);
      response.writeHead(200, { 'content-type': 'application/json' }).end(request.url === '/webhook' && id === 'evt_bad' ? '{"ok":false}' : '{"ok":true}');
    });
    target = forwarder(url);
    const healthy = await target.forward(event('evt_good'), headers, 'evt_good');
    expect(healthy).toMatchObject({ outcome: { statusCode: 200 }, appOutput: [{ line: 'handled evt_good', how: 'event-id' }] });
    expect(healthy.refusal).toBeUndefined();
    expect(healthy.diagnosis).toBeUndefined();
    expect((await target.forward(event('evt_bad'), headers, 'evt_bad')).refusal).toEqual({ source: 'body', quote: '{"ok": false}' });

    const statusOnly = forwarder(url, { judge: 'status' });
    target = statusOnly;
    const passed = await statusOnly.forward(event('evt_bad'), headers, 'evt_bad');
    expect(passed.refusal).toBeUndefined();
    expect(passed.diagnosis).toBeUndefined();
  });

  it('explains a cause in full once, then points back at the first event; another cause gets its own', async () => {
    const url = await app((request, response) => {
      response.writeHead(400).end('Webhook Error: No webhook payload was provided.');
    });
    const target = forwarder(url);
    const first = await target.forward(event('evt_1'), headers, 'evt_1');
    const second = await target.forward(event('evt_2'), headers, 'evt_2');
    expect(first.diagnosis?.repeatOf).toBeUndefined();
    expect(second.diagnosis).toMatchObject({ cause: 'parsed-body', repeatOf: 'evt_1' });

    const down = forwarder(`http://127.0.0.1:${await unusedPort()}/webhook`);
    const refused = await down.forward(event('evt_3'), headers, 'evt_3');
    expect(refused.diagnosis?.repeatOf).toBeUndefined();
  });
});
