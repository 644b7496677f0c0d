/**
 * The real Stripe CLI (the binary @stripe/cli installed) against the offline emulator: no
 * account, no network. These tests are the proof that the emulator speaks the CLI's protocol.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Stripe from 'stripe';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/start-emulator.js';
import type { StripeEventLike } from '../../src/types.js';
import { stripeCliBinaryPath, stripeCliEnv } from '../helpers/stripe-cli-for-tests.js';
import { listenLoopback } from '../helpers/listen-loopback.js';
import { emulatorAuth, jsonPost } from '../helpers/emulator-auth.js';
import { waitFor } from '../helpers/wait-for.js';

const stripe = new Stripe('sk_test_x');
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = await startEmulator(options);
  cleanups.push(() => emulator.close());
  return emulator;
}

interface Delivery {
  body: string;
  headers: IncomingHttpHeaders;
}

async function startReceiver(): Promise<{ url: string; deliveries: Delivery[] }> {
  const deliveries: Delivery[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      deliveries.push({ body: Buffer.concat(chunks).toString('utf8'), headers: request.headers });
      response.end('ok');
    });
  });
  const listening = await listenLoopback(server);
  cleanups.push(() => listening.close());
  return { url: `${listening.origin}/webhook`, deliveries };
}

interface Listen {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exit: Promise<number | null>;
}

function listen(emulator: Emulator, forwardTo: string, { events = 'payment_intent.succeeded,charge.succeeded,customer.created', apiKey }: { events?: string; apiKey?: string } = {}): Listen {
  const configHome = mkdtempSync(join(tmpdir(), 'webhook-dev-stripe-cli-'));
  const child = spawn(stripeCliBinaryPath(), ['listen', '--api-base', emulator.apiBase, '--skip-update', '--forward-to', forwardTo, '--events', events], {
    env: stripeCliEnv({ configHome, apiKey: apiKey ?? emulator.apiKey }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  // Always read stdout: unread, the CLI stalls forwarding once its pipe fills.
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exit;
      clearTimeout(timer);
    }
    rmSync(configHome, { recursive: true, force: true });
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

function readyLine(cli: Listen): string | undefined {
  return cli.stderr().split('\n').find((line) => line.includes('Ready!'));
}

function receivedIds(deliveries: Delivery[]): string[] {
  return deliveries.map((delivery) => (JSON.parse(delivery.body) as StripeEventLike).id);
}

describe('stripe listen against the offline emulator', () => {
  it('becomes ready with the emulator secret and forwards signed events byte for byte', async () => {
    const emulator = await start();
    const receiver = await startReceiver();
    const startedAt = Date.now();
    const cli = listen(emulator, receiver.url);
    const ready = await waitFor(() => readyLine(cli), { timeoutMs: 15_000, description: 'the Ready line' });
    const readyMs = Date.now() - startedAt;
    expect(ready).toContain(emulator.secret);
    expect(ready).toContain(`You are using Stripe API Version [${emulator.apiVersion}]`);

    const published = [
      emulator.publish({ type: 'payment_intent.succeeded', object: { metadata: { order: '1' } } }),
      emulator.publish({ type: 'charge.succeeded', account: 'acct_1Connected' }),
      emulator.publish({ type: 'invoice.paid' }), // not in --events: the CLI filters it out
      emulator.publish({ type: 'customer.created' }),
    ];
    await waitFor(() => receiver.deliveries.length >= 3, { timeoutMs: 10_000, description: 'three deliveries' });
    const wanted = published.filter((event) => event.type !== 'invoice.paid');
    expect(receivedIds(receiver.deliveries).sort()).toEqual(wanted.map((event) => event.id).sort());

    for (const delivery of receiver.deliveries) {
      const sent = published.find((event) => delivery.body.includes(event.id))!;
      expect(delivery.body).toBe(JSON.stringify(sent, null, 2));
      const header = delivery.headers['stripe-signature'];
      expect(typeof header).toBe('string');
      const verified = stripe.webhooks.constructEvent(delivery.body, header as string, emulator.secret);
      expect(verified.id).toBe(sent.id);
      expect(delivery.headers['user-agent']).toBe('Stripe/1.0 (+https://stripe.com/docs/webhooks)');
    }
    await waitFor(() => cli.stdout().includes(`--> connect charge.succeeded [${published[1]!.id}]`), { description: 'the connect line' });
    console.info(`[emulator] stripe listen ready after ${readyMs} ms`);
  });

  it('delivers an event published before the CLI connected', async () => {
    const emulator = await start();
    const receiver = await startReceiver();
    const early = emulator.publish({ type: 'customer.created' });
    listen(emulator, receiver.url);
    await waitFor(() => receiver.deliveries.length === 1, { timeoutMs: 15_000, description: 'the early event' });
    expect(receivedIds(receiver.deliveries)).toEqual([early.id]);
  });

  it('publishes through the control endpoint to the CLI', async () => {
    const emulator = await start();
    const receiver = await startReceiver();
    listen(emulator, receiver.url);
    await emulator.waitForListener(15_000);
    const response = await fetch(`${emulator.controlUrl}/events`, jsonPost(emulator, { type: 'payment_intent.succeeded', object: { amount: 1234 } }));
    const body = (await response.json()) as { id: string; delivered: number };
    expect(body.delivered).toBe(1);
    await waitFor(() => receiver.deliveries.length === 1, { timeoutMs: 10_000, description: 'the delivery' });
    const event = JSON.parse(receiver.deliveries[0]!.body) as StripeEventLike;
    expect(event.id).toBe(body.id);
    expect(event.data.object.amount).toBe(1234);
  });

  it('loses and duplicates nothing across socket resets', async () => {
    const emulator = await start({ reconnectDelaySeconds: 1 });
    const receiver = await startReceiver();
    listen(emulator, receiver.url, { events: 'charge.succeeded' });
    await emulator.waitForListener(15_000);
    const published: string[] = [];
    const health = async () => (await (await fetch(`${emulator.controlUrl}/health`, { headers: emulatorAuth(emulator) })).json()) as { connections: number; deferred: number; resent: number; acked: number };
    // Publish steadily across at least two resets (each is ~1 s connected, ~1 s closing).
    await waitFor(
      async () => {
        published.push(emulator.publish({ type: 'charge.succeeded' }).id);
        return (await health()).connections >= 3;
      },
      { timeoutMs: 20_000, intervalMs: 15, description: 'two socket resets' },
    );
    await waitFor(() => new Set(receivedIds(receiver.deliveries)).size === published.length, { timeoutMs: 15_000, description: 'every event' });
    // Anything sent twice would be by the second reconnect from now; wait for it, then count.
    const settled = (await health()).connections + 2;
    await waitFor(async () => (await health()).connections >= settled, { timeoutMs: 15_000, description: 'two more resets' });
    const ids = receivedIds(receiver.deliveries);
    expect(ids.length).toBe(published.length);
    expect(new Set(ids)).toEqual(new Set(published));
    const stats = await health();
    // The test only proves something if events really fell into reset gaps.
    expect(stats.deferred).toBeGreaterThan(0);
    expect(stats.acked).toBe(published.length);
    console.info(`[emulator] resets: ${published.length} events, ${stats.connections} connections, ${stats.deferred} held for a reconnect, ${stats.resent} re-sent`);
  });

  it('makes the CLI fail with 401 for any key but the emulator\'s own', async () => {
    const emulator = await start();
    const receiver = await startReceiver();
    const cli = listen(emulator, receiver.url, { apiKey: 'sk_test_refusedbytheemulator' });
    expect(await cli.exit).toBe(1);
    expect(cli.stderr()).toContain('Authorization failed, status=401');
    expect(cli.stderr()).toContain('Invalid API Key provided: sk_test_…ator');
    expect(cli.stderr()).not.toContain('sk_test_refusedbytheemulator');
  });
});
