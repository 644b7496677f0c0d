/**
 * The session's quirks part in front of a real receiver on an ephemeral loopback port: retries
 * and copies go out over HTTP and come back through verification like any delivery; a mark the
 * session did not make is not believed; the close settles what is held or due.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createQuirkMarker, QUIRK_HEADER } from '../../src/quirks/quirk-mark.js';
import type { QuirkSettings } from '../../src/quirks/quirk-settings.js';
import { startReceiver, type DispatchResult, type EventDispatcher, type Receiver } from '../../src/receiver/start-receiver.js';
import { createSessionQuirks, type SessionQuirks } from '../../src/session/session-quirks.js';
import { signPayload } from '../../src/signature/sign-payload.js';
import type { DeliveryRecord } from '../../src/types.js';
import { waitFor } from '../helpers/wait-for.js';

const SECRET = 'whsec_quirksIntegrationTestSecret0123456789';
const ok: DispatchResult = { handler: { outcome: { status: 'ok', value: null }, durationMs: 0, logs: [] } };
const failed: DispatchResult = { handler: { outcome: { status: 'error', error: { name: 'Error', message: 'not yet' } }, durationMs: 0, logs: [] } };

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function start(settings: QuirkSettings, dispatch: EventDispatcher): Promise<{ receiver: Receiver; quirks: SessionQuirks; records: DeliveryRecord[] }> {
  const records: DeliveryRecord[] = [];
  let url = '';
  const quirks = createSessionQuirks({ settings, receiverUrl: () => url, secret: () => SECRET });
  const receiver = await startReceiver({ port: 0, getSecret: () => SECRET, dispatch: quirks.wrap(dispatch), readMark: quirks.readMark, onDelivery: (record) => records.push(record) });
  url = receiver.url;
  closers.push(() => receiver.close(), () => quirks.close());
  return { receiver, quirks, records };
}

const payload = (id: string) => JSON.stringify({ id, object: 'event', type: 'customer.created', created: 1, livemode: false, data: { object: {} } }, null, 2);

function post(receiver: Receiver, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(receiver.url, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signPayload(body, { secret: SECRET }), ...headers }, body });
}

describe('session quirks through a real receiver', () => {
  it('retries a failing delivery over the loopback until it succeeds, with the attempt in the handler\'s context', async () => {
    const attempts: number[] = [];
    const { receiver, quirks, records } = await start({ seed: 3, retry: { speed: 3_600_000, maxAttempts: 4 } }, async (_event, delivery) => {
      attempts.push(delivery.attempt);
      return delivery.attempt < 3 ? failed : ok;
    });
    expect((await post(receiver, payload('evt_retry'))).status).toBe(500);
    await waitFor(() => records.length === 3 && !quirks.busy(), { timeoutMs: 10_000, description: 'three attempts' });
    expect(attempts).toEqual([1, 2, 3]);
    expect(records.map((record) => [record.attempt, record.verified, record.quirks])).toEqual([
      [1, true, undefined],
      [2, true, { retry: true }],
      [3, true, { retry: true }],
    ]);
    expect(quirks.summary()).toMatchObject({ retries: 2, succeeded: [{ eventId: 'evt_retry', eventType: 'customer.created', attempt: 3 }], givenUp: [], notRetried: [] });
  });

  it('does not believe a mark it did not make, on a correctly signed delivery', async () => {
    const { receiver, quirks, records } = await start({ seed: 3, duplicate: 0 }, async () => ok);
    const body = payload('evt_forged');
    const signature = signPayload(body, { secret: SECRET });
    const foreign = createQuirkMarker().header({ kind: 'retry', attempt: 5, id: 1 }, signature);
    await post(receiver, body, { 'stripe-signature': signature, [QUIRK_HEADER]: foreign });
    await post(receiver, body, { [QUIRK_HEADER]: `duplicate;attempt=1;id=1;mac=${'a'.repeat(64)}` });
    await waitFor(() => records.length === 2, { timeoutMs: 5_000, description: 'two records' });
    expect(records.map((record) => [record.attempt, record.quirks])).toEqual([
      [1, undefined],
      [2, undefined],
    ]);
    expect(quirks.summary()).toMatchObject({ duplicates: 0, retries: 0 });
  });

  it('sends a copy of each delivery under --duplicate 1, and the copy is not copied again', async () => {
    const { receiver, quirks, records } = await start({ seed: 3, duplicate: 1 }, async () => ok);
    await post(receiver, payload('evt_copy'));
    await waitFor(() => records.length === 2 && !quirks.busy(), { timeoutMs: 5_000, description: 'the copy' });
    await new Promise((done) => setTimeout(done, 100));
    expect(records.map((record) => [record.attempt, record.quirks])).toEqual([
      [1, undefined],
      [1, { duplicate: true }],
    ]);
    expect(quirks.summary().duplicates).toBe(1);
  });

  it('on close, hands a held delivery over at once and lists the retry it will not make', async () => {
    const { receiver, quirks, records } = await start({ seed: 3, delayMs: { min: 60_000, max: 60_000 }, retry: { speed: 1, maxAttempts: 3 } }, async () => failed);
    const answered = post(receiver, payload('evt_closing'));
    await waitFor(() => quirks.busy(), { timeoutMs: 5_000, description: 'the delivery to be held' });
    await quirks.close();
    expect((await answered).status).toBe(500);
    await waitFor(() => records.length === 1, { timeoutMs: 5_000, description: 'its record' });
    expect(records[0]!.quirks).toBeUndefined();
    expect(quirks.busy()).toBe(false);
    expect(quirks.summary()).toMatchObject({ delayed: 0, retries: 0, notRetried: [{ eventId: 'evt_closing', eventType: 'customer.created', attempt: 2 }] });
  });
});
