/**
 * Load on loopback, bounded in count: 10,000 signed deliveries over 50 concurrent keep-alive
 * connections into the real receiver with a handler. Nothing is lost: every one is answered 200,
 * dispatched to the handler once and recorded once. The throughput is printed for the guarantees
 * table, never asserted (speed goals live in bench/).
 */
import { Pool } from 'undici';
import { afterEach, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../../src/receiver/start-receiver.js';
import { signPayload } from '../../src/signature/sign-payload.js';
import type { DeliveryRecord } from '../../src/types.js';
import { waitFor } from '../helpers/wait-for.js';

const SECRET = 'whsec_hardening_load_0123456789';
const DELIVERIES = 10_000;
const CONNECTIONS = 50;

let receiver: Receiver | undefined;
let pool: Pool | undefined;
afterEach(async () => {
  await pool?.destroy();
  await receiver?.close();
});

async function post(path: string, body: string, signature: string): Promise<number> {
  const response = await pool!.request({ method: 'POST', path, body, headers: { 'content-type': 'application/json', 'stripe-signature': signature } });
  await response.body.dump();
  return response.statusCode;
}

it(`answers, dispatches and records each of ${DELIVERIES} signed deliveries exactly once at ${CONNECTIONS} connections`, async () => {
  const recorded = new Map<string, number>();
  const dispatched = new Map<string, number>();
  receiver = await startReceiver({
    port: 0,
    getSecret: () => SECRET,
    dispatch: async (event) => {
      dispatched.set(event.id, (dispatched.get(event.id) ?? 0) + 1);
      return { handler: { outcome: { status: 'ok', value: null }, durationMs: 0, logs: [] } };
    },
    onDelivery: (record: DeliveryRecord) => {
      const id = record.event?.id ?? 'none';
      recorded.set(id, (recorded.get(id) ?? 0) + 1);
    },
  });
  const url = new URL(receiver.url);
  // undici's pool: a client cheap enough that the receiver, not the test, is what is loaded.
  pool = new Pool(url.origin, { connections: CONNECTIONS, pipelining: 1 });
  const statuses = new Map<number, number>();
  let next = 0;
  const started = performance.now();
  // CONNECTIONS workers, each sending its next delivery as soon as the last one is answered.
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      while (next < DELIVERIES) {
        const n = next++;
        const body = JSON.stringify({ id: `evt_load_${n}`, object: 'event', type: 'payment_intent.succeeded', created: 1, livemode: false, data: { object: { id: `pi_${n}`, amount: n } } });
        const status = await post(url.pathname, body, signPayload(body, { secret: SECRET }));
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  await waitFor(() => recorded.size === DELIVERIES, { timeoutMs: 10_000, description: 'every delivery recorded' });

  expect(Object.fromEntries(statuses)).toEqual({ 200: DELIVERIES });
  expect(recorded.size).toBe(DELIVERIES);
  expect([...recorded.values()].every((count) => count === 1)).toBe(true);
  expect(dispatched.size).toBe(DELIVERIES);
  expect([...dispatched.values()].every((count) => count === 1)).toBe(true);
  console.info(`[hardening] load: ${DELIVERIES} deliveries at ${CONNECTIONS} connections in ${seconds.toFixed(1)} s (${Math.round(DELIVERIES / seconds)}/s), each answered 200, dispatched once and recorded once`);
}, 60_000);
