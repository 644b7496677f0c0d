import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendJson } from '../server/send-json.js';
import { listenOn } from '../server/listen-on.js';
import type { JsonRecord } from '../render/json-records.js';
import { stringifyRecord } from '../render/stringify-record.js';
import type { WireDelivery, WireQuirksBusy, WireSent } from './wire-delivery.js';
import { BodyTooLargeError, readBody } from '../receiver/read-body.js';
import { MAX_SEND_REQUEST_BYTES, parseSendRequest, payloadEventId, type SendRequest } from './send-request.js';

/** What the stream carries: the `--json` records, and deliveries in full for other processes to render. */
export type ControlRecord = JsonRecord | WireDelivery | WireSent | WireQuirksBusy;
import { isAllowedHost, urlHost } from './allowed-host.js';
import type { ControlSessionInfo } from './control-session-info.js';
import { createControlToken, presentedToken, tokenMatches } from './control-token.js';
import { EventStreamHub } from './event-stream-hub.js';

export const DEFAULT_KEEPALIVE_MS = 15_000;
export const DEFAULT_EVENT_BUFFER_SIZE = 200;
export const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;

export interface ControlServerOptions {
  host?: string;
  /** 0 (the default) picks a free port; the session file tells other commands which. */
  port?: number;
  token?: string;
  /** Called on every `GET /session`, so the answer is always current. */
  getSession: () => ControlSessionInfo;
  keepaliveMs?: number;
  /** How many recent records `GET /events?since=` can replay. */
  bufferSize?: number;
  /** A client further behind than this many unsent bytes is disconnected. */
  maxBufferedBytes?: number;
  /**
   * `POST /send`: sign the payload and deliver it to the session's receiver (resolving once it has
   * answered); the server then waits for the delivery record it publishes and answers with it.
   */
  send?: (request: SendRequest, signal: AbortSignal) => Promise<void>;
}

export interface ControlServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  port: number;
  token: string;
  /** Sends the record to every `/events` stream; never blocks and never throws on a client's behalf. */
  publish(record: ControlRecord): void;
  /** Like publish, but the record is built and serialised only if a client reads it. */
  publishLazy(type: ControlRecord['type'], make: () => ControlRecord): void;
  /** Open `/events` streams. */
  subscriberCount(): number;
  /** Ends the open streams and stops the server; safe to call twice. */
  close(): Promise<void>;
}

/**
 * The local control interface of a running `listen` session, shared by `trigger`, an inspector
 * and replay. Every request needs the session's token, and a Host naming the loopback, so neither
 * another local user nor a web page the developer has open can read the session's events.
 *
 *   GET /session          200 ControlSessionInfo
 *   GET /events[?since=N] text/event-stream: `id: <seq>`, `event: <record.type>`, `data: <record JSON>`,
 *                         `: keepalive` comments; `since` (or a Last-Event-ID header) first replays
 *                         the held records with seq > N (the last `bufferSize` records at most:
 *                         a gap in the ids tells the client it missed some)
 *   POST /send            {"payload": "<event>", "tamper"?: {"kind": …}} (see send-request.ts): the
 *                         session signs and delivers it; 200 {"delivery": WireDelivery} once recorded
 *   token:                `Authorization: Bearer <token>`, or `?token=<token>` for EventSource
 */
