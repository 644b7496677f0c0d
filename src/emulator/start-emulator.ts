/**
 * The offline Stripe: enough of the Stripe API for the real Stripe CLI's `stripe listen
 * --api-base http://127.0.0.1:PORT` to run with no account and no network, plus a control
 * endpoint to publish events into its sessions.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { boundedRequests, DEFAULT_REQUEST_TIMEOUT_MS } from '../server/bounded-requests.js';
import { listenOn } from '../server/listen-on.js';
import type { StripeEventLike } from '../types.js';
import { createApiRouter } from './api-router.js';
import { createControlEndpoint, CONTROL_PATH } from './control-endpoint.js';
import { DEFAULT_API_VERSION } from './default-api-version.js';
import { buildEvent, eventEnvelope } from './event-templates.js';
import { eventRoutes } from './event-routes.js';
import { newOfflineApiKey, newSigningSecret } from './ids.js';
import { offlineTriggers } from './offline-triggers.js';
import { ObjectStore, type StoredObject } from './object-store.js';
import { resourceRoutes } from './resources/resource-routes.js';
import type { EmittedEvent } from './resources/resource-scope.js';
import type { TestCard } from './resources/test-cards.js';
import type { PublishInput, PublishRequest } from './publish-input.js';
import { sendJson } from '../server/send-json.js';
import { SessionHub, type WebhookResponseInfo } from './session-hub.js';
import { createEmulatorFaults, parseFaultRequest, type FaultSettings, type FaultState } from './emulator-faults.js';
import { stripeCliSessionRoute } from './stripe-cli-session-route.js';
import { checkRequest, refusal } from './request-guard.js';
import { unrecognizedRequest } from './stripe-errors.js';
import { urlHost } from '../control/allowed-host.js';
import { createWebsocketUpgrade } from './websocket-upgrade.js';
import { hostName, startLocalSocket } from './local-socket.js';
import { createMeterEvents, METER_EVENT_STREAM_PATH, METER_EVENTS_HOST } from './meter-events.js';
import { meterErrorEnvelope, type MeterErrorEvent } from './thin-events.js';
import { readBody, BodyTooLargeError } from '../receiver/read-body.js';

export { buildEvent, supportedEventTypes, UnknownEventTypeError } from './event-templates.js';
export { offlineTriggers } from './offline-triggers.js';
export type { PublishInput, PublishRequest } from './publish-input.js';
export type { WebhookResponseInfo } from './session-hub.js';
export type { FaultSettings, FaultState } from './emulator-faults.js';

export interface EmulatorOptions {
  /** Default 127.0.0.1: the Stripe CLI refuses any other API base host. */
  host?: string;
  /** Default 0: an ephemeral port. */
  port?: number;
  /**
   * The one API key the emulator accepts (give it to the Stripe CLI as STRIPE_API_KEY, never in
   * argv); default: a new random `sk_test_…` key, read it back as `emulator.apiKey`.
   */
  apiKey?: string;
  /** The session's control token: accepted wherever the key is (the `publish` examples send it). */
  sessionToken?: string;
  /** Announced to the CLI and stamped on events; default: the version stripe-node pins. */
  apiVersion?: string;
  /** Seconds between the CLI's socket resets; default 3600 for a long dev session. */
  reconnectDelaySeconds?: number;
  /** The whsec_ signing secret, the same for every session of this emulator. */
  secret?: string;
  /** Millisecond clock for event timestamps and signatures. */
  now?: () => number;
  /** How long a session may stay disconnected before it is dropped; default 15 s (the CLI retries a failed connect after 10 s). */
  sessionGraceMs?: number;
  /** After a reconnect, how long to wait for acks of events written on the old socket before resending them; default 2 s. */
  resendAfterMs?: number;
  /** Called for every `webhook_response` a CLI reports (the status the forward target answered). */
  onWebhookResponse?: (info: WebhookResponseInfo) => void;
  /**
   * Called for every snapshot event published (control endpoint, `publish()`, or caused by an API
   * request), in order. Thin (v2) events are not: a trigger waiting for one waits for its delivery.
   */
  onEvent?: (event: StripeEventLike) => void;
  /** Serve a Unix socket for `STRIPE_CLI_UNIX_SOCKET` (see local-socket.ts); default true. */
  localSocket?: boolean;
  /** A private folder for that socket (the session's Stripe CLI config folder); default: one of its own. */
  localSocketDir?: string;
  /** Misbehave from the start, for tests of the watchdog (later: `emulator.faults` or `POST /_webhook-dev/faults`). */
  faults?: FaultSettings;
}

