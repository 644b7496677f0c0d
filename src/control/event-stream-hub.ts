import type { ServerResponse } from 'node:http';
import { formatSseMessage, SSE_KEEPALIVE } from './format-sse-message.js';
import { RecordRing } from './record-ring.js';

export interface EventStreamHubOptions {
  /** How many recent messages a late client can catch up on with `since`. */
  bufferSize: number;
  keepaliveMs: number;
  /** A client whose unsent output grows past this is dropped rather than buffered without bound. */
  maxBufferedBytes: number;
}

interface Client {
  /** maxBufferedBytes plus the catch-up backlog: that backlog is bounded by the ring, not by the client. */
  limit: number;
}

/**
 * The open `GET /events` streams. Publishing never waits on a client: each write goes to the
 * client's socket buffer, and a client that stops reading is dropped once that buffer passes the
 * limit, so a stuck browser tab cannot slow the session down or make it grow.
 */
export class EventStreamHub {
  readonly #ring: RecordRing<LazyMessage>;
  readonly #clients = new Map<ServerResponse, Client>();
  readonly #maxBufferedBytes: number;
  readonly #keepalive: NodeJS.Timeout;
  #closed = false;

  constructor({ bufferSize, keepaliveMs, maxBufferedBytes }: EventStreamHubOptions) {
    this.#ring = new RecordRing(bufferSize);
    this.#maxBufferedBytes = maxBufferedBytes;
    this.#keepalive = setInterval(() => this.#broadcast(SSE_KEEPALIVE), keepaliveMs).unref();
  }

  get size(): number {
    return this.#clients.size;
  }

  /**
   * Returns the message's sequence number (its SSE `id`). `data` may be a function: it is then
   * serialised only when someone reads it (a client now, or a late client catching up), so a
   * session nobody follows pays nothing per delivery.
   */
  publish(event: string, data: string | (() => string)): number {
    const seq = this.#ring.lastSeq + 1;
    const message = new LazyMessage(seq, event, data);
    this.#ring.push(message);
    if (this.#clients.size > 0) this.#broadcast(message.text());
    return seq;
  }

  /** Starts the stream on `response`, first replaying the held messages after `since` when given. */
  subscribe(response: ServerResponse, since: number | undefined): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      // Tells a buffering reverse proxy (nginx) to pass each message through at once.
      'x-accel-buffering': 'no',
    });
    // Headers go out now, not with the first message: a client knows it is subscribed as soon as
    // its request resolves, and can then start a trigger knowing it will see the result.
    response.flushHeaders();
    response.socket?.setNoDelay(true);
    if (this.#closed) {
      response.end();
      return;
    }
    const backlog = since === undefined ? '' : this.#ring.after(since).map((entry) => entry.value.text()).join('');
    this.#clients.set(response, { limit: this.#maxBufferedBytes + Buffer.byteLength(backlog) });
    response.once('close', () => this.#clients.delete(response));
    response.on('error', () => this.#drop(response));
    if (backlog !== '') this.#write(response, backlog);
  }

  /** Ends every stream and waits (briefly) for the ends to be written. */
  async close(graceMs = 500): Promise<void> {
    this.#closed = true;
    clearInterval(this.#keepalive);
    const responses = [...this.#clients.keys()];
    this.#clients.clear();
    await Promise.all(responses.map((response) => endWithin(response, graceMs)));
  }

  #broadcast(message: string): void {
    for (const response of this.#clients.keys()) this.#write(response, message);
  }

  #write(response: ServerResponse, message: string): void {
    const client = this.#clients.get(response);
    if (client === undefined || response.destroyed) return;
    response.write(message);
    if (response.writableLength > client.limit) this.#drop(response);
  }

  #drop(response: ServerResponse): void {
    this.#clients.delete(response);
    // destroy, not end: an end would queue behind the data the client is not reading.
    response.destroy();
  }
}

/** One SSE message, formatted the first time it is needed and then kept. */
class LazyMessage {
  #data: string | (() => string);
  #text: string | undefined;

  constructor(
    readonly seq: number,
    readonly event: string,
    data: string | (() => string),
  ) {
    this.#data = data;
  }

  text(): string {
    if (this.#text === undefined) {
      this.#text = formatSseMessage({ id: this.seq, event: this.event, data: typeof this.#data === 'string' ? this.#data : this.#data() });
      // The closure holds the record it serialises: let it go.
      this.#data = '';
    }
    return this.#text;
  }
}

function endWithin(response: ServerResponse, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms).unref();
    function done() {
      clearTimeout(timer);
      resolve();
    }
    if (response.destroyed) return done();
    response.once('close', done);
    response.end(done);
  });
}
