import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UsageError } from '../errors.js';
import { boundedRequests, DEFAULT_REQUEST_TIMEOUT_MS } from '../server/bounded-requests.js';
import { listenOn } from '../server/listen-on.js';
import { DEFAULT_TOLERANCE_SECONDS, verifySignature } from '../signature/verify-signature.js';
import type { DeliveryQuirks, DeliveryRecord, ForwardResult, HandlerResult, StripeEventLike } from '../types.js';
import { BodyTooLargeError, readBody } from './read-body.js';
import { ORIGIN_HEADER, readOrigin } from './delivery-origin.js';

/** The request as it arrived: the exact bytes and the headers (Node lower-cases their names). */
export interface ReceivedRequest {
  raw: Buffer;
  headers: IncomingMessage['headers'];
  /** `raw` decoded as UTF-8, when the receiver has it already. */
  text?: string;
}

export interface DeliveryContext {
  raw: Buffer;
  /** `raw` decoded as UTF-8, as the event was parsed from it (decoded once: the handler's worker takes the text). */
  text: string;
  headers: IncomingMessage['headers'];
  attempt: number;
  receivedAt: Date;
  /** Set when the session's delivery quirks made this delivery (a duplicate copy, a retry). */
  mark?: DeliveryMark;
}

/** What the session says about a delivery it made itself (see ReceiverOptions.readMark). */
export interface DeliveryMark {
  attempt: number;
  quirks: DeliveryQuirks;
  /** Which of the session's planned re-deliveries this is. */
  id: number;
}

/** What ran for a verified event: the handler, the forward to the user's app, both, or neither (inspect mode). */
export interface DispatchResult {
  handler?: HandlerResult;
  forward?: ForwardResult;
  /** What the dispatcher learns after the answer went out (the app's output): the record waits for it, the answer does not. */
  settled?: Promise<DispatchResult>;
  /** What the delivery quirks did before dispatching it (held it, reordered it). */
  quirks?: DeliveryQuirks;
}

export type EventDispatcher = (event: StripeEventLike, delivery: DeliveryContext) => Promise<DispatchResult>;

export interface ReceiverOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  path?: string;
  /** The secret is learnt from the Stripe CLI after the receiver is already listening. */
  /**
   * The secret is learnt from the Stripe CLI after the receiver is listening, and the CLI may
   * forward an event before it prints the line that carries it: a promise makes that delivery wait.
   */
  getSecret: () => string | undefined | Promise<string | undefined>;
  tolerance?: number;
  dispatch?: EventDispatcher;
  /**
   * Called with each delivery's record right before its answer is written (the journal): a
   * delivery the sender saw acknowledged has been handed over. Must not throw.
   */
  keep?: (record: DeliveryRecord, request: ReceivedRequest) => Promise<void> | undefined;
  /** The session's own key for the origin header (see delivery-origin.ts): deliveries that prove it are marked `send` or `replay`. */
  originKey?: string;
  /**
   * Called after the answer went out, with the final record; `answered` is the record `keep` got
   * (the same object unless the dispatcher learnt more after answering: the app's output); `body`
   * is the request's body as text, what the record's event was parsed from.
   */
  onDelivery: (record: DeliveryRecord, answered: DeliveryRecord, body: string) => void;
  /** Stripe caps event payloads well below this; larger bodies are refused, not buffered. */
  maxBodyBytes?: number;
  /**
   * How long a client may take to send a whole request, headers and body (answered 408 after);
   * default 30 s. The Stripe CLI sends at once, so only a stalled or hostile client hits it.
   */
  requestTimeoutMs?: number;
  /** Wall clock in ms, injectable for tests of the tolerance window. */
  now?: () => number;
  /**
   * The session's own mark on a delivery it made (a duplicate, a retry). Asked only once the
   * signature has verified; it must prove itself too (quirk-mark.ts), so no client can fake one.
   */
  readMark?: (headers: IncomingMessage['headers']) => DeliveryMark | undefined;
}

