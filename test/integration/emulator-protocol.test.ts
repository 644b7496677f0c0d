/**
 * The emulator's wire protocol, driven by a hand-rolled client that plays the Stripe CLI's part
 * (the real CLI is in emulator-stripe-cli.test.ts). This is where acks, resets and queueing can
 * be steered precisely.
 */
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/start-emulator.js';
import { verifySignature } from '../../src/signature/verify-signature.js';
import type { StripeEventLike } from '../../src/types.js';
import { emulatorAuth, jsonPost } from '../helpers/emulator-auth.js';
import { waitFor } from '../helpers/wait-for.js';

// Built from parts so no test file holds anything shaped like a live key (a pre-stop check greps for them).
const LIVE_PREFIX = 'sk_' + 'live_';

const emulators: Emulator[] = [];
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate();
  await Promise.all(emulators.splice(0).map((emulator) => emulator.close()));
});

async function start(options: EmulatorOptions = {}): Promise<Emulator> {
  const emulator = await startEmulator({ resendAfterMs: 100, ...options });
  emulators.push(emulator);
  return emulator;
}

interface Session {
  websocket_url: string;
  websocket_id: string;
  websocket_authorized_feature: string;
  secret: string;
  reconnect_delay: number;
  default_version: string;
  latest_version: string;
  display_connect_filter_warning: boolean;
  device_token: string;
}

function createSession(emulator: Emulator, key = emulator.apiKey): Promise<Response> {
  return fetch(`${emulator.apiBase}/v1/stripecli/sessions`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'device_name=test&websocket_features[]=webhooks&forward_to_url=http://127.0.0.1:1/webhook',
  });
}

async function newSession(emulator: Emulator): Promise<Session> {
  const response = await createSession(emulator);
  expect(response.status).toBe(200);
  return (await response.json()) as Session;
}

interface FakeCli {
  socket: WebSocket;
  events: { payload: string; signature: string; event: StripeEventLike }[];
  ack(eventId: string): void;
  closed: Promise<void>;
}

function connect(session: Session, { autoAck = true, websocketId = session.websocket_id, protocol = 'stripecli-devproxy-v1' } = {}): Promise<FakeCli> {
  const socket = new WebSocket(`${session.websocket_url}?websocket_feature=${session.websocket_authorized_feature}`, protocol === '' ? [] : [protocol], {
    headers: { 'Websocket-Id': websocketId },
  });
  sockets.push(socket);
  const cli: FakeCli = {
    socket,
    events: [],
    ack: (eventId) => socket.send(JSON.stringify({ type: 'event_ack', event_id: eventId, webhook_id: 'we', webhook_conversation_id: 'wc' })),
    closed: new Promise((resolve) => socket.once('close', () => resolve())),
  };
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { type: string; event_payload: string; http_headers: Record<string, string> };
    expect(message.type).toBe('webhook_event');
    const event = JSON.parse(message.event_payload) as StripeEventLike;
    cli.events.push({ payload: message.event_payload, signature: message.http_headers['Stripe-Signature']!, event });
    if (autoAck) cli.ack(event.id);
  });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(cli));
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk));
      response.on('end', () => reject(Object.assign(new Error(`handshake ${response.statusCode}`), { statusCode: response.statusCode, body })));
    });
  });
}

