/**
 * The emulator's side of `stripe listen` sessions: one CliSession per `POST /v1/stripecli/sessions`,
 * surviving the socket resets the CLI does every `reconnect_delay` seconds.
 *
 * Delivery is at-least-once made exactly-once in practice: an event stays pending in each session
 * it was given to until the CLI acks it. Around a reset the CLI keeps reading until our close
 * reply, so what we wrote before that reached it and its ack waits in its send buffer for the next
 * socket; what we could not write is sent as soon as it reconnects. Events written on an old
 * socket and still unacked a while after the reconnect (or by the reconnect after) are sent again:
 * they were lost with a dropped socket.
 */
import { WebSocket, type RawData } from 'ws';
import { StripeCliNotReadyError } from '../errors.js';
import { formatDuration } from '../render/format-duration.js';
import type { EmulatorFaults } from './emulator-faults.js';
import { newId } from './ids.js';
import { buildV2EventMessage, buildWebhookEventMessage, parseCliMessage } from './webhook-message.js';

export interface PublishedEvent {
  event: { id: string };
  /** A thin (v2) event: only CLIs that asked for `v2_events` get it, as a `v2_event` message. */
  thin?: boolean;
  /** Serialized once: every session and every resend signs and sends these same bytes. */
  payload: string;
  /** Some session's CLI acknowledged it; never hand it to another session after that. */
  acked: boolean;
}

export interface WebhookResponseInfo {
  websocketId: string;
  eventId?: string;
  status: number;
  forwardUrl?: string;
}

export interface SessionHubOptions {
  secret: string;
  now: () => number;
  /** How long a session may stay without a socket before it is dropped (the CLI then re-authorizes). */
  sessionGraceMs: number;
  /** How long after a reconnect to wait for acks of events written on the previous socket. */
  resendAfterMs: number;
  onWebhookResponse?: (info: WebhookResponseInfo) => void;
  /** Misbehaviour on demand, for tests of webhook-dev's watchdog (see emulator-faults.ts). */
  faults?: EmulatorFaults;
}

interface Delivery {
  published: PublishedEvent;
  /** The socket it was last written to; null when it still has to be sent. */
  sentOn: WebSocket | null;
}

interface CliSession {
  websocketId: string;
  webhookId: string;
  /** Asked for `websocket_features[]=webhooks`: receives snapshot events. */
  snapshot: boolean;
  /** Asked for `websocket_features[]=v2_events`: receives thin events (as from destination `destinationId`). */
  thin: boolean;
  destinationId: string;
  socket: WebSocket | null;
  /** The socket before the current one: events written on it may still have acks on the way. */
  previousSocket: WebSocket | null;
  everConnected: boolean;
  pending: Map<string, Delivery>;
  expiryTimer: NodeJS.Timeout | undefined;
  resendTimer: NodeJS.Timeout | undefined;
}

/** Counters that show what happened around socket resets; the health endpoint reports them. */
export interface HubStats {
  /** Websocket connections accepted, reconnects after resets included. */
  connections: number;
  /** Sends that found no open socket and waited for the next one. */
  deferred: number;
  /** Events sent again because no ack came for them after a reconnect. */
  resent: number;
  acked: number;
}

