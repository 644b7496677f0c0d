/**
 * Thin (v2) events offline, through the real Stripe CLI: `stripe trigger v1.billing.meter.*` posts
 * its meter events to https://meter-events.stripe.com, which reaches the emulator through its Unix
 * socket (STRIPE_CLI_UNIX_SOCKET); the thin envelope goes over the websocket to a `stripe listen`
 * that asked for v2 events (with the argv webhook-dev builds), which forwards it, signed, to its
 * thin destination; the full event is at `GET /v2/core/events/:id`, for the session only.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/start-emulator.js';
import { buildListenArgs } from '../../src/stripe-cli/listen-args.js';
import { emulatorAuth } from '../helpers/emulator-auth.js';
import { runStripeTrigger, startStripeListenArgv, type CliResult, type RunningListen, type StripeCliTarget } from '../helpers/stripe-cli-processes.js';
import { waitFor } from '../helpers/wait-for.js';

interface Delivery {
  url: string;
  body: string;
  headers: IncomingHttpHeaders;
}

type Obj = Record<string, any>;

let emulator: Emulator;
let receiver: Server;
let receiverUrl: string;
let listen: RunningListen | undefined;
let configHome: string;
const deliveries: Delivery[] = [];

beforeAll(async () => {
  configHome = mkdtempSync(join(tmpdir(), 'webhook-dev-thin-'));
  emulator = await startEmulator();
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      deliveries.push({ url: request.url ?? '', body: Buffer.concat(chunks).toString('utf8'), headers: request.headers });
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/webhook`;
  // Snapshot and thin types together: the argv webhook-dev builds splits them over two destinations.
  const argv = buildListenArgs({ forwardTo: receiverUrl, events: ['billing.meter.created', 'v1.billing.meter.error_report_triggered', 'v1.billing.meter.no_meter_found'], apiBase: emulator.apiBase });
  listen = await startStripeListenArgv(target(), argv);
  await emulator.waitForListener(15_000);
}, 30_000);

afterAll(async () => {
  await listen?.close();
  await new Promise<void>((resolve) => {
    receiver?.closeAllConnections();
    if (receiver) receiver.close(() => resolve());
    else resolve();
  });
  const socket = emulator?.localSocket;
  await emulator?.close();
  if (socket !== undefined) expect(() => statSync(dirname(socket)), 'the socket folder is removed on close').toThrow();
  rmSync(configHome, { recursive: true, force: true });
});

function target(): StripeCliTarget {
  return { apiBase: emulator.apiBase, configHome, apiKey: emulator.apiKey };
}

function trigger(name: string): Promise<CliResult> {
  return runStripeTrigger(target(), name, [], { STRIPE_CLI_UNIX_SOCKET: emulator.localSocket! });
}

async function runTrigger(name: string): Promise<Delivery[]> {
  const before = deliveries.length;
  const result = await trigger(name);
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  expect(result.stdout).toContain('Trigger succeeded!');
  await waitFor(() => deliveries.slice(before).some((delivery) => (JSON.parse(delivery.body) as Obj).type === name), { timeoutMs: 10_000, description: `the ${name} thin event at the receiver` });
  return deliveries.slice(before);
}

/** A stripe-node client that talks to the emulator, as a handler under test would configure it. */
function emulatorClient(): Stripe {
  const { port } = new URL(emulator.apiBase);
  return new Stripe(emulator.apiKey, { host: '127.0.0.1', port: Number(port), protocol: 'http', maxNetworkRetries: 0 });
}

function thinDelivery(batch: Delivery[], type: string): Delivery {
  const found = batch.find((delivery) => (JSON.parse(delivery.body) as Obj).type === type);
  expect(found, `a delivery of ${type}`).toBeDefined();
  return found!;
}