describe('POST /v1/stripecli/sessions', () => {
  it('answers what the Stripe CLI needs, with the emulator secret and API version', async () => {
    const emulator = await start({ apiVersion: '2025-01-01.test', reconnectDelaySeconds: 7 });
    const session = await newSession(emulator);
    expect(session).toMatchObject({
      websocket_authorized_feature: 'webhook-payloads',
      secret: emulator.secret,
      reconnect_delay: 7,
      default_version: '2025-01-01.test',
      latest_version: '2025-01-01.test',
      display_connect_filter_warning: false,
    });
    expect(session.websocket_url).toBe(`${emulator.apiBase.replace('http', 'ws')}/stripecli/websocket`);
    expect(session.websocket_id).toMatch(/^wsid_/);
    expect(session.device_token.length).toBeGreaterThan(10);
    expect(emulator.secret).toMatch(/^whsec_[A-Za-z0-9]{32}$/);
  });

  it('keeps one secret for every session of an emulator', async () => {
    const emulator = await start();
    const [first, second] = [await newSession(emulator), await newSession(emulator)];
    expect(first.secret).toBe(second.secret);
    expect(first.websocket_id).not.toBe(second.websocket_id);
  });

  it('defaults the API version to the one the stripe library pins', async () => {
    const { default: Stripe } = await import('stripe');
    const emulator = await start();
    expect(emulator.apiVersion).toBe(Stripe.API_VERSION);
  });

  it('answers 401 with a Stripe error and a masked key for a key it does not accept', async () => {
    const emulator = await start();
    const response = await createSession(emulator, LIVE_PREFIX + 'abcdefghijklmnop');
    expect(response.status).toBe(401);
    const text = await response.text();
    expect(text).not.toContain('abcdefghijkl');
    expect(JSON.parse(text)).toEqual({ error: { type: 'invalid_request_error', message: expect.stringMatching(/^Invalid API Key provided: sk_live_…mnop\. The offline emulator accepts only its session's key/) } });
  });

  it('answers 401 when no key is sent, and accepts only its own key or the session token', async () => {
    const emulator = await start({ apiKey: 'sk_test_given_by_the_session', sessionToken: 'the-session-control-token' });
    expect(emulator.apiKey).toBe('sk_test_given_by_the_session');
    const bare = await fetch(`${emulator.apiBase}/v1/stripecli/sessions`, { method: 'POST' });
    expect(bare.status).toBe(401);
    expect(((await bare.json()) as { error: { message: string } }).error.message).toMatch(/did not provide an API key/);
    expect((await createSession(emulator, 'sk_test_any_other_test_key')).status).toBe(401);
    expect((await createSession(emulator, 'sk_test_given_by_the_session')).status).toBe(200);
    expect((await createSession(emulator, 'the-session-control-token')).status).toBe(200);
  });

  it('makes a new random key per emulator that the Stripe CLI accepts (sk_, three parts, 12+ characters)', async () => {
    const [a, b] = [await start(), await start()];
    expect(a.apiKey).not.toBe(b.apiKey);
    for (const key of [a.apiKey, b.apiKey]) {
      expect(key).toMatch(/^sk_test_[A-Za-z0-9]{32,}$/);
      expect(key.split('_').length).toBeGreaterThanOrEqual(3);
    }
  });
});

describe('the rest of the API', () => {
  it('answers 404 naming the request for endpoints it does not emulate', async () => {
    const emulator = await start();
    const response = await fetch(`${emulator.apiBase}/v1/climate/orders`, { method: 'POST', headers: emulatorAuth(emulator) });
    expect(response.status).toBe(404);
    expect(response.headers.get('request-id')).toMatch(/^req_/);
    const { error } = (await response.json()) as { error: { type: string; message: string } };
    expect(error.type).toBe('invalid_request_error');
    expect(error.message).toMatch(/^Unrecognized request URL \(POST: \/v1\/climate\/orders\)\. webhook-dev's offline emulator does not support POST \/v1\/climate\/orders\. Triggers that work offline: .*payment_intent\.succeeded/);
  });

  it('returns a published event from GET /v1/events/:id', async () => {
    const emulator = await start();
    const event = emulator.publish({ type: 'customer.created' });
    const response = await fetch(`${emulator.apiBase}/v1/events/${event.id}`, { headers: emulatorAuth(emulator) });
    expect(await response.json()).toEqual(event);
    const missing = await fetch(`${emulator.apiBase}/v1/events/evt_missing`, { headers: emulatorAuth(emulator) });
    expect(missing.status).toBe(404);
  });
});

describe('the websocket', () => {
  it('refuses an unknown Websocket-Id with the 400 the CLI recognizes', async () => {
    const emulator = await start();
    const session = await newSession(emulator);
    const failure = await connect(session, { websocketId: 'wsid_unknown' }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ statusCode: 400, body: '{"error":{"message":"Unknown WebSocket ID."}}' });
  });

  it('refuses a client that does not speak the CLI subprotocol', async () => {
    const emulator = await start();
    const failure = await connect(await newSession(emulator), { protocol: '' }).catch((error: unknown) => error);
    expect(failure).toMatchObject({ statusCode: 400 });
  });

  it('sends published events signed over the exact payload it carries', async () => {
    const emulator = await start();
    const cli = await connect(await newSession(emulator));
    await emulator.waitForListener(1000);
    const event = emulator.publish({ type: 'payment_intent.succeeded', object: { metadata: { order: '7' } } });
    await waitFor(() => cli.events.length === 1, { description: 'the event' });
    const [received] = cli.events;
    expect(received!.payload).toBe(JSON.stringify(event, null, 2));
    expect(received!.event.data.object.metadata).toEqual({ order: '7' });
    expect(verifySignature(received!.payload, received!.signature, { secret: emulator.secret }).ok).toBe(true);
  });

  it('delivers events published before any CLI connected, once', async () => {
    const emulator = await start();
    const early = [emulator.publish({ type: 'customer.created' }), emulator.publish({ type: 'invoice.paid' })];
    const cli = await connect(await newSession(emulator));
    await waitFor(() => cli.events.length === 2, { description: 'the queued events' });
    expect(cli.events.map((received) => received.event.id)).toEqual(early.map((event) => event.id));
    const health = (await (await fetch(`${emulator.controlUrl}/health`, { headers: emulatorAuth(emulator) })).json()) as { queued: number };
    expect(health.queued).toBe(0);
  });

  it('sends an unacknowledged event again after the CLI reconnects, but not an acknowledged one', async () => {
    const emulator = await start();
    const session = await newSession(emulator);
    const first = await connect(session, { autoAck: false });
    const acked = emulator.publish({ type: 'charge.succeeded' });
    const unacked = emulator.publish({ type: 'charge.failed' });
    await waitFor(() => first.events.length === 2, { description: 'both events' });
    first.ack(acked.id);
    await waitFor(async () => ((await (await fetch(`${emulator.controlUrl}/health`, { headers: emulatorAuth(emulator) })).json()) as { acked: number }).acked === 1, { description: 'the ack' });
    first.socket.close(1000, 'Resetting the connection');
    await first.closed;

    const second = await connect(session);
    await waitFor(() => second.events.length === 1, { description: 'the re-sent event' });
    expect(second.events[0]!.event.id).toBe(unacked.id);
    // Signed afresh for the new delivery, over the same bytes.
    expect(second.events[0]!.payload).toBe(first.events[1]!.payload);
  });

  it('holds events published while a session is between sockets and sends them on reconnect', async () => {
    const emulator = await start();
    const session = await newSession(emulator);
    const first = await connect(session);
    first.socket.close(1000, 'Resetting the connection');
    await first.closed;
    const event = emulator.publish({ type: 'balance.available' });
    const second = await connect(session);
    await waitFor(() => second.events.length === 1, { description: 'the held event' });
    expect(second.events[0]!.event.id).toBe(event.id);
    expect(first.events).toHaveLength(0);
  });

  it('sends to every connected session', async () => {
    const emulator = await start();
    const [a, b] = [await connect(await newSession(emulator)), await connect(await newSession(emulator))];
    const response = await fetch(`${emulator.controlUrl}/events`, jsonPost(emulator, { type: 'customer.created' }));
    expect(await response.json()).toMatchObject({ delivered: 2, type: 'customer.created' });
    await waitFor(() => a.events.length === 1 && b.events.length === 1, { description: 'both sessions' });
  });

  it('waitForListener rejects after its deadline when no CLI comes', async () => {
    const emulator = await start();
    await expect(emulator.waitForListener(50)).rejects.toThrow(/No Stripe CLI connected/);
  });
});

describe('the control endpoint', () => {
  it('publishes and reports the event id, type and how many sessions got it', async () => {
    const emulator = await start();
    const response = await fetch(`${emulator.controlUrl}/events`, jsonPost(emulator, { type: 'charge.succeeded', account: 'acct_1Conn', object: { amount: 99 } }));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { id: string; type: string; delivered: number };
    expect(body).toEqual({ id: expect.stringMatching(/^evt_/), type: 'charge.succeeded', delivered: 0 });
    const stored = (await (await fetch(`${emulator.apiBase}/v1/events/${body.id}`, { headers: emulatorAuth(emulator) })).json()) as StripeEventLike;
    expect(stored.account).toBe('acct_1Conn');
    expect(stored.data.object.amount).toBe(99);
  });

  it('answers 400 listing the supported types for an unknown type, and 400 for bad JSON', async () => {
    const emulator = await start();
    const unknown = await fetch(`${emulator.controlUrl}/events`, jsonPost(emulator, '{"type":"payment_intent.teleported"}'));
    expect(unknown.status).toBe(400);
    const body = (await unknown.json()) as { error: { message: string; supported_types: string[] } };
    expect(body.error.message).toMatch(/payment_intent\.teleported/);
    expect(body.error.supported_types).toContain('checkout.session.completed');
    const bad = await fetch(`${emulator.controlUrl}/events`, jsonPost(emulator, '{"type":'));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/not valid JSON/);
  });

  it('lists event types and answers health checks', async () => {
    const emulator = await start();
    const types = (await (await fetch(`${emulator.controlUrl}/event-types`, { headers: emulatorAuth(emulator) })).json()) as string[];
    expect(types).toContain('payment_intent.succeeded');
    const health = await fetch(`${emulator.controlUrl}/health`, { headers: emulatorAuth(emulator) });
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ ok: true, listeners: 0, queued: 0 });
  });
});

describe('close', () => {
  it('is idempotent and disconnects CLIs', async () => {
    const emulator = await start();
    const cli = await connect(await newSession(emulator));
    await Promise.all([emulator.close(), emulator.close()]);
    await cli.closed;
    await expect(fetch(`${emulator.controlUrl}/health`, { headers: emulatorAuth(emulator) })).rejects.toThrow();
  });
});

describe('thin (v2) events', () => {
  /** A session whose CLI asked for these websocket features; collects every message, acks each event. */
  async function rawSession(emulator: Emulator, features: string[]): Promise<{ messages: Record<string, any>[] }> {
    const response = await fetch(`${emulator.apiBase}/v1/stripecli/sessions`, {
      method: 'POST',
      headers: { ...emulatorAuth(emulator), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: ['device_name=test', ...features.map((feature) => `websocket_features[]=${feature}`)].join('&'),
    });
    const session = (await response.json()) as Session;
    const socket = new WebSocket(`${session.websocket_url}?websocket_feature=${session.websocket_authorized_feature}`, ['stripecli-devproxy-v1'], { headers: { 'Websocket-Id': session.websocket_id } });
    sockets.push(socket);
    const messages: Record<string, any>[] = [];
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as Record<string, any>;
      messages.push(message);
      const id = (JSON.parse(message.type === 'v2_event' ? message.payload : message.event_payload) as { id: string }).id;
      socket.send(JSON.stringify({ type: 'event_ack', event_id: id, webhook_id: message.destination_id ?? message.webhook_id, webhook_conversation_id: '' }));
    });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    return { messages };
  }

  /** A meter event for a meter that does not exist, as `stripe trigger` sends it: one no_meter_found thin event. */
  async function sendUnknownMeterEvent(emulator: Emulator): Promise<void> {
    const session = (await (await fetch(`${emulator.apiBase}/v2/billing/meter_event_session`, { method: 'POST', headers: emulatorAuth(emulator) })).json()) as { authentication_token: string };
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const outgoing = request({ socketPath: emulator.localSocket, method: 'POST', path: '/v2/billing/meter_event_stream', headers: { Host: 'meter-events.stripe.com', Authorization: `Bearer ${session.authentication_token}`, 'Content-Type': 'application/json' } }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      outgoing.on('error', reject);
      outgoing.end(JSON.stringify({ events: [{ event_name: 'no_such_meter', payload: { value: '3' }, identifier: 'idem-1' }] }));
    });
    expect(status).toBe(201);
  }

  it('go only to CLIs that asked for v2_events, as signed v2_event messages; snapshot events only to those that asked for webhooks', async () => {
    const emulator = await start();
    const snapshotOnly = await rawSession(emulator, ['webhooks']);
    const thinOnly = await rawSession(emulator, ['v2_events']);
    await sendUnknownMeterEvent(emulator);
    await waitFor(() => thinOnly.messages.length === 1, { description: 'the thin event at the v2 session' });
    const [message] = thinOnly.messages;
    expect(Object.keys(message!).sort()).toEqual(['destination_id', 'http_headers', 'payload', 'type']);
    expect(message!.type).toBe('v2_event');
    expect(message!.destination_id).toMatch(/^ed_test_/);
    const verdict = verifySignature(Buffer.from(message!.payload), message!.http_headers['Stripe-Signature'], { secret: emulator.secret });
    expect(verdict.ok).toBe(true);
    expect(JSON.parse(message!.payload)).toMatchObject({ object: 'v2.core.event', type: 'v1.billing.meter.no_meter_found' });

    const response = await fetch(`${emulator.controlUrl}/events`, jsonPost(emulator, { type: 'customer.created' }));
    expect(response.status).toBe(200);
    await waitFor(() => snapshotOnly.messages.length === 1, { description: 'the snapshot event at the webhooks session' });
    expect(snapshotOnly.messages.map((entry) => entry.type)).toEqual(['webhook_event']);
    expect(thinOnly.messages).toHaveLength(1);
    expect(emulator.localSocket).toBeDefined();
  });

  it('a thin event sent while no v2 session listens waits for one, past sessions that did not ask', async () => {
    const emulator = await start();
    await sendUnknownMeterEvent(emulator);
    const snapshotOnly = await rawSession(emulator, ['webhooks']);
    const both = await rawSession(emulator, ['webhooks', 'v2_events']);
    await waitFor(() => both.messages.length === 1, { description: 'the queued thin event at the session that asked for it' });
    expect(both.messages[0]!.type).toBe('v2_event');
    expect(snapshotOnly.messages).toEqual([]);
  });
});

