/**
 * Who may talk to the offline emulator: only the session it belongs to. Every request, whatever
 * its route, passes here first, so routes added later inherit the check.
 *
 * - `Host` must name the loopback address and port the emulator listens on: a web page that makes
 *   evil.example resolve to 127.0.0.1 (DNS rebinding) sends `Host: evil.example`.
 * - A browser's `Origin` other than the emulator's own means a web page is making the request.
 * - The caller proves it belongs to the session with the session's offline API key (what
 *   webhook-dev hands the Stripe CLI) or the session's control token, as `Authorization: Bearer`
 *   (or Basic with the key as user name, as `curl -u key:` sends it).
 */
import type { IncomingMessage } from 'node:http';
import { isAllowedHost, urlHost } from '../control/allowed-host.js';
import { tokenMatches } from '../control/control-token.js';
import { extractApiKey } from './api-router.js';
import { invalidApiKey, missingApiKey, stripeError, type ApiResponse } from './stripe-errors.js';

export interface RequestGuardOptions {
  host: string;
  port: number;
  apiKey: string;
  /** The session's control token (from its session file), accepted wherever the key is. */
  sessionToken?: string;
}

export type GuardVerdict =
  | { ok: true }
  | { ok: false; status: 403; reason: 'host' | 'origin'; message: string }
  | { ok: false; status: 401; reason: 'missing_credentials' | 'wrong_credentials'; presented?: string; message: string };

/** Host and Origin: what a websocket handshake is checked against too (it carries no key). */
export function checkRequestSource(request: IncomingMessage, { host, port }: Pick<RequestGuardOptions, 'host' | 'port'>): GuardVerdict {
  if (!isAllowedHost(request.headers.host, { host, port })) {
    return { ok: false, status: 403, reason: 'host', message: `The Host header must name this machine and port (127.0.0.1:${port}): the offline emulator answers only local clients of its session.` };
  }
  const origin = request.headers.origin;
  if (origin !== undefined && !isAllowedHost(originHost(origin), { host, port })) {
    return { ok: false, status: 403, reason: 'origin', message: 'Requests from web pages (an Origin header) are refused: the offline emulator answers only its own session.' };
  }
  return { ok: true };
}

export function checkRequest(request: IncomingMessage, options: RequestGuardOptions): GuardVerdict {
  const source = checkRequestSource(request, options);
  if (!source.ok) return source;
  const presented = extractApiKey(request.headers.authorization);
  if (presented === undefined) {
    return { ok: false, status: 401, reason: 'missing_credentials', message: 'No credentials: send the session key or token as "Authorization: Bearer …".' };
  }
  if (tokenMatches(options.apiKey, presented) || (options.sessionToken !== undefined && tokenMatches(options.sessionToken, presented))) return { ok: true };
  return { ok: false, status: 401, reason: 'wrong_credentials', presented, message: 'Wrong credentials: this is not the key or token of the session the offline emulator belongs to.' };
}

/** `http://127.0.0.1:4000` → `127.0.0.1:4000`; anything unparsable (`null`, from sandboxed pages) → undefined. */
function originHost(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:') return undefined;
    return `${urlHost(url.hostname)}:${url.port || '80'}`;
  } catch {
    return undefined;
  }
}

/** The answer to a refused request, in the Stripe error shape the CLI prints (keys masked). */
export function refusal(verdict: Exclude<GuardVerdict, { ok: true }>): ApiResponse {
  if (verdict.status === 403) return stripeError(403, 'invalid_request_error', verdict.message);
  const base = verdict.presented === undefined ? missingApiKey() : invalidApiKey(verdict.presented);
  const { message } = (base.body as { error: { message: string } }).error;
  return {
    ...stripeError(401, 'invalid_request_error', `${message}${message.endsWith('.') ? '' : '.'} The offline emulator accepts only its session's key (the one webhook-dev gives its Stripe CLI) or the session's control token.`),
    headers: { 'WWW-Authenticate': 'Bearer' },
  };
}
