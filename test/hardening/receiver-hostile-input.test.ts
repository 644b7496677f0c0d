/**
 * The receiver under bad input, on a real server on a loopback port: every request below is
 * refused with the right status and reason, the connection is not held longer than the bound, and
 * a valid delivery still goes through afterwards (the session lives on). Bounded: a few hundred
 * requests and sockets, each case well under a second but for the timeouts it measures.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../../src/receiver/start-receiver.js';
import { computeSignature, signPayload } from '../../src/signature/sign-payload.js';
import type { DeliveryRecord } from '../../src/types.js';
import { openConnection, sendRequest, uploadUntilClosed, type RawConnection } from '../helpers/raw-http.js';
import { waitFor } from '../helpers/wait-for.js';

const SECRET = 'whsec_hardening_receiver_0123456789';
const REQUEST_TIMEOUT_MS = 600;
const NOW = Math.floor(Date.now() / 1000);

let receiver: Receiver;
let records: DeliveryRecord[];
const connections: RawConnection[] = [];

beforeEach(async () => {
  records = [];
  receiver = await startReceiver({ port: 0, getSecret: () => SECRET, onDelivery: (record) => records.push(record), requestTimeoutMs: REQUEST_TIMEOUT_MS });
});

afterEach(async () => {
  for (const connection of connections.splice(0)) connection.socket.destroy();
  await receiver.close();
});

let counter = 0;
function event(): string {
  counter += 1;
  return JSON.stringify({ id: `evt_hardening_${counter}`, object: 'event', type: 'customer.created', created: NOW, livemode: false, data: { object: { id: `cus_${counter}` } } });
}

async function post(body: string | Buffer, headers: Record<string, string | string[]>) {
  return sendRequest(receiver.url, { headers: { 'content-type': 'application/json', ...headers }, body });
}

/** The session lives on: a correctly signed delivery right after is answered 200 and recorded. */
async function stillReceives(): Promise<void> {
  const body = event();
  const response = await post(body, { 'stripe-signature': signPayload(body, { secret: SECRET }) });
  expect(response.status).toBe(200);
  const id = (JSON.parse(body) as { id: string }).id;
  await waitFor(() => records.some((record) => record.event?.id === id && record.verified), { description: 'the valid delivery record' });
}

describe('malformed, forged and stale Stripe-Signature headers: 400 with the reason, never the handler', () => {
  const body = event();
  const t = NOW;
  const v1 = computeSignature(body, SECRET, t);
  const cases: Array<[string, Record<string, string | string[]>, string, string?]> = [
    ['no header', {}, 'missing_header'],
    ['an empty header', { 'stripe-signature': '' }, 'missing_header'],
    ['not a signature header', { 'stripe-signature': 'nonsense' }, 'malformed_header'],
    ['only a timestamp', { 'stripe-signature': `t=${t}` }, 'malformed_header'],
    ['only a signature', { 'stripe-signature': `v1=${v1}` }, 'malformed_header'],
    ['a timestamp that is not a number', { 'stripe-signature': `t=abc,v1=${v1}` }, 'malformed_header'],
    ['", v1=" with a space', { 'stripe-signature': `t=${t}, v1=${v1}` }, 'malformed_header'],
    ['only a v0 signature', { 'stripe-signature': `t=${t},v0=${v1}` }, 'malformed_header'],
    ['two header lines: garbage, then a valid one', { 'stripe-signature': ['garbage', `t=${t},v1=${v1}`] }, 'malformed_header'],
    ['two header lines, both valid', { 'stripe-signature': [`t=${t},v1=${v1}`, `t=${t},v1=${v1}`] }, 'malformed_header'],
    ['a signature with another secret', { 'stripe-signature': signPayload(body, { secret: 'whsec_someone_else', timestamp: t }) }, 'signature_mismatch'],
    ['a signature in upper-case hex', { 'stripe-signature': `t=${t},v1=${v1.toUpperCase()}` }, 'signature_mismatch'],
    ['a signature one digit short', { 'stripe-signature': `t=${t},v1=${v1.slice(1)}` }, 'signature_mismatch'],
    ['a signature for another timestamp', { 'stripe-signature': `t=${t + 1},v1=${v1}` }, 'signature_mismatch'],
    ['a body re-serialized after signing', { 'stripe-signature': `t=${t},v1=${v1}` }, 'signature_mismatch', JSON.stringify(JSON.parse(body), null, 2)],
    ['a replay signed 301 s ago', { 'stripe-signature': signPayload(body, { secret: SECRET, timestamp: t - 301 }) }, 'timestamp_outside_tolerance'],
    ['a replay signed a day ago', { 'stripe-signature': signPayload(body, { secret: SECRET, timestamp: t - 86_400 }) }, 'timestamp_outside_tolerance'],
    ['a signed body that is not JSON', { 'stripe-signature': signPayload('not json', { secret: SECRET }) }, 'invalid_json', 'not json'],
    ['a signed JSON body that is not an event', { 'stripe-signature': signPayload('[1,2,3]', { secret: SECRET }) }, 'invalid_json', '[1,2,3]'],
    ['a signed empty body', { 'stripe-signature': signPayload('', { secret: SECRET }) }, 'empty_payload', ''],
  ];

  it.each(cases)('%s → 400 %s', async (_name, headers, reason, sent = body) => {
    const response = await post(sent, headers);
    expect(response.status).toBe(400);
    await waitFor(() => records.length === 1, { description: 'the rejection record' });
    expect(records[0]).toMatchObject({ status: 400, rejection: { reason } });
    expect(records[0]!.handler).toBeUndefined();
    await stillReceives();
  });
});