describe('a CLI that goes away and a new one that comes (the watchdog replaces stripe listen)', () => {
  it('what a dead session never acknowledged goes to the next session at once, and only once', async () => {
    const emulator = await start({ sessionGraceMs: 60_000 });
    const first = await connect(await newSession(emulator), { autoAck: false });
    const kept = emulator.publish({ type: 'customer.created' });
    await waitFor(() => first.events.length === 1, { description: 'the first CLI to get the event' });
    first.socket.terminate();
    await first.closed;
    const sentWhileAway = emulator.publish({ type: 'customer.created' });
    const second = await connect(await newSession(emulator));
    await waitFor(() => second.events.length === 2, { description: 'the new CLI to get both' });
    expect(second.events.map((entry) => entry.event.id).sort()).toEqual([kept.id, sentWhileAway.id].sort());
    const later = emulator.publish({ type: 'customer.created' });
    await waitFor(() => second.events.length === 3, { description: 'a later event' });
    expect(second.events.map((entry) => entry.event.id).filter((id) => id === kept.id)).toHaveLength(1);
    expect(second.events.at(-1)!.event.id).toBe(later.id);
  });

  it('loseEventsWhileAway (like Stripe): nothing is kept for a CLI that is away, but GET /v1/events lists it', async () => {
    const emulator = await start({ faults: { loseEventsWhileAway: true } });
    const first = await connect(await newSession(emulator), { autoAck: false });
    const unacked = emulator.publish({ type: 'customer.created' });
    await waitFor(() => first.events.length === 1, { description: 'the event on the first socket' });
    first.socket.terminate();
    await first.closed;
    const lost = emulator.publish({ type: 'payment_intent.succeeded' });
    const second = await connect(await newSession(emulator));
    const after = emulator.publish({ type: 'customer.created' });
    await waitFor(() => second.events.length >= 1, { description: 'the event after the reconnect' });
    expect(second.events.map((entry) => entry.event.id)).toEqual([after.id]);
    const listed = (await (await fetch(`${emulator.apiBase}/v1/events?created[gte]=${unacked.created}&limit=100`, { headers: emulatorAuth(emulator) })).json()) as { data: StripeEventLike[] };
    expect(listed.data.map((event) => event.id)).toEqual([after.id, lost.id, unacked.id]);
  });

  it('answerPings false: the CLI\'s pings get no pong until it is set back', async () => {
    const emulator = await start();
    const cli = await connect(await newSession(emulator));
    const pongs: string[] = [];
    cli.socket.on('pong', (data) => pongs.push(String(data)));
    cli.socket.ping('one');
    await waitFor(() => pongs.length === 1, { description: 'a pong' });
    emulator.faults.set({ answerPings: false });
    cli.socket.ping('two');
    // A ping answered now would come before this round trip's event.
    const echo = emulator.publish({ type: 'customer.created' });
    await waitFor(() => cli.events.some((entry) => entry.event.id === echo.id), { description: 'an event after the ping' });
    expect(pongs).toEqual(['one']);
    emulator.faults.set({ answerPings: true });
    cli.socket.ping('three');
    await waitFor(() => pongs.includes('three'), { description: 'pongs again' });
  });

  it('dropSockets: the socket stays open but nothing more is written or answered; a new session gets what was held', async () => {
    const emulator = await start();
    const dropped = await connect(await newSession(emulator));
    expect(emulator.faults.dropSockets()).toBe(1);
    const held = emulator.publish({ type: 'customer.created' });
    const pongs: string[] = [];
    dropped.socket.on('pong', (data) => pongs.push(String(data)));
    dropped.socket.ping('anyone?');
    const next = await connect(await newSession(emulator));
    await waitFor(() => next.events.length === 1, { description: 'the held event on the new socket' });
    expect(next.events[0]!.event.id).toBe(held.id);
    expect(dropped.events).toEqual([]);
    expect(pongs).toEqual([]);
    expect(dropped.socket.readyState).toBe(WebSocket.OPEN);
  });

  it('refuseSessions: that many session requests answered 400, then served again', async () => {
    const emulator = await start({ faults: { refuseSessions: 2 } });
    expect((await createSession(emulator)).status).toBe(400);
    const second = await createSession(emulator);
    expect(second.status).toBe(400);
    expect(((await second.json()) as { error: { message: string } }).error.message).toMatch(/refuses new Stripe CLI sessions/);
    expect((await createSession(emulator)).status).toBe(200);
  });

  it('POST /_webhook-dev/faults sets them, needs the session key, and refuses what it does not know', async () => {
    const emulator = await start();
    const url = `${emulator.controlUrl}/faults`;
    expect((await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"answerPings":false}' })).status).toBe(401);
    const set = await fetch(url, jsonPost(emulator, { answerPings: false, refuseSessions: 1, loseEventsWhileAway: true }));
    expect(await set.json()).toEqual({ answerPings: false, refuseSessions: 1, loseEventsWhileAway: true, signingSecretChanged: false, dropped: 0 });
    const wrong = await fetch(url, jsonPost(emulator, { refuseSessions: -1 }));
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: { message: string } }).error.message).toMatch(/refuseSessions/);
    expect((await fetch(url, jsonPost(emulator, { nope: true }))).status).toBe(400);
  });
});

