import { afterEach, describe, expect, it } from 'vitest';
import { startReceiver, type EventDispatcher, type Receiver } from '../../src/receiver/start-receiver.js';
import { signPayload } from '../../src/signature/sign-payload.js';
import type { DeliveryRecord, ForwardResult, HandlerResult } from '../../src/types.js';
import { PortInUseError } from '../../src/errors.js';
import { waitFor } from '../helpers/wait-for.js';

const secret = 'whsec_receiver_test_secret_value';
const event = { id: 'evt_123', object: 'event', type: 'customer.created', created: 1, livemode: false, data: { object: { id: 'cus_1', object: 'customer' } } };
const body = JSON.stringify(event);

let receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.map((r) => r.close()));
  receivers = [];
});

async function start(dispatch?: EventDispatcher, extra: { getSecret?: () => string | undefined | Promise<string | undefined>; port?: number } = {}) {
  const records: DeliveryRecord[] = [];
  const receiver = await startReceiver({ getSecret: extra.getSecret ?? (() => secret), dispatch, onDelivery: (r) => records.push(r), port: extra.port ?? 0 });
  receivers.push(receiver);
  return { receiver, records };
}

function post(url: string, payload: string, headers: Record<string, string> = {}) {
  return fetch(url, { method: 'POST', body: payload, headers: { 'content-type': 'application/json', ...headers } });
}

const ok = (value: unknown): HandlerResult => ({ outcome: { status: 'ok', value }, durationMs: 1, logs: [] });