export interface Emulator {
  /** `http://127.0.0.1:PORT`, for `stripe listen --api-base`. */
  apiBase: string;
  /** `${apiBase}/_webhook-dev`. */
  controlUrl: string;
  /** The key every request must carry (`Authorization: Bearer …`); the Stripe CLI gets it in its env. */
  apiKey: string;
  secret: string;
  apiVersion: string;
  /**
   * A Unix socket for `stripe trigger` (as `STRIPE_CLI_UNIX_SOCKET`): every request it makes,
   * meter events for meter-events.stripe.com included, reaches the emulator. Absent on Windows.
   */
  localSocket?: string;
  /** Builds (or takes) an event, stores it and sends it to every CLI session; queued when none. */
  publish(input: PublishInput | { event: StripeEventLike }): StripeEventLike;
  /** Resolves once a Stripe CLI websocket is connected. */
  waitForListener(timeoutMs?: number): Promise<void>;
  /** For tests: change the misbehaviour, or drop every CLI websocket silently (see emulator-faults.ts). */
  faults: { set(settings: FaultSettings): FaultState; dropSockets(): number };
  /** Idempotent. */
  close(): Promise<void>;
}

export async function startEmulator({
  host = '127.0.0.1',
  port = 0,
  apiKey = newOfflineApiKey(),
  sessionToken,
  apiVersion,
  reconnectDelaySeconds = 3600,
  secret = newSigningSecret(),
  now = Date.now,
  sessionGraceMs = 15_000,
  resendAfterMs = 2_000,
  onWebhookResponse,
  onEvent,
  localSocket: serveLocalSocket = true,
  localSocketDir,
  faults: initialFaults,
}: EmulatorOptions = {}): Promise<Emulator> {
  const version = apiVersion ?? DEFAULT_API_VERSION;
  const store = new ObjectStore();
  const faults = createEmulatorFaults(initialFaults);
  const hub = new SessionHub({ secret, now, sessionGraceMs, resendAfterMs, faults, ...(onWebhookResponse === undefined ? {} : { onWebhookResponse }) });
  let apiBase = '';
  let boundPort = port;
  const meterEvents = createMeterEvents({ store, now, publishThin });

  const handleApi = createApiRouter({
    routes: [
      stripeCliSessionRoute({ hub, websocketBase: () => apiBase.replace(/^http/, 'ws'), secret: () => faults.signingSecret() ?? secret, apiVersion: version, reconnectDelaySeconds, refuse: () => faults.refuseSession() }),
      ...eventRoutes(store),
      meterEvents.sessionRoute,
      ...resourceRoutes({ state: { store, cards: new Map<string, TestCard>() }, now, publish: publishEmitted }),
    ],
    supportedTriggers: offlineTriggers,
  });
  const handleControl = createControlEndpoint({
    publish: publishRequest,
    status: () => ({ listeners: hub.listenerCount(), queued: hub.queuedCount(), ...hub.stats() }),
    faults: (body) => {
      const parsed = parseFaultRequest(body);
      if (!parsed.ok) return { status: 400, body: { error: { type: 'invalid_request_error', message: parsed.message } } };
      const state = faults.set(parsed.settings);
      return { status: 200, body: { ...state, dropped: parsed.dropSockets ? hub.silenceSockets() : 0 } };
    },
  });
  const upgrade = createWebsocketUpgrade({ hub, source: () => ({ host, port: boundPort }) });

  const server = createServer(boundedRequests(DEFAULT_REQUEST_TIMEOUT_MS), (request, response) => answer(request, response, dispatch));
  server.on('upgrade', upgrade.handleUpgrade);
  server.on('clientError', (_error, socket) => socket.destroy());

  function answer(request: IncomingMessage, response: ServerResponse, handle: (request: IncomingMessage, response: ServerResponse) => Promise<void>): void {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) response.destroy();
      else sendJson(response, 500, { error: { type: 'api_error', message: `The offline emulator failed: ${error instanceof Error ? error.message : String(error)}` } });
    });
  }

  /**
   * Through the local socket, requests for meter-events.stripe.com carry the meter event session's
   * token (which only the session key could get); everything else takes the front door's checks.
   */
  async function dispatchLocal(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (hostName(request) !== METER_EVENTS_HOST) return dispatch(request, response);
    const url = new URL(request.url ?? '/', `https://${METER_EVENTS_HOST}`);
    if (request.method !== 'POST' || url.pathname !== METER_EVENT_STREAM_PATH) {
      const notFound = unrecognizedRequest(request.method ?? 'GET', `https://${METER_EVENTS_HOST}${url.pathname}`);
      return sendJson(response, notFound.status, notFound.body);
    }
    let body: Buffer;
    try {
      body = await readBody(request, 1024 * 1024);
    } catch (error) {
      if (error instanceof BodyTooLargeError) return sendJson(response, 413, { error: { type: 'invalid_request_error', message: error.message } }, { Connection: 'close' });
      throw error;
    }
    const result = meterEvents.stream(request.headers.authorization, body.toString('utf8'));
    sendJson(response, result.status, result.body, result.headers);
  }

  async function dispatch(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', apiBase);
    const verdict = checkRequest(request, { host, port: boundPort, apiKey, ...(sessionToken === undefined ? {} : { sessionToken }) });
    if (!verdict.ok) {
      const refused = refusal(verdict);
      return sendJson(response, refused.status, refused.body, refused.headers);
    }
    if (url.pathname === CONTROL_PATH || url.pathname.startsWith(`${CONTROL_PATH}/`)) return handleControl(request, response, url);
    if (url.pathname.startsWith('/v1/') || url.pathname.startsWith('/v2/')) return handleApi(request, response, url);
    const notFound = unrecognizedRequest(request.method ?? 'GET', url.pathname, offlineTriggers);
    sendJson(response, notFound.status, notFound.body);
  }

  function publishRequest(request: PublishRequest): { event: StripeEventLike; delivered: number } {
    const event = 'event' in request ? request.event : buildEvent(request.type, { object: request.object, account: request.account, apiVersion: version, now: now() });
    store.put(event as StoredObject);
    // Stripe sends events pretty-printed; the signature covers exactly these bytes.
    const delivered = hub.publish({ event, payload: JSON.stringify(event, null, 2), acked: false });
    onEvent?.(event);
    return { event, delivered };
  }

  /** Events the API resources raise take the same path as published ones: stored, signed per session, queued when no CLI listens. */
  function publishEmitted({ type, object, previousAttributes, request, account, created }: EmittedEvent): void {
    const event = eventEnvelope({ type, object, ...(previousAttributes === undefined ? {} : { previousAttributes }), ...(account === undefined ? {} : { account }), apiVersion: version, created, request });
    publishRequest({ event });
  }

  /** A thin event: its full form is kept for `GET /v2/core/events/:id`, its envelope is sent. */
  function publishThin(event: MeterErrorEvent): void {
    store.put(event as unknown as StoredObject);
    const envelope = meterErrorEnvelope(event);
    hub.publish({ event, thin: true, payload: JSON.stringify(envelope, null, 2), acked: false });
  }

  boundPort = await listenOn(server, { host, port, what: 'the offline emulator', portHint: 'Pick another port, or leave it out to use a free one.' });
  apiBase = `http://${urlHost(host)}:${boundPort}`;
  const local = serveLocalSocket ? await startLocalSocket((request, response) => answer(request, response, dispatchLocal), localSocketDir === undefined ? {} : { dir: localSocketDir }) : undefined;

  let closing: Promise<void> | undefined;
  return {
    apiBase,
    controlUrl: `${apiBase}${CONTROL_PATH}`,
    apiKey,
    secret,
    apiVersion: version,
    ...(local === undefined ? {} : { localSocket: local.path }),
    publish: (input) => publishRequest(input).event,
    waitForListener: (timeoutMs = 30_000) => hub.waitForListener(timeoutMs),
    faults: { set: (settings) => faults.set(settings), dropSockets: () => hub.silenceSockets() },
    close() {
      closing ??= new Promise<void>((resolve) => {
        hub.close();
        upgrade.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => local?.close());
      return closing;
    },
  };
}