describe('GET /v1/events (what the catch-up after a stall lists)', () => {
  it('newest first, filtered by created and types[], paged with starting_after', async () => {
    const now = Date.now();
    let clock = now - 10_000;
    const emulator = await start({ now: () => clock });
    const published: StripeEventLike[] = [];
    for (const type of ['customer.created', 'charge.succeeded', 'customer.created', 'customer.created']) {
      published.push(emulator.publish({ type }));
      clock += 2_000;
    }
    const list = async (query: string) => (await (await fetch(`${emulator.apiBase}/v1/events?${query}`, { headers: emulatorAuth(emulator) })).json()) as { data: StripeEventLike[]; has_more: boolean };
    const customers = published.filter((event) => event.type === 'customer.created').reverse();
    const all = await list(`types[]=customer.created&created[gte]=${published[0]!.created}&limit=100`);
    expect(all.data.map((event) => event.id)).toEqual(customers.map((event) => event.id));
    const page = await list(`types[]=customer.created&limit=2`);
    expect(page).toMatchObject({ has_more: true });
    const rest = await list(`types[]=customer.created&limit=2&starting_after=${page.data[1]!.id}`);
    expect([...page.data, ...rest.data].map((event) => event.id)).toEqual(customers.map((event) => event.id));
    expect(rest.has_more).toBe(false);
    expect((await list(`created[gt]=${published[3]!.created}`)).data).toEqual([]);
    expect((await list(`created[lte]=${published[0]!.created}`)).data.map((event) => event.id)).toEqual([published[0]!.id]);
  });
});