describe('thin events from the meter-event triggers', () => {
  test('v1.billing.meter.no_meter_found: the envelope reaches the thin destination, signed; fetchEvent() reads the full event', async () => {
    const delivery = thinDelivery(await runTrigger('v1.billing.meter.no_meter_found'), 'v1.billing.meter.no_meter_found');
    expect(delivery.url).toBe('/webhook?thin=1');
    const envelope = JSON.parse(delivery.body) as Obj;
    // The envelope only: no data, no related object (there is no meter).
    expect(Object.keys(envelope)).toEqual(['id', 'object', 'type', 'livemode', 'created']);
    expect(envelope).toMatchObject({ object: 'v2.core.event', type: 'v1.billing.meter.no_meter_found', livemode: false });
    expect(envelope.id).toMatch(/^evt_test_[A-Za-z0-9]{44}$/);
    expect(new Date(envelope.created).toISOString()).toBe(envelope.created);

    const client = emulatorClient();
    const notification = client.parseEventNotification(delivery.body, delivery.headers['stripe-signature'] as string, emulator.secret);
    expect(notification.type).toBe('v1.billing.meter.no_meter_found');
    expect(() => client.parseEventNotification(delivery.body, delivery.headers['stripe-signature'] as string, 'whsec_another')).toThrow(/signature/i);
    const full = (await notification.fetchEvent()) as unknown as Obj;
    expect(full).toMatchObject({ id: envelope.id, object: 'v2.core.event', type: envelope.type, created: envelope.created, livemode: false });
    expect(full.data).toMatchObject({
      developer_message_summary: 'There is 1 invalid event',
      reason: { error_count: 1, error_types: [{ code: 'no_meter', error_count: 1, sample_errors: [{ error_message: expect.stringContaining('No active meter'), request: { identifier: expect.any(String) } }] }] },
    });
    expect(Date.parse(full.data.validation_start)).toBeLessThan(Date.parse(full.data.validation_end));
    await waitFor(() => listen!.stdout().includes(`--> v1.billing.meter.no_meter_found [${envelope.id}]`), { description: 'the CLI to print the thin event' });
    await waitFor(() => listen!.stdout().includes(`[200] POST ${receiverUrl}?thin=1 [${envelope.id}]`), { description: 'the CLI to print the thin delivery' });
  });

  test('v1.billing.meter.error_report_triggered: the meter is made once (a snapshot event, to the other destination), the error names it', async () => {
    const first = await runTrigger('v1.billing.meter.error_report_triggered');
    const created = thinDelivery(first, 'billing.meter.created');
    expect(created.url).toBe('/webhook');
    const snapshot = Stripe.webhooks.constructEvent(created.body, created.headers['stripe-signature'] as string, emulator.secret) as unknown as Obj;
    const meter = snapshot.data.object as Obj;
    expect(meter).toMatchObject({ object: 'billing.meter', event_name: 'stripe_cli_billing_meter_for_fixture', display_name: 'Stripe CLI Billing Meter', default_aggregation: { formula: 'sum' }, customer_mapping: { event_payload_key: 'stripe_customer_id', type: 'by_id' }, status: 'active' });

    const delivery = thinDelivery(first, 'v1.billing.meter.error_report_triggered');
    expect(delivery.url).toBe('/webhook?thin=1');
    const envelope = JSON.parse(delivery.body) as Obj;
    expect(Object.keys(envelope)).toEqual(['id', 'object', 'type', 'livemode', 'created', 'related_object']);
    expect(envelope.related_object).toEqual({ id: meter.id, type: 'billing.meter', url: `/v1/billing/meters/${meter.id}` });

    const client = emulatorClient();
    const notification = client.parseEventNotification(delivery.body, delivery.headers['stripe-signature'] as string, emulator.secret);
    if (notification.type !== 'v1.billing.meter.error_report_triggered') throw new Error(`unexpected ${notification.type}`);
    expect(await notification.fetchRelatedObject()).toMatchObject({ id: meter.id, object: 'billing.meter' });
    const full = (await notification.fetchEvent()) as unknown as Obj;
    expect(full.related_object).toEqual(envelope.related_object);
    expect(full.data.reason.error_types).toEqual([
      { code: 'meter_event_no_customer_defined', error_count: 1, sample_errors: [{ error_message: 'Customer mapping key stripe_customer_id not found in payload.', request: { identifier: expect.any(String) } }] },
    ]);
    // The SDK's own retrieve reads the same event.
    expect(await client.v2.core.events.retrieve(envelope.id)).toMatchObject({ id: envelope.id, type: envelope.type });

    // Again: the meter exists (the create fails, as the fixture expects), so no second one; the error names it.
    const second = await runTrigger('v1.billing.meter.error_report_triggered');
    expect(second.some((entry) => (JSON.parse(entry.body) as Obj).type === 'billing.meter.created')).toBe(false);
    expect((JSON.parse(thinDelivery(second, 'v1.billing.meter.error_report_triggered').body) as Obj).related_object.id).toBe(meter.id);
  });
});

