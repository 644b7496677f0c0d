import type { IncomingHttpHeaders } from 'node:http';
import { Agent, request } from 'undici';
import { UsageError } from '../errors.js';
import { maskSecret, redactSecrets } from '../secrets.js';
import type { ForwardOutcome, ForwardResult } from '../types.js';
import { classifyForwardError } from './classify-forward-error.js';
import { DEFAULT_FORWARD_TIMEOUT_MS, DEFAULT_MAX_BODY_BYTES, DEFAULT_SECRET_ENV_NAME } from './defaults.js';
import { diagnoseAppResponse } from './diagnose-app-response.js';

export interface ForwarderOptions {
  /** The app's webhook URL (--forward-to). */
  url: string;
  /** Total time for one forward, answer and body included; 0 or Infinity waits forever (--no-timeout). */
  timeoutMs?: number;
  /** Accept any certificate, for self-signed local HTTPS (--insecure). */
  insecure?: boolean;
  /** The session's signing secret. Only ever used, masked, in diagnosis text. */
  secret: () => string | undefined;
  /** Where the app reads the secret from, named in the diagnosis. */
  secretEnvName?: string;
  /** How much of the app's answer to keep; the rest is discarded. */
  maxBodyBytes?: number;
  /** Monotonic milliseconds, injectable for tests. */
  now?: () => number;
}

export interface Forwarder {
  url: string;
  /** Sends the exact bytes webhook-dev received and verified; never rejects. */
  forward(raw: Buffer, headers: IncomingHttpHeaders): Promise<ForwardResult>;
  /** Drops pooled connections and aborts forwards still waiting (an app at a breakpoint). Idempotent. */
  close(): Promise<void>;
}

// What Stripe itself sends with an event. Host, Content-Length and Connection belong to the hop
// and undici writes its own; anything else the Stripe CLI added is not the app's business.
const STRIPE_HEADERS = ['stripe-signature', 'content-type', 'user-agent', 'accept', 'cache-control'] as const;
const STRIPE_CONTENT_TYPE = 'application/json; charset=utf-8';
// setTimeout fires at once for anything above 2^31-1 ms; such a limit means "no limit" anyway.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Forwards verified deliveries to the user's own app, the way Stripe would send them, so the app's
 * own verification sees the same bytes and headers. One keep-alive pool serves every delivery;
 * redirects are not followed (undici's `request` never does), as Stripe and the Stripe CLI do not.
 */
export function createForwarder({
  url,
  timeoutMs = DEFAULT_FORWARD_TIMEOUT_MS,
  insecure = false,
  secret,
  secretEnvName = DEFAULT_SECRET_ENV_NAME,
  maxBodyBytes = DEFAULT_MAX_BODY_BYTES,
  now = () => performance.now(),
}: ForwarderOptions): Forwarder {
  const target = parseForwardUrl(url);
  const limited = timeoutMs > 0 && timeoutMs <= MAX_TIMER_MS;
  // Our own timer bounds the whole exchange, like the Stripe CLI's client timeout; undici's
  // per-phase timers are off so that --no-timeout really waits at a breakpoint.
  const agent = new Agent({ connect: { rejectUnauthorized: !insecure }, headersTimeout: 0, bodyTimeout: 0 });
  let closing: Promise<void> | undefined;

  async function send(raw: Buffer, headers: IncomingHttpHeaders): Promise<ForwardOutcome> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = limited
      ? setTimeout(() => {
          timedOut = true;
          controller.abort(new Error(`no response within ${timeoutMs} ms`));
        }, timeoutMs)
      : undefined;
    try {
      const response = await request(target, {
        dispatcher: agent,
        method: 'POST',
        headers: stripeHeaders(headers),
        body: raw,
        signal: controller.signal,
      });
      const { text, truncated } = await readCapped(response.body, maxBodyBytes);
      return { status: 'response', statusCode: response.statusCode, headers: flattenHeaders(response.headers), body: text, bodyTruncated: truncated };
    } catch (error) {
      return classifyForwardError(error, { url: target, timeoutMs, timedOut });
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    url: target,
    async forward(raw, headers) {
      const started = now();
      const outcome: ForwardOutcome = closing
        ? { status: 'failed', kind: 'other', message: 'webhook-dev is shutting down; the event was not forwarded' }
        : await send(raw, headers);
      const durationMs = now() - started;
      const current = secret();
      const diagnosis = diagnoseAppResponse(outcome, {
        secretMasked: current ? maskSecret(current) : 'not known yet',
        secretEnvName,
        url: target,
      });
      return { url: target, outcome, durationMs, ...(diagnosis ? { diagnosis } : {}) };
    },
    close() {
      closing ??= agent.destroy().catch(() => undefined);
      return closing;
    },
  };
}

function parseForwardUrl(url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new UsageError(`--forward-to needs an http:// or https:// URL (got "${redactSecrets(url)}").`, {
      hint: 'For example: --forward-to http://localhost:3000/api/webhooks/stripe',
    });
  }
  return parsed.href;
}

function stripeHeaders(incoming: IncomingHttpHeaders): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of STRIPE_HEADERS) {
    const value = incoming[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  // express.raw({ type: 'application/json' }) and its kin skip a body without it.
  headers['content-type'] ??= STRIPE_CONTENT_TYPE;
  return headers;
}

async function readCapped(body: AsyncIterable<Buffer>, maxBytes: number): Promise<{ text: string; truncated: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  for await (const chunk of body) {
    const room = maxBytes - size;
    if (chunk.length > room) {
      chunks.push(chunk.subarray(0, room));
      truncated = true;
      // Leaving the loop destroys the stream: undici drops the connection rather than read on.
      break;
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  // `stream: true` holds back a multi-byte character split by the cut instead of printing U+FFFD.
  const text = new TextDecoder('utf-8').decode(Buffer.concat(chunks), { stream: truncated });
  return { text, truncated };
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
