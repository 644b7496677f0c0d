import { createServer } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { ControlSessionInfo } from '../../src/control/control-session-info.js';
import { postSend } from '../../src/control/post-send.js';
import { startControlServer, type ControlServer } from '../../src/control/start-control-server.js';
import { startReceiver } from '../../src/receiver/start-receiver.js';
import { createReceiverSend } from '../../src/session/send-to-receiver.js';
import { toWireDelivery } from '../../src/control/wire-delivery.js';
import { deliveryHeaders } from '../../src/signature/delivery-headers.js';
import { listenLoopback } from '../helpers/listen-loopback.js';

const secret = 'whsec_control_send_0123456789abcdef';
const session = { pid: process.pid, receiverUrl: '', startedAt: '2026-01-02T03:04:05.000Z' } as unknown as ControlSessionInfo;

let cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A real receiver and control server wired as a session wires them: deliveries published to the control stream. */
async function sessionParts() {
  let control: ControlServer | undefined;
  const receiver = await startReceiver({ port: 0, getSecret: () => secret, onDelivery: (record) => control?.publishLazy('delivery', () => toWireDelivery(record)) });
  cleanups.push(() => receiver.close());
  control = await startControlServer({ getSession: () => session, send: createReceiverSend({ receiverUrl: receiver.url, secret }) });
  cleanups.push(() => control!.close());
  return { receiver, control };
}

const event = (id: string) => JSON.stringify({ id, object: 'event', type: 'customer.created', data: { object: { id: 'cus_1' } } }, null, 2);

describe('POST /send on the control server', () => {
  it("signs with the session's secret, goes through its receiver, and answers with the recorded delivery", async () => {
    const { control } = await sessionParts();
    const wire = await postSend({ controlUrl: control.url, token: control.token, request: { payload: event('evt_good') }, timeoutMs: 10_000 });
    expect(wire.record).toMatchObject({ verified: true, status: 200, event: { id: 'evt_good', type: 'customer.created' } });
  });

  it('tampered deliveries are rejected by the receiver, and the rejection comes back', async () => {
    const { control } = await sessionParts();
    const stale = await postSend({ controlUrl: control.url, token: control.token, request: { payload: event('evt_stale'), tamper: { kind: 'stale', seconds: 900 } }, timeoutMs: 10_000 });
    expect(stale.record).toMatchObject({ verified: false, status: 400, rejection: { reason: 'timestamp_outside_tolerance' }, event: { id: 'evt_stale' } });
    const unsigned = await postSend({ controlUrl: control.url, token: control.token, request: { payload: event('evt_unsigned'), tamper: { kind: 'no-signature' } }, timeoutMs: 10_000 });
    expect(unsigned.record).toMatchObject({ verified: false, rejection: { reason: 'missing_header' } });
  });

  it('answers each send with its own delivery while other deliveries arrive at the receiver', async () => {
    const { control, receiver } = await sessionParts();
    const others = Array.from({ length: 5 }, (_, i) => {
      const body = event(`evt_other_${i}`);
      return fetch(receiver.url, { method: 'POST', headers: deliveryHeaders(body, { secret }), body });
    });
    const sends = Array.from({ length: 5 }, (_, i) => postSend({ controlUrl: control.url, token: control.token, request: { payload: event(`evt_send_${i}`) }, timeoutMs: 10_000 }));
    const [answers] = await Promise.all([Promise.all(sends), Promise.all(others)]);
    expect(answers.map((wire) => wire.record.event?.id)).toEqual([0, 1, 2, 3, 4].map((i) => `evt_send_${i}`));
  });

  it('needs the token, and says what is wrong with a bad request', async () => {
    const { control } = await sessionParts();
    await expect(postSend({ controlUrl: control.url, token: 'wrong', request: { payload: event('evt_1') }, timeoutMs: 5_000 })).rejects.toMatchObject({ reason: 'unauthorized' });
    const bad = await fetch(`${control.url}/send`, { method: 'POST', headers: { authorization: `Bearer ${control.token}` }, body: '{"payload": 1}' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('"payload"');
    const get = await fetch(`${control.url}/send`, { headers: { authorization: `Bearer ${control.token}` } });
    expect(get.status).toBe(405);
    const huge = await fetch(`${control.url}/send`, { method: 'POST', headers: { authorization: `Bearer ${control.token}` }, body: JSON.stringify({ payload: 'x'.repeat(7 * 1024 * 1024) }) }).catch((error: unknown) => error);
    // Refused without being read: 413, or the connection closed while the body was still going.
    if (huge instanceof Response) expect(huge.status).toBe(413);
    else expect(huge).toBeInstanceOf(Error);
  });

  it('a control server without send (no session behind it) answers 404, which the client explains', async () => {
    const control = await startControlServer({ getSession: () => session });
    cleanups.push(() => control.close());
    await expect(postSend({ controlUrl: control.url, token: control.token, request: { payload: event('evt_1') }, timeoutMs: 5_000 })).rejects.toThrow('has no /send endpoint');
  });

  it('a receiver that cannot be reached is a 502 with the reason', async () => {
    const dead = createServer();
    const { origin, close } = await listenLoopback(dead);
    await close();
    const control = await startControlServer({ getSession: () => session, send: createReceiverSend({ receiverUrl: `${origin}/webhook`, secret }) });
    cleanups.push(() => control.close());
    await expect(postSend({ controlUrl: control.url, token: control.token, request: { payload: event('evt_1') }, timeoutMs: 5_000 })).rejects.toThrow('The session could not deliver it');
  });
});
