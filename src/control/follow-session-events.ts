import type { ControlRecord } from './start-control-server.js';
import { ControlConnectionError, statusError, toControlConnectionError } from './control-connection-error.js';
import { controlRequest } from './control-request.js';
import { SseParser } from './sse-parser.js';

export interface FollowSessionEventsOptions {
  controlUrl: string;
  token: string;
  /** Replay the records the session still holds with a seq greater than this (0: all it holds). */
  since?: number;
  /** `seq` is the record's SSE id: pass the last one seen as `since` to resume without gaps. */
  onRecord: (record: ControlRecord, meta: { seq: number | undefined }) => void;
  /** A malformed message, a throwing onRecord, or the stream breaking. Not called after close(). */
  onError?: (error: unknown) => void;
  fetch?: typeof globalThis.fetch;
  /** How long to wait for the stream's headers before giving up. */
  connectTimeoutMs?: number;
}

export interface SessionEventsFollower {
  /** Stops following; no onRecord or onError call happens after it. Safe to call twice. */
  close(): void;
  /** Settles (never rejects) when the stream has ended: close(), the session ending, or an error. */
  closed: Promise<void>;
}

/**
 * Follows a running session's records (`GET /events`). Resolves once the session has accepted the
 * subscription, so a caller can then start something (a trigger) and know it will see every record
 * published from then on. Rejects with a ControlConnectionError when it cannot subscribe.
 */
export async function followSessionEvents({
  controlUrl,
  token,
  since,
  onRecord,
  onError,
  fetch = globalThis.fetch,
  connectTimeoutMs = 5_000,
}: FollowSessionEventsOptions): Promise<SessionEventsFollower> {
  const controller = new AbortController();
  const response = await connect({ controlUrl, token, since, fetch, connectTimeoutMs, controller });
  let stopped = false;
  const report = (error: unknown) => {
    if (!stopped) onError?.(error);
  };
  const deliver = (record: ControlRecord, seq: number | undefined) => {
    if (stopped) return;
    try {
      onRecord(record, { seq });
    } catch (error) {
      report(error);
    }
  };
  const closed = readRecords(response.body!, deliver, report).catch((error: unknown) => report(toControlConnectionError(error, controlUrl, false)));
  return {
    close() {
      stopped = true;
      controller.abort();
    },
    closed,
  };
}

interface ConnectOptions {
  controlUrl: string;
  token: string;
  since: number | undefined;
  fetch: typeof globalThis.fetch;
  connectTimeoutMs: number;
  controller: AbortController;
}

async function connect({ controlUrl, token, since, fetch, connectTimeoutMs, controller }: ConnectOptions): Promise<Response> {
  const path = `/events${since === undefined ? '' : `?since=${since}`}`;
  return controlRequest({ controlUrl, token, path, init: { headers: { accept: 'text/event-stream' } }, timeoutMs: connectTimeoutMs, fetch, controller }, async (response) => {
    if (response.status !== 200) {
      await response.body?.cancel();
      throw statusError(response.status, controlUrl);
    }
    if (!response.headers.get('content-type')?.startsWith('text/event-stream') || response.body === null) {
      await response.body?.cancel();
      throw new ControlConnectionError('bad-response', `${controlUrl}/events did not answer an event stream.`, { status: 200 });
    }
    return response;
  });
}

async function readRecords(
  body: ReadableStream<Uint8Array>,
  deliver: (record: ControlRecord, seq: number | undefined) => void,
  report: (error: unknown) => void,
): Promise<void> {
  const parser = new SseParser();
  // Streaming decode: a multi-byte character split across two chunks is joined, not mangled.
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      const text = done ? decoder.decode() : decoder.decode(value, { stream: true });
      for (const message of parser.push(text)) {
        const record = parseRecord(message.data);
        if (record === undefined) report(new ControlConnectionError('bad-response', `The session sent a message that is not a JSON record: ${message.data.slice(0, 80)}`));
        else deliver(record, message.id === undefined || !/^\d+$/.test(message.id) ? undefined : Number(message.id));
      }
      if (done) return;
    }
  } catch (error) {
    // Our own close() aborts the read; that is the normal way to stop, not an error.
    if (isAbort(error)) return;
    throw error;
  } finally {
    reader.releaseLock();
  }
}

function parseRecord(data: string): ControlRecord | undefined {
  try {
    const value: unknown = JSON.parse(data);
    if (typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string') return value as ControlRecord;
  } catch {
    // Reported by the caller.
  }
  return undefined;
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}
