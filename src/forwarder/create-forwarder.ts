import type { IncomingHttpHeaders } from 'node:http';
import { Agent, request } from 'undici';
import { maskSecret } from '../secrets.js';
import { createAppOutputLog, type DeliveryVisit } from '../app/app-output-log.js';
import type { ForwardDiagnosis, ForwardOutcome, ForwardResult } from '../types.js';
import { causeKey } from './cause-key.js';
import { classifyForwardError } from './classify-forward-error.js';
import { DEFAULT_FORWARD_TIMEOUT_MS, DEFAULT_MAX_BODY_BYTES, DEFAULT_SECRET_ENV_NAME } from './defaults.js';
import { detectFramework, type FrameworkClues } from './detect-framework.js';
import { diagnoseAppResponse } from './diagnose-app-response.js';
import type { Framework } from './framework-fixes.js';
import { judgeAnswer, refusalInBody, reportsFailure } from './judge-answer.js';
import { parseForwardUrl } from './parse-forward-url.js';

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
  /**
   * 'answer' (default): a 2xx is a success only if its body and the app's output do not say
   * otherwise. 'status' (--status-only): the status alone decides, for apps that answer so on purpose.
   */
  judge?: 'answer' | 'status';
  /** With `-- COMMAND`: keep the app's output (see appLine) to attribute its lines to each delivery. */
  attributeAppOutput?: boolean;
  /** How long after the answer the app's lines still count (see DEFAULT_OUTPUT_GRACE_MS). */
  outputGraceMs?: number;
  /** webhook-dev started the app with the secret in secretEnvName (the diagnosis says so). */
  secretInjected?: boolean;
  /** What tells the app's framework apart, for the fix to give (the answer's headers are added). */
  frameworkClues?: Omit<FrameworkClues, 'headers'>;
}

export interface ForwardSent {
  /** The app's answer as soon as it came: what the Stripe CLI is answered with. */
  answered: ForwardResult;
  /** The same, judged on the whole answer once the app's output for it is in. */
  judged: Promise<ForwardResult>;
}

export interface Forwarder {
  url: string;
  /** Sends the exact bytes webhook-dev received and verified, and judges the answer; never rejects. */
  forward(raw: Buffer, headers: IncomingHttpHeaders, eventId?: string): Promise<ForwardResult>;
  /** A line the app printed (with attributeAppOutput), secrets masked. */
  appLine(stream: 'stdout' | 'stderr', line: string): void;
  /** The same in two steps: the answer at once, the verdict when the app's output is in. */
  send(raw: Buffer, headers: IncomingHttpHeaders, eventId?: string): Promise<ForwardSent>;
  /** Drops pooled connections and aborts forwards still waiting (an app at a breakpoint). Idempotent. */
  close(): Promise<void>;
}

// What Stripe itself sends with an event. Host, Content-Length and Connection belong to the hop
// and undici writes its own; anything else the Stripe CLI added is not the app's business.
const STRIPE_HEADERS = ['stripe-signature', 'content-type', 'user-agent', 'accept', 'cache-control'] as const;
const STRIPE_CONTENT_TYPE = 'application/json; charset=utf-8';
// How long a delivery that already failed waits for the app's line that says why (a loaded
// machine can read it well after the answer); a healthy one waits only the output grace.
const FAILURE_WAIT_MS = 250;
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
  judge = 'answer',
  attributeAppOutput = false,
  outputGraceMs,
  secretInjected = false,
  frameworkClues = {},
}: ForwarderOptions): Forwarder {
  const target = parseForwardUrl(url);
  const limited = timeoutMs > 0 && timeoutMs <= MAX_TIMER_MS;
  // Our own timer bounds the whole exchange, like the Stripe CLI's client timeout; undici's
  // per-phase timers are off so that --no-timeout really waits at a breakpoint.
  const agent = new Agent({ connect: { rejectUnauthorized: !insecure }, headersTimeout: 0, bodyTimeout: 0 });
  let closing: Promise<void> | undefined;
  const appOutput = attributeAppOutput ? createAppOutputLog({ ...(outputGraceMs !== undefined ? { graceMs: outputGraceMs } : {}) }) : undefined;

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

  // The first event with a given cause gets the full diagnosis; later ones point back at it. The
  // hints are part of the key: 'unknown' covers a 404 and a refused connection alike.
  const explained = new Map<string, string>();

  async function judgeWhole(answered: ForwardResult, visit: DeliveryVisit | undefined, eventId: string | undefined): Promise<ForwardResult> {
    const outcome = answered.outcome;
    // A 2xx waits out the grace period for a line that says otherwise; a delivery that failed
    // already (its status, its body) can afford to wait longer for the line that says why. Either
    // stops at the first such line. Under --status-only a 2xx needs none.
    const is2xx = outcome.status === 'response' && outcome.statusCode < 300;
    const wantsNothing = judge === 'status' && is2xx;
    const failedAlready = !is2xx || (judge === 'answer' && outcome.status === 'response' && refusalInBody(outcome) !== undefined);
    const appLines = visit ? await visit.collect((lines) => wantsNothing || lines.some(reportsFailure), failedAlready ? FAILURE_WAIT_MS : undefined) : [];
    const refusal = judge === 'answer' && outcome.status === 'response' ? judgeAnswer(outcome, appLines) : undefined;
    const current = secret();
    const diagnosis = diagnoseAppResponse(
      outcome,
      {
        secretMasked: current ? maskSecret(current) : 'not known yet',
        secretEnvName,
        url: target,
        secretInjected,
        ...withFramework(outcome),
      },
      { appLines, ...(refusal ? { refusal } : {}) },
    );
    return {
      ...answered,
      ...(diagnosis ? { diagnosis: rememberCause(diagnosis, eventId) } : {}),
      ...(refusal ? { refusal } : {}),
      ...(visit ? { appOutput: appLines } : {}),
    };
  }

  function withFramework(outcome: ForwardOutcome): { framework?: Framework } {
    const framework = detectFramework({ ...frameworkClues, ...(outcome.status === 'response' ? { headers: outcome.headers } : {}) });
    return framework ? { framework } : {};
  }

  function rememberCause(diagnosis: ForwardDiagnosis, eventId: string | undefined): ForwardDiagnosis {
    const key = causeKey(diagnosis);
    const first = explained.get(key);
    if (first !== undefined && first !== eventId) return { ...diagnosis, repeatOf: first };
    if (eventId !== undefined) explained.set(key, eventId);
    return diagnosis;
  }

  async function sendOne(raw: Buffer, headers: IncomingHttpHeaders, eventId?: string): Promise<ForwardSent> {
    const visit = appOutput && eventId !== undefined && !closing ? appOutput.begin(eventId) : undefined;
    const started = now();
    const outcome: ForwardOutcome = closing
      ? { status: 'failed', kind: 'other', message: 'webhook-dev is shutting down; the event was not forwarded' }
      : await send(raw, headers);
    visit?.answered();
    const answered: ForwardResult = { url: target, outcome, durationMs: now() - started };
    return { answered, judged: judgeWhole(answered, visit, eventId) };
  }

  return {
    url: target,
    send: sendOne,
    appLine(stream, line) {
      appOutput?.push(stream, line);
    },
    async forward(raw, headers, eventId) {
      return (await sendOne(raw, headers, eventId)).judged;
    },
    close() {
      appOutput?.close();
      closing ??= agent.destroy().catch(() => undefined);
      return closing;
    },
  };
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