export async function startControlServer({
  host = '127.0.0.1',
  port = 0,
  token = createControlToken(),
  getSession,
  keepaliveMs = DEFAULT_KEEPALIVE_MS,
  bufferSize = DEFAULT_EVENT_BUFFER_SIZE,
  maxBufferedBytes = DEFAULT_MAX_BUFFERED_BYTES,
  send,
}: ControlServerOptions): Promise<ControlServer> {
  const hub = new EventStreamHub({ bufferSize, keepaliveMs, maxBufferedBytes });
  let boundPort = port;
  const sends = createSendWaiters();

  function handle(request: IncomingMessage, response: ServerResponse): void {
    response.setHeader('cache-control', 'no-store');
    if (!isAllowedHost(request.headers.host, { host, port: boundPort })) {
      return sendJson(response, 403, { error: 'The Host header must name this machine (127.0.0.1 or localhost) and port.' });
    }
    const [pathname = '/', search = ''] = (request.url ?? '/').split('?', 2);
    const query = new URLSearchParams(search);
    if (!tokenMatches(token, presentedToken(request.headers.authorization, query))) {
      return sendJson(response, 401, { error: 'Missing or wrong token: send "Authorization: Bearer <token>" from the session file.' }, { 'www-authenticate': 'Bearer' });
    }
    if (pathname === '/send' && send) {
      if (request.method !== 'POST') return sendJson(response, 405, { error: '/send only answers POST.' }, { allow: 'POST' });
      void handleSend(request, response, send);
      return;
    }
    if (pathname !== '/session' && pathname !== '/events') {
      return sendJson(response, 404, { error: `Not found. The control interface has GET /session, GET /events${send ? ' and POST /send' : ''}.` });
    }
    if (request.method !== 'GET') {
      return sendJson(response, 405, { error: `${pathname} only answers GET.` }, { allow: 'GET' });
    }
    if (pathname === '/session') return sendJson(response, 200, getSession());

    const since = parseSince(query.get('since') ?? request.headers['last-event-id']);
    if (since === null) return sendJson(response, 400, { error: 'since must be a whole number: the seq (SSE id) of the last record seen.' });
    request.socket.setTimeout(0);
    hub.subscribe(response, since);
  }

  async function handleSend(request: IncomingMessage, response: ServerResponse, deliver: NonNullable<ControlServerOptions['send']>): Promise<void> {
    const controller = new AbortController();
    response.on('close', () => controller.abort());
    try {
      const parsed = parseSendRequest((await readBody(request, MAX_SEND_REQUEST_BYTES)).toString('utf8'));
      if (typeof parsed === 'string') return sendJson(response, 400, { error: parsed });
      // Waiting before delivering: the record is published once the receiver has answered.
      const recorded = sends.expect(payloadEventId(parsed.payload), controller.signal);
      recorded.catch(() => {});
      await deliver(parsed, controller.signal);
      const delivery = await recorded;
      if (!response.destroyed) sendJson(response, 200, { delivery });
    } catch (error) {
      if (response.headersSent || response.destroyed) return;
      if (error instanceof BodyTooLargeError) return sendJson(response, 413, { error: error.message }, { connection: 'close' });
      sendJson(response, 502, { error: `The session could not deliver it: ${error instanceof Error ? error.message : String(error)}` });
    }
  }

  const server = createServer((request, response) => {
    try {
      handle(request, response);
    } catch (error) {
      // A bug here must not take the session down.
      if (!response.headersSent) sendJson(response, 500, { error: 'webhook-dev internal error' });
      else response.destroy();
      process.emitWarning(error instanceof Error ? error : new Error(String(error)));
    }
  });

  await listenOn(server, { host, port, what: 'the control server', portHint: 'Use port 0 for any free port.' });
  boundPort = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost(host)}:${boundPort}`,
    port: boundPort,
    token,
    publish(record) {
      if (record.type === 'delivery') sends.offer(record as WireDelivery);
      hub.publish(record.type, stringifyRecord(record));
    },
    publishLazy(type, make) {
      // A pending send reads the delivery, like a stream client: only then is it built eagerly.
      if (type === 'delivery' && sends.size() > 0) {
        const record = make();
        sends.offer(record as WireDelivery);
        hub.publish(type, stringifyRecord(record));
        return;
      }
      hub.publish(type, () => stringifyRecord(make()));
    },
    subscriberCount: () => hub.size,
    close() {
      sends.cancelAll();
      closing ??= hub.close().then(
        () =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeAllConnections();
          }),
      );
      return closing;
    },
  };
}

/**
 * Sends waiting for their delivery record, matched by event id (a payload without one matches the
 * next delivery without one), first come first served.
 */
function createSendWaiters() {
  interface Waiter {
    eventId: string | undefined;
    resolve: (delivery: WireDelivery) => void;
    reject: (error: Error) => void;
  }
  const waiters = new Set<Waiter>();
  return {
    size: () => waiters.size,
    expect(eventId: string | undefined, signal: AbortSignal): Promise<WireDelivery> {
      return new Promise<WireDelivery>((resolve, reject) => {
        const waiter: Waiter = { eventId, resolve, reject };
        waiters.add(waiter);
        signal.addEventListener('abort', () => {
          waiters.delete(waiter);
          reject(new Error('the client went away'));
        });
      });
    },
    offer(delivery: WireDelivery): void {
      const id = delivery.record.event?.id;
      for (const waiter of waiters) {
        if (waiter.eventId === (typeof id === 'string' ? id : undefined)) {
          waiters.delete(waiter);
          waiter.resolve(delivery);
          return;
        }
      }
    },
    cancelAll(): void {
      for (const waiter of waiters) waiter.reject(new Error('the session is stopping'));
      waiters.clear();
    },
  };
}

/** undefined: no catch-up asked for; null: not a valid seq. */
function parseSince(value: string | string[] | undefined): number | undefined | null {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value.trim())) return null;
  return Number(value.trim());
}