describe('receiver', () => {
  it('binds to 127.0.0.1 on an ephemeral port by default', async () => {
    const { receiver } = await start();
    expect(receiver.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhook$/);
    expect(receiver.port).toBeGreaterThan(0);
  });

  it('verifies the raw bytes, dispatches the parsed event and answers 200', async () => {
    const seen: unknown[] = [];
    const { receiver, records } = await start(async (e, delivery) => {
      seen.push([e, delivery.raw.toString()]);
      return { handler: ok('done') };
    });
    const response = await post(receiver.url, body, { 'stripe-signature': signPayload(body, { secret }) });
    expect(response.status).toBe(200);
    expect(seen).toEqual([[event, body]]);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: 200, verified: true, attempt: 1, event: { id: 'evt_123' }, handler: { outcome: { status: 'ok', value: 'done' } } });
  });

  it('answers 500 when the handler fails, and the session goes on', async () => {
    const { receiver, records } = await start(async () => ({ handler: { outcome: { status: 'error', error: { name: 'Error', message: 'boom' } }, durationMs: 1, logs: [] } }));
    const response = await post(receiver.url, body, { 'stripe-signature': signPayload(body, { secret }) });
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ error: 'handler failed: boom' });
    const second = await post(receiver.url, body, { 'stripe-signature': signPayload(body, { secret }) });
    expect(second.status).toBe(500);
    expect(records.map((r) => r.attempt)).toEqual([1, 2]);
  });

  it.each([
    ['no signature header', {}, 'missing_header'],
    ['a malformed header', { 'stripe-signature': 'garbage' }, 'malformed_header'],
    ['another secret', { 'stripe-signature': signPayload(body, { secret: 'whsec_wrong' }) }, 'signature_mismatch'],
    ['a stale timestamp', { 'stripe-signature': signPayload(body, { secret, timestamp: Math.floor(Date.now() / 1000) - 301 }) }, 'timestamp_outside_tolerance'],
  ])('rejects %s with 400 and never dispatches', async (_name, headers, reason) => {
    let dispatched = false;
    const { receiver, records } = await start(async () => {
      dispatched = true;
      return { handler: ok(1) };
    });
    const response = await post(receiver.url, body, headers as Record<string, string>);
    expect(response.status).toBe(400);
    expect(dispatched).toBe(false);
    expect(records[0]).toMatchObject({ status: 400, verified: false, rejection: { reason }, event: { id: 'evt_123' } });
  });

  it('rejects a re-serialized body, the classic express.json() mistake', async () => {
    const { receiver, records } = await start();
    const header = signPayload(body, { secret });
    const response = await post(receiver.url, JSON.stringify(event, null, 2), { 'stripe-signature': header });
    expect(response.status).toBe(400);
    expect(records[0]?.rejection?.reason).toBe('signature_mismatch');
  });

  it('rejects a signed body that is not a JSON event', async () => {
    const { receiver, records } = await start();
    const response = await post(receiver.url, 'hello', { 'stripe-signature': signPayload('hello', { secret }) });
    expect(response.status).toBe(400);
    expect(records[0]).toMatchObject({ verified: true, rejection: { reason: 'invalid_json' } });
  });

  it("answers with the app's status when forwarding, and 502 when the app cannot be reached", async () => {
    const forward = (outcome: ForwardResult['outcome']): ForwardResult => ({ url: 'http://127.0.0.1:1/hook', outcome, durationMs: 1 });
    let next = forward({ status: 'response', statusCode: 400, headers: {}, body: 'Webhook Error', bodyTruncated: false });
    const { receiver, records } = await start(async () => ({ forward: next }));
    const first = await post(receiver.url, body, { 'stripe-signature': signPayload(body, { secret }) });
    expect(first.status).toBe(400);
    next = forward({ status: 'failed', kind: 'connection-refused', message: 'connect ECONNREFUSED' });
    const second = await post(receiver.url, body, { 'stripe-signature': signPayload(body, { secret }) });
    expect(second.status).toBe(502);
    expect(await second.json()).toEqual({ error: 'forward to http://127.0.0.1:1/hook failed: connect ECONNREFUSED' });
    expect(records.map((r) => [r.status, r.forward?.outcome.status])).toEqual([
      [400, 'response'],
      [502, 'failed'],
    ]);
  });

  it('a failing handler wins over the forward: 500', async () => {
    const { receiver } = await start(async () => ({
      handler: { outcome: { status: 'timeout', timeoutMs: 5 }, durationMs: 5, logs: [] },
      forward: { url: 'http://127.0.0.1:1/hook', outcome: { status: 'response', statusCode: 200, headers: {}, body: '', bodyTruncated: false }, durationMs: 1 },
    }));
    expect((await post(receiver.url, body, { 'stripe-signature': signPayload(body, { secret }) })).status).toBe(500);
  });

  it('in inspect mode (no dispatcher) verifies and records without a handler result', async () => {
    const { receiver, records } = await start();
    const response = await post(receiver.url, body, { 'stripe-signature': signPayload(body, { secret }) });
    expect(response.status).toBe(200);
    expect(records[0]).toMatchObject({ verified: true, status: 200 });
    expect(records[0]?.handler).toBeUndefined();
  });

  it('answers 503 until the secret is known, 404 elsewhere, 405 for GET', async () => {
    let known: string | undefined;
    const { receiver } = await start(undefined, { getSecret: () => known });
    expect((await post(receiver.url, body, { 'stripe-signature': signPayload(body, { secret }) })).status).toBe(503);
    known = secret;
    expect((await post(receiver.url, body, { 'stripe-signature': signPayload(body, { secret }) })).status).toBe(200);
    expect((await post(receiver.url.replace('/webhook', '/other'), body)).status).toBe(404);
    expect((await fetch(receiver.url)).status).toBe(405);
  });

  it('holds a delivery that arrives before the secret is known until it is (the CLI can forward before its Ready line)', async () => {
    let learn!: (value: string) => void;
    const learnt = new Promise<string>((resolve) => (learn = resolve));
    let asked = 0;
    const { receiver, records } = await start(undefined, {
      getSecret: () => {
        asked += 1;
        return learnt;
      },
    });
    const pending = post(receiver.url, body, { 'stripe-signature': signPayload(body, { secret }) });
    // Learnt only once the request is waiting inside the receiver; answering then would be a 503.
    await waitFor(() => asked > 0);
    learn(secret);
    expect((await pending).status).toBe(200);
    await waitFor(() => records.length === 1, { description: 'the delivery record' });
    expect(records[0]).toMatchObject({ verified: true, status: 200 });
  });

  it('fails with PortInUseError and a hint when the port is taken', async () => {
    const { receiver } = await start();
    const attempt = start(undefined, { port: receiver.port });
    await expect(attempt).rejects.toBeInstanceOf(PortInUseError);
    await expect(attempt).rejects.toMatchObject({ exitCode: 9, hint: expect.stringContaining('--port 0') });
  });

  it('close() is safe to call twice', async () => {
    const { receiver } = await start();
    await Promise.all([receiver.close(), receiver.close()]);
    await receiver.close();
    await expect(fetch(receiver.url, { method: 'POST' })).rejects.toThrow();
  });
});