describe('who may read and send what', () => {
  test('GET /v2/core/events/:id answers only the session key', async () => {
    const delivery = thinDelivery(await runTrigger('v1.billing.meter.no_meter_found'), 'v1.billing.meter.no_meter_found');
    const { id } = JSON.parse(delivery.body) as Obj;
    const url = `${emulator.apiBase}/v2/core/events/${id}`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { Authorization: 'Bearer sk_test_someone_else_entirely' } })).status).toBe(401);
    const ok = await fetch(url, { headers: emulatorAuth(emulator) });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as Obj).data.reason.error_count).toBe(1);
    const missing = await fetch(`${emulator.apiBase}/v2/core/events/evt_test_nothing`, { headers: emulatorAuth(emulator) });
    expect(missing.status).toBe(404);
  });

  test('meter-events.stripe.com is answered only through the local socket, and only with a meter event session token', async () => {
    const socket = emulator.localSocket!;
    expect(statSync(dirname(socket)).mode & 0o777, 'only this user can reach the socket').toBe(0o700);
    const body = JSON.stringify({ events: [{ event_name: 'nothing_here', payload: { value: '1' } }] });
    const post = (headers: Record<string, string>, path = '/v2/billing/meter_event_stream') =>
      new Promise<number>((resolve, reject) => {
        const request = httpRequest({ socketPath: socket, method: 'POST', path, headers: { Host: 'meter-events.stripe.com', 'Content-Type': 'application/json', ...headers } }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.on('error', reject);
        request.end(body);
      });
    expect(await post({})).toBe(401);
    expect(await post({ Authorization: `Bearer ${emulator.apiKey}` })).toBe(401);
    expect(await post({ Authorization: 'Bearer mes_test_guessed' })).toBe(401);
    const session = await fetch(`${emulator.apiBase}/v2/billing/meter_event_session`, { method: 'POST', headers: emulatorAuth(emulator) });
    expect(session.status).toBe(200);
    const { authentication_token: token, object, expires_at: expiresAt } = (await session.json()) as Obj;
    expect(object).toBe('v2.billing.meter_event_session');
    expect(Date.parse(expiresAt) - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(await post({ Authorization: `Bearer ${token}` }, '/v2/billing/meter_events')).toBe(404);
    expect(await post({ Authorization: `Bearer ${token}` })).toBe(201);
    // The session itself needs the key; and the TCP port answers no other host.
    expect((await fetch(`${emulator.apiBase}/v2/billing/meter_event_session`, { method: 'POST' })).status).toBe(401);
    const foreign = await new Promise<number>((resolve, reject) => {
      const { port } = new URL(emulator.apiBase);
      const request = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/v2/billing/meter_event_stream', headers: { Host: 'meter-events.stripe.com', Authorization: `Bearer ${token}` } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
      request.end(body);
    });
    expect(foreign).toBe(403);
  });
});