describe('requests that are not deliveries', () => {
  it('answers 404 off the path and 405 for another method, and records neither', async () => {
    const body = event();
    const signature = signPayload(body, { secret: SECRET });
    expect((await sendRequest(receiver.url.replace('/webhook', '/other'), { headers: { 'stripe-signature': signature }, body })).status).toBe(404);
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      expect((await sendRequest(receiver.url, { method, headers: { 'stripe-signature': signature }, body })).status).toBe(405);
    }
    await stillReceives();
    expect(records).toHaveLength(1);
  });
});

describe('bodies and connections that would hold the receiver', () => {
  it('answers 413 to a 1 GB upload and closes the connection instead of reading it to its end', async () => {
    const connection = await openConnection(receiver.port);
    connections.push(connection);
    const declared = 1024 ** 3;
    connection.socket.write(`POST /webhook HTTP/1.1\r\nHost: 127.0.0.1:${receiver.port}\r\nContent-Type: application/json\r\nStripe-Signature: t=${NOW},v1=${'0'.repeat(64)}\r\nContent-Length: ${declared}\r\n\r\n`);
    // Written as fast as the server takes it, until it hangs up; 256 MB at most.
    const sent = await uploadUntilClosed(connection, 256 * 1024 ** 2);
    expect(connection.received()).toMatch(/^HTTP\/1\.1 413 /);
    expect(connection.received().toLowerCase()).toContain('connection: close');
    // The 5 MB limit plus what was in flight in socket buffers, nowhere near the declared 1 GB.
    expect(sent).toBeLessThan(64 * 1024 ** 2);
    console.info(`[hardening] 1 GB upload: connection closed after ${(sent / 1024 ** 2).toFixed(1)} MB were written`);
    await stillReceives();
  });

  it('answers 408 and closes a request whose body never finishes, within the request timeout', async () => {
    const connection = await openConnection(receiver.port);
    connections.push(connection);
    connection.socket.write(`POST /webhook HTTP/1.1\r\nHost: 127.0.0.1:${receiver.port}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"id":`);
    const openMs = await connection.closed;
    expect(connection.received()).toMatch(/^HTTP\/1\.1 408 /);
    expect(openMs).toBeLessThan(REQUEST_TIMEOUT_MS + 2_000);
    console.info(`[hardening] unfinished body: closed after ${Math.round(openMs)} ms (request timeout ${REQUEST_TIMEOUT_MS} ms)`);
    await stillReceives();
    expect(records).toHaveLength(1);
  });

  it('closes a slowloris that trickles its headers, within the request timeout', async () => {
    const connection = await openConnection(receiver.port);
    connections.push(connection);
    connection.socket.write('POST /webhook HTTP/1.1\r\n');
    const trickle = setInterval(() => connection.socket.write('X-Slow: a\r\n'), 50);
    const openMs = await connection.closed.finally(() => clearInterval(trickle));
    expect(openMs).toBeLessThan(REQUEST_TIMEOUT_MS + 2_000);
    console.info(`[hardening] slowloris headers: closed after ${Math.round(openMs)} ms`);
    await stillReceives();
  });

  it('serves a delivery while 500 idle connections are open, then closes the idle ones', async () => {
    const idle = await Promise.all(Array.from({ length: 500 }, () => openConnection(receiver.port)));
    connections.push(...idle);
    const started = performance.now();
    await stillReceives();
    console.info(`[hardening] 500 idle connections: a delivery answered in ${Math.round(performance.now() - started)} ms`);
    const openMs = await Promise.all(idle.map((connection) => connection.closed));
    expect(Math.max(...openMs)).toBeLessThan(REQUEST_TIMEOUT_MS + 3_000);
    await stillReceives();
  });
});
