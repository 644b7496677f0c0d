/**
 * The real `stripe trigger` against the offline emulator for the payments, Connect and Issuing
 * triggers (payment-trigger-cases.ts), with a real `stripe listen` forwarding account events to
 * one receiver path and Connect events (`account` set) to another, as `--forward-connect-to` does.
 * Each event must arrive byte for byte, signed with the session's secret, at the right path.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { offlineTriggers, startEmulator, type Emulator } from '../../src/emulator/start-emulator.js';
import type { StripeEventLike } from '../../src/types.js';
import { listenLoopback, type LoopbackServer } from '../helpers/listen-loopback.js';
import { runStripeTrigger, startStripeListen, type RunningListen, type StripeCliTarget } from '../helpers/stripe-cli-processes.js';
import { expectDeliveredAsPublished, TriggerEvents, type Obj } from '../helpers/trigger-events.js';
import { waitFor } from '../helpers/wait-for.js';
import { emulatorAuth } from '../helpers/emulator-auth.js';
import { PAYMENT_TRIGGER_CASES } from './payment-trigger-cases.js';

const configHome = mkdtempSync(join(tmpdir(), 'webhook-dev-payment-triggers-'));
const published: StripeEventLike[] = [];
const deliveries = new Map<string, { path: string; body: string; headers: IncomingHttpHeaders }>();
let emulator: Emulator;
let receiver: LoopbackServer;
let cli: StripeCliTarget;
let listen: RunningListen | undefined;

beforeAll(async () => {
  emulator = await startEmulator({ onEvent: (event) => published.push(event) });
  receiver = await listenLoopback(
    createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        deliveries.set((JSON.parse(body) as StripeEventLike).id, { path: request.url ?? '', body, headers: request.headers });
        response.end('ok');
      });
    }),
  );
  cli = { apiBase: emulator.apiBase, configHome, apiKey: emulator.apiKey };
  listen = await startStripeListen(cli, ['--forward-to', `${receiver.origin}/webhook`, '--forward-connect-to', `${receiver.origin}/connect`]);
  await emulator.waitForListener(15_000);
});

afterAll(async () => {
  await listen?.close();
  await receiver?.close();
  await emulator?.close();
  rmSync(configHome, { recursive: true, force: true });
});

async function runTrigger(name: string, extraArgs: string[] = []): Promise<TriggerEvents> {
  const before = published.length;
  const result = await runStripeTrigger(cli, name, extraArgs);
  expect(result.stderr).toBe('');
  expect(result.exitCode).toBe(0);
  expect(result.stdout).toContain('Trigger succeeded!');
  // Every event is published before the request that caused it is answered.
  return new TriggerEvents(published.slice(before));
}

/** Through the real `stripe listen`: each event arrives byte for byte, signed, at the path its kind goes to. */
async function expectDelivered(name: string, events: TriggerEvents): Promise<void> {
  await expectDeliveredAsPublished(name, events, { deliveries, secret: emulator.secret, pathOf: (event) => (event.account === undefined ? '/webhook' : '/connect') });
  const printed = (event: StripeEventLike) => `--> ${event.account === undefined ? '' : 'connect '}${event.type} [${event.id}]`;
  await waitFor(() => events.list.every((event) => listen!.stdout().includes(printed(event))), { description: 'the CLI to print every event' });
}

describe('payments, Connect and Issuing triggers against the offline emulator', () => {
  test('every trigger in the table is one the emulator lists', () => {
    const names = PAYMENT_TRIGGER_CASES.map((entry) => entry.name);
    expect(new Set(names).size).toBe(names.length);
    expect(offlineTriggers).toEqual(expect.arrayContaining(names));
  });

  test.each(PAYMENT_TRIGGER_CASES)('$name', async ({ name, types, connect = [], check }) => {
    const events = await runTrigger(name);
    expect(events.types()).toEqual(types);
    expect(events.list.filter((event) => event.account !== undefined).map((event) => event.type)).toEqual(connect);
    check?.(events);
    await expectDelivered(name, events);
  });

  test('--stripe-account makes every event a Connect event of that account, forwarded to the Connect endpoint', async () => {
    const account = 'acct_1WebhookDevConnect';
    const events = await runTrigger('payment_intent.succeeded', ['--stripe-account', account]);
    expect(events.types()).toEqual(['payment_intent.created', 'charge.succeeded', 'payment_intent.succeeded', 'charge.updated']);
    for (const event of events.list) expect(event.account).toBe(account);
    // The account sits after `object`, where Stripe puts it.
    expect(Object.keys(events.list[0]!).slice(0, 3)).toEqual(['id', 'object', 'account']);
    await expectDelivered('payment_intent.succeeded --stripe-account', events);
  });

  test('a transfer reversal is also answered as the reversal, and the transfer reads back reversed', async () => {
    const events = await runTrigger('transfer.reversed');
    const transfer = events.object('transfer.reversed');
    const response = await fetch(`${emulator.apiBase}/v1/transfers/${transfer.id}`, { headers: emulatorAuth(emulator) });
    expect(((await response.json()) as Obj).amount_reversed).toBe(100);
  });

  test('GET /v1/disputes filters by payment intent, newest first, without a total count', async () => {
    const events = await runTrigger('charge.dispute.updated');
    const paymentIntent = events.object('payment_intent.created').id as string;
    const response = await fetch(`${emulator.apiBase}/v1/disputes?payment_intent=${paymentIntent}`, { headers: emulatorAuth(emulator) });
    const page = (await response.json()) as Obj;
    expect(page).toMatchObject({ object: 'list', has_more: false, url: '/v1/disputes' });
    expect(page.data.map((dispute: Obj) => dispute.id)).toEqual([events.object('charge.dispute.updated').id]);
    expect(page).not.toHaveProperty('total_count');
  });
});