export interface Receiver {
  url: string;
  port: number;
  server: Server;
  /**
   * Waits (at most timeoutMs) until every delivery already answered has been reported: a forward's
   * record may wait a moment for the app's output, and an app that exits right after answering
   * ends the session in that moment.
   */
  drain(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/** Marks a delivery webhook-dev itself made from the Events API after the Stripe CLI stalled. */
export const RECOVERED_HEADER = 'webhook-dev-recovered';

// A string body (not a Buffer) lets Node send headers and body in one write instead of a writev.
const RECEIVED_BODY = '{"received":true}';
const RECEIVED_HEADERS = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(RECEIVED_BODY) };

/**
 * The built-in webhook endpoint. Order matters and mirrors what a correct app does: read the raw
 * bytes, verify them against the captured secret, and only then parse and dispatch. A delivery
 * that fails verification is answered 400 and never reaches user code.
 */
export async function startReceiver({
  host = '127.0.0.1',
  port = 0,
  path = '/webhook',
  getSecret,
  tolerance = DEFAULT_TOLERANCE_SECONDS,
  dispatch,
  keep,
  originKey,
  onDelivery,
  maxBodyBytes = 5 * 1024 * 1024,
  requestTimeoutMs = DEFAULT_REQUEST_TIMEOUT_MS,
  now = Date.now,
  readMark,
}: ReceiverOptions): Promise<Receiver> {
  if (!path.startsWith('/')) throw new UsageError(`--path must start with "/" (got "${path}").`, { hint: 'For example: --path /webhook' });
  const attempts = new AttemptCounter();

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const pathname = (request.url ?? '/').split('?')[0];
    if (pathname !== path) {
      return send(response, 404, { error: `webhook-dev receives Stripe events at ${path}` });
    }
    if (request.method !== 'POST') {
      response.setHeader('allow', 'POST');
      return send(response, 405, { error: 'Stripe delivers events with POST' });
    }
    const started = performance.now();
    const receivedAt = new Date(now());
    let raw: Buffer;
    try {
      raw = await readBody(request, maxBodyBytes);
    } catch (error) {
      // Closing the connection stops the upload: otherwise Node reads the rest, be it 1 GB, to keep it alive.
      if (error instanceof BodyTooLargeError) return send(response, 413, { error: error.message }, { connection: 'close' });
      // The client hung up, or was cut off by the request timeout, mid-body: nobody to answer.
      if (request.destroyed) return;
      throw error;
    }
    const known = getSecret();
    const secret = typeof known === 'string' || known === undefined ? known : await known;
    if (secret === undefined) {
      return send(response, 503, { error: 'webhook-dev is still starting: the signing secret is not known yet' });
    }

    const signatures = signatureHeaders(request.rawHeaders);
    const verdict = verifySignature(raw, signatures.length === 1 ? signatures[0] : signatures, {
      secret,
      tolerance,
      now: Math.floor(receivedAt.getTime() / 1000),
    });
    const text = raw.toString('utf8');
    const event = parseEvent(text);
    const mark = verdict.ok && event !== undefined ? readMark?.(request.headers) : undefined;
    // A retry says which attempt it is; a duplicate copy is not a redelivery Stripe would count.
    const attempt = mark ? mark.attempt : event ? attempts.next(event.id) : 1;
    // Set by the session's own catch-up after a stall; a signature is still required like any delivery.
    const recovered = request.headers[RECOVERED_HEADER] === '1';
    const origin = originKey === undefined ? undefined : readOrigin(request.headers[ORIGIN_HEADER], originKey);
    const base = { receivedAt, attempt, ...(event ? { event } : {}), ...(recovered ? { recovered: true as const } : {}), ...(mark ? { quirks: mark.quirks } : {}), ...(origin ? { origin } : {}) };

    if (!verdict.ok || event === undefined) {
      const rejection = verdict.ok
        ? { reason: 'invalid_json' as const, message: 'The body is not a JSON Stripe event.' }
        : { reason: verdict.reason, message: verdict.message };
      const record: DeliveryRecord = { ...base, status: 400, verified: verdict.ok, rejection, durationMs: performance.now() - started };
      const kept = keep?.(record, { raw, text, headers: request.headers });
      if (kept) await kept;
      send(response, 400, { error: rejection.message });
      setImmediate(onDelivery, record, record, text);
      return;
    }

    const dispatched = dispatch ? await dispatch(event, { raw, text, headers: request.headers, attempt, receivedAt, ...(mark ? { mark } : {}) }) : ({} as DispatchResult);
    const reply = answerFor(dispatched.handler, dispatched.forward);
    const answered: DeliveryRecord = {
      ...base,
      ...(dispatched.quirks ? { quirks: { ...base.quirks, ...dispatched.quirks } } : {}),
      status: reply.status,
      verified: true,
      ...(dispatched.handler ? { handler: dispatched.handler } : {}),
      ...(dispatched.forward ? { forward: dispatched.forward } : {}),
      durationMs: performance.now() - started,
    };
    const kept = keep?.(answered, { raw, text, headers: request.headers });
    if (kept) await kept;
    if (reply.body === undefined) response.writeHead(200, RECEIVED_HEADERS).end(RECEIVED_BODY);
    else send(response, reply.status, reply.body);
    // Answered, but its record may still wait a moment for the app's output (see drain()).
    const settling = dispatched.settled;
    let record = answered;
    if (settling) {
      answeredUnrecorded.add(settling);
      void settling.finally(() => answeredUnrecorded.delete(settling)).catch(() => {});
      const { handler, forward } = await settling;
      record = { ...answered, ...(handler ? { handler } : {}), ...(forward ? { forward } : {}) };
    }
    // Report after the answer has gone out: Node sends a response on the next tick, and printing
    // first would make the Stripe CLI (and its 30 s timeout) wait on our terminal.
    setImmediate(onDelivery, record, answered, text);
  }