interface ListenerWaiter {
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class SessionHub {
  readonly #options: SessionHubOptions;
  readonly #sessions = new Map<string, CliSession>();
  /** Published while no session was alive; handed to the next CLI that connects. */
  readonly #queue: PublishedEvent[] = [];
  readonly #waiters = new Set<ListenerWaiter>();
  readonly #stats: HubStats = { connections: 0, deferred: 0, resent: 0, acked: 0 };
  #closed = false;

  constructor(options: SessionHubOptions) {
    this.#options = options;
  }

  /** `features`: the session's `websocket_features[]`; thin events go only to those with `v2_events`. */
  createSession(features: readonly string[] = []): { websocketId: string } {
    const session: CliSession = {
      websocketId: newId('wsid'),
      webhookId: newId('we'),
      // The CLI asks for v2_events alone when it listens only for thin events; otherwise (older
      // CLIs name other features, or none) it wants snapshot events.
      snapshot: features.includes('webhooks') || !features.includes('v2_events'),
      thin: features.includes('v2_events'),
      destinationId: newId('ed_test', 44),
      socket: null,
      previousSocket: null,
      everConnected: false,
      pending: new Map(),
      expiryTimer: undefined,
      resendTimer: undefined,
    };
    this.#sessions.set(session.websocketId, session);
    this.#scheduleExpiry(session);
    return { websocketId: session.websocketId };
  }

  hasSession(websocketId: string): boolean {
    return this.#sessions.has(websocketId);
  }

  /** Takes over a socket the upgrade handler accepted for a known session. */
  attach(websocketId: string, socket: WebSocket): void {
    const session = this.#sessions.get(websocketId);
    if (session === undefined || this.#closed) {
      socket.terminate();
      return;
    }
    if (session.socket !== null && session.socket !== socket) {
      session.socket.terminate();
      session.previousSocket = session.socket;
    }
    session.socket = socket;
    session.everConnected = true;
    this.#stats.connections += 1;
    clearTimeout(session.expiryTimer);
    socket.on('error', () => {
      // A reset or a killed CLI surfaces here as ECONNRESET; the close handler does the work.
    });
    socket.on('message', (data, isBinary) => this.#onMessage(session, data, isBinary));
    socket.on('close', () => this.#onClose(session, socket));
    // The server does not pong by itself (autoPong off), so a test can make it stop.
    socket.on('ping', (data) => {
      if (this.#options.faults?.answersPings() !== false && !this.#options.faults?.isSilenced(socket)) socket.pong(data);
    });

    this.#sendUnsent(session);
    this.#flushQueue();
    this.#shareOrphans();
    this.#scheduleResend(session);
    this.#notifyWaiters();
  }

  /** Gives the event to every live session; returns how many, 0 when it was queued instead. */
  publish(published: PublishedEvent): number {
    // Like Stripe, which keeps nothing for a `stripe listen` that is away: the Events API still lists it.
    if (this.#options.faults?.losesEventsWhileAway() === true && this.listenerCount() === 0) return 0;
    const live = [...this.#sessions.values()].filter((session) => session.everConnected && accepts(session, published));
    if (live.length === 0) {
      this.#queue.push(published);
      return 0;
    }
    for (const session of live) this.#assign(session, published);
    return live.length;
  }

  listenerCount(): number {
    let count = 0;
    for (const session of this.#sessions.values()) if (this.#isLive(session.socket)) count += 1;
    return count;
  }

  stats(): HubStats {
    return { ...this.#stats };
  }

  queuedCount(): number {
    return this.#queue.length;
  }

  waitForListener(timeoutMs: number): Promise<void> {
    if (this.listenerCount() > 0) return Promise.resolve();
    if (this.#closed) return Promise.reject(new Error('The offline emulator is closed.'));
    return new Promise((resolve, reject) => {
      const waiter: ListenerWaiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters.delete(waiter);
          reject(new StripeCliNotReadyError(`No Stripe CLI connected to the offline emulator within ${formatDuration(timeoutMs)}.`, {
            hint: 'Check that `stripe listen` was started with --api-base pointing at the emulator, and read its output.',
          }));
        }, timeoutMs),
      };
      this.#waiters.add(waiter);
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const session of this.#sessions.values()) {
      clearTimeout(session.expiryTimer);
      clearTimeout(session.resendTimer);
      session.socket?.terminate();
    }
    this.#sessions.clear();
    for (const waiter of this.#waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error('The offline emulator closed before a Stripe CLI connected.'));
    }
    this.#waiters.clear();
  }

  #assign(session: CliSession, published: PublishedEvent): void {
    const delivery: Delivery = { published, sentOn: null };
    session.pending.set(published.event.id, delivery);
    this.#send(session, delivery);
  }

  #send(session: CliSession, delivery: Delivery): void {
    const socket = session.socket;
    // CLOSING counts as gone: the CLI has asked to reset and reads nothing written after its close.
    if (!this.#isLive(socket)) {
      delivery.sentOn = null;
      this.#stats.deferred += 1;
      return;
    }
    const { payload, thin } = delivery.published;
    const timestamp = Math.floor(this.#options.now() / 1000);
    const secret = this.#options.faults?.signingSecret() ?? this.#options.secret;
    const message = thin
      ? buildV2EventMessage({ payload, secret, timestamp, destinationId: session.destinationId })
      : buildWebhookEventMessage({ payload, secret, timestamp, webhookId: session.webhookId, conversationId: newId('wc') });
    delivery.sentOn = socket;
    socket!.send(message, (error) => {
      if (error !== undefined && error !== null && delivery.sentOn === socket) delivery.sentOn = null;
    });
  }

  /**
   * Sends what never reached a socket, and what was written two or more sockets ago: its ack
   * would have come right after the last reconnect, so it was lost with a dropped socket.
   */
  #sendUnsent(session: CliSession): void {
    for (const delivery of session.pending.values()) {
      const { sentOn } = delivery;
      if (sentOn === session.socket || sentOn === session.previousSocket) continue;
      if (sentOn !== null) this.#stats.resent += 1;
      this.#send(session, delivery);
    }
  }

  /** Hands each queued event to the first connected session that takes its kind; the rest wait. */
  #flushQueue(): void {
    if (this.#queue.length === 0) return;
    const open = [...this.#sessions.values()].filter((session) => this.#isLive(session.socket));
    if (open.length === 0) return;
    const waiting: PublishedEvent[] = [];
    for (const published of this.#queue.splice(0)) {
      if (published.acked) continue;
      const target = open.find((session) => accepts(session, published));
      if (target === undefined) waiting.push(published);
      else this.#assign(target, published);
    }
    this.#queue.push(...waiting);
  }

  #scheduleResend(session: CliSession): void {
    clearTimeout(session.resendTimer);
    const socket = session.socket;
    const stale = [...session.pending.values()].some((delivery) => delivery.sentOn !== null && delivery.sentOn !== socket);
    if (!stale) return;
    session.resendTimer = setTimeout(() => {
      if (session.socket !== socket) return;
      for (const delivery of session.pending.values()) {
        if (delivery.sentOn === socket) continue;
        this.#stats.resent += 1;
        this.#send(session, delivery);
      }
    }, this.#options.resendAfterMs);
    session.resendTimer.unref();
  }

  #onMessage(session: CliSession, data: RawData, isBinary: boolean): void {
    if (isBinary) return;
    const message = parseCliMessage(data.toString());
    if (message === null) return;
    if (message.type === 'event_ack') {
      const delivery = session.pending.get(message.eventId);
      if (delivery === undefined) return;
      delivery.published.acked = true;
      session.pending.delete(message.eventId);
      this.#stats.acked += 1;
    } else if (message.type === 'webhook_response') {
      const { eventId, status, forwardUrl } = message;
      this.#options.onWebhookResponse?.({ websocketId: session.websocketId, eventId, status, forwardUrl });
    }
  }

  #onClose(session: CliSession, socket: WebSocket): void {
    // A reconnect can be accepted before the old socket's close event arrives.
    if (session.socket !== socket) return;
    session.socket = null;
    session.previousSocket = socket;
    clearTimeout(session.resendTimer);
    if (this.#options.faults?.losesEventsWhileAway() === true) session.pending.clear();
    this.#scheduleExpiry(session);
    this.#shareOrphans();
  }

  #isLive(socket: WebSocket | null): socket is WebSocket {
    return socket !== null && socket.readyState === WebSocket.OPEN && this.#options.faults?.isSilenced(socket) !== true;
  }

  /**
   * What a session without a socket still holds unacknowledged goes to every session that has one
   * (a CLI that died or was replaced: webhook-dev's watchdog starts a new `stripe listen`, which
   * opens a new session). The one that acks first settles it; without this the events would wait
   * for the dead session to expire. Each listener is owed every event anyway, so a copy is right.
   */
  #shareOrphans(): void {
    // Stripe does not: what went to a CLI that is going away is lost (only listed by the Events
    // API). The old socket may already be closing, not yet closed, when the new CLI connects.
    if (this.#options.faults?.losesEventsWhileAway() === true) return;
    const live = [...this.#sessions.values()].filter((session) => this.#isLive(session.socket));
    if (live.length === 0) return;
    for (const orphan of this.#sessions.values()) {
      if (this.#isLive(orphan.socket)) continue;
      for (const { published } of orphan.pending.values()) {
        if (published.acked) continue;
        for (const target of live) if (!target.pending.has(published.event.id)) this.#assign(target, published);
      }
    }
  }

  /** The fault "drop the websocket silently": stop reading and writing, with no close frame. */
  silenceSockets(): number {
    let count = 0;
    for (const session of this.#sessions.values()) {
      const socket = session.socket;
      if (socket === null || socket.readyState !== WebSocket.OPEN) continue;
      this.#options.faults?.silence(socket);
      // The TCP connection stays up and unread, as behind a NAT that forgot it.
      (socket as unknown as { _socket?: { pause(): void } })._socket?.pause();
      count += 1;
    }
    return count;
  }

  #scheduleExpiry(session: CliSession): void {
    clearTimeout(session.expiryTimer);
    session.expiryTimer = setTimeout(() => this.#expire(session), this.#options.sessionGraceMs);
    session.expiryTimer.unref();
  }

  /** A CLI that went away for good: what it never acknowledged goes to whoever listens next. */
  #expire(session: CliSession): void {
    if (session.socket !== null) return;
    this.#sessions.delete(session.websocketId);
    clearTimeout(session.resendTimer);
    for (const { published } of session.pending.values()) {
      if (!published.acked && !this.#heldElsewhere(published.event.id)) this.#queue.push(published);
    }
    this.#flushQueue();
  }

  #heldElsewhere(eventId: string): boolean {
    for (const session of this.#sessions.values()) if (session.pending.has(eventId)) return true;
    return false;
  }

  #notifyWaiters(): void {
    for (const waiter of this.#waiters) {
      clearTimeout(waiter.timer);
      waiter.resolve();
    }
    this.#waiters.clear();
  }
}

/** Each kind goes to the sessions that asked for it (`webhooks`, `v2_events`); the CLI filters types itself. */
function accepts(session: CliSession, published: PublishedEvent): boolean {
  return published.thin === true ? session.thin : session.snapshot;
}