  const answeredUnrecorded = new Set<Promise<unknown>>();

  const server = createServer(boundedRequests(requestTimeoutMs), (request, response) => {
    handle(request, response).catch((error: unknown) => {
      // A bug in webhook-dev must not take the session down or leave the Stripe CLI waiting.
      if (!response.headersSent) send(response, 500, { error: 'webhook-dev internal error' });
      else response.destroy();
      process.emitWarning(error instanceof Error ? error : new Error(String(error)));
    });
  });
  // The Stripe CLI opens a new connection for almost every event during a burst.
  server.keepAliveTimeout = 5_000;

  await listenOn(server, {
    host,
    port,
    what: 'the receiver',
    portHint: `Stop whatever listens there (another webhook-dev?), or pick another port: --port ${port + 1}, or --port 0 for any free port.`,
    hostHint: 'Use --host 127.0.0.1 (the default) or an address of this machine.',
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${address.port}${path}`,
    port: address.port,
    server,
    async drain(timeoutMs) {
      if (answeredUnrecorded.size === 0) return;
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
      await Promise.race([Promise.allSettled([...answeredUnrecorded]), deadline]);
      clearTimeout(timer);
      // The record is handed over on the next turn (setImmediate): let it go out.
      await new Promise((resolve) => setImmediate(resolve));
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/**
 * Every Stripe-Signature line as sent. Node joins a repeated header with ", ", which would let a
 * garbage line and a valid one pass as one header; stripe-node refuses a header sent twice, and so
 * do we. (request.headersDistinct says the same, but copies every header to say it.)
 */
function signatureHeaders(rawHeaders: string[]): string[] {
  const values: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    if (name.length === 16 && name.toLowerCase() === 'stripe-signature') values.push(rawHeaders[i + 1]!);
  }
  return values;
}

function parseEvent(text: string): StripeEventLike | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && typeof (value as { id?: unknown }).id === 'string' && typeof (value as { type?: unknown }).type === 'string') {
      return value as StripeEventLike;
    }
  } catch {
    // Not JSON: reported as a rejection by the caller.
  }
  return undefined;
}

/**
 * The status the Stripe CLI sees (and prints in its `<--` lines): 500 when the handler failed;
 * otherwise, when forwarding, the app's own status (502 when the app could not be reached).
 * No body: the common 200 answer, sent from constants.
 */
export function answerFor(handler: HandlerResult | undefined, forward: ForwardResult | undefined): { status: number; body?: unknown } {
  const outcome = handler?.outcome;
  if (outcome?.status === 'error' || outcome?.status === 'timeout') {
    const message = outcome.status === 'error' ? `handler failed: ${outcome.error.message}` : `handler timed out after ${outcome.timeoutMs} ms`;
    return { status: 500, body: { error: message } };
  }
  if (forward?.outcome.status === 'response') {
    return { status: forward.outcome.statusCode, body: { forwarded: forward.url, status: forward.outcome.statusCode } };
  }
  if (forward?.outcome.status === 'failed') {
    return { status: 502, body: { error: `forward to ${forward.url} failed: ${forward.outcome.message}` } };
  }
  return { status: 200 };
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

/** Counts deliveries per event id so redeliveries show as attempt 2, 3…; bounded for long sessions. */
class AttemptCounter {
  private readonly seen = new Map<string, number>();
  constructor(private readonly limit = 10_000) {}

  next(id: string): number {
    const count = (this.seen.get(id) ?? 0) + 1;
    this.seen.delete(id);
    this.seen.set(id, count);
    if (this.seen.size > this.limit) this.seen.delete(this.seen.keys().next().value!);
    return count;
  }
}
