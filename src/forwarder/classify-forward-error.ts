import { formatDuration } from '../render/format-duration.js';
import { redactSecrets } from '../secrets.js';
import type { ForwardOutcome } from '../types.js';
import { hostAndPort } from './host-and-port.js';

export type ForwardFailure = Extract<ForwardOutcome, { status: 'failed' }>;
export type ForwardFailureKind = ForwardFailure['kind'];

export interface ClassifyContext {
  /** The --forward-to URL, to name the host and port in the message. */
  url: string;
  /** The timeout in force, for the timeout message; 0 or Infinity when there is none. */
  timeoutMs: number;
  /** Set by the forwarder when its own timer aborted the request (undici then rejects with the abort reason). */
  timedOut?: boolean;
}

// Node's and OpenSSL's names for a certificate the client refused. Anything else that is clearly
// TLS (ERR_SSL_*, ERR_TLS_*) falls into the same kind through the prefix test below.
const CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'HOSTNAME_MISMATCH',
]);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT']);
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);
const RESET_CODES = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'ECONNABORTED']);

/**
 * Turns whatever undici or the socket threw into one result line. Pure, so every kind has a test
 * without a network; the forwarder never lets a per-delivery failure escape as an exception.
 */
export function classifyForwardError(error: unknown, { url, timeoutMs, timedOut = false }: ClassifyContext): ForwardFailure {
  const code = errorCode(error);
  const target = hostAndPort(url);
  if (timedOut || (code !== undefined && TIMEOUT_CODES.has(code))) {
    const limit = timeoutMs > 0 && Number.isFinite(timeoutMs) ? ` within ${formatDuration(timeoutMs)}` : '';
    return failed('timeout', `No response from ${target}${limit} (--forward-timeout)`);
  }
  if (code === 'ECONNREFUSED') return failed('connection-refused', `Connection refused: nothing is listening at ${target}`);
  if (code !== undefined && DNS_CODES.has(code)) return failed('dns', `Host not found: ${hostnameOf(url)} (${code})`);
  if (code !== undefined && isTlsCode(code)) return failed('tls', tlsMessage(code, errorMessage(error)));
  if (code !== undefined && RESET_CODES.has(code)) {
    return failed('reset', `${target} closed the connection without answering (${code})`);
  }
  const text = errorMessage(error);
  return failed('other', code !== undefined && !text.includes(code) ? `${code}: ${text}` : text);
}

function failed(kind: ForwardFailureKind, message: string): ForwardFailure {
  return { status: 'failed', kind, message: redactSecrets(message) };
}

function isTlsCode(code: string): boolean {
  return CERT_CODES.has(code) || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'EPROTO';
}

function tlsMessage(code: string, text: string): string {
  // An http server behind an https:// URL answers the TLS hello with plain text.
  if (/wrong version number|packet length too long|http request/i.test(text) || code === 'ERR_SSL_WRONG_VERSION_NUMBER') {
    return `TLS handshake failed (${code}): the app seems to speak plain HTTP on that port; use an http:// URL`;
  }
  const selfSigned = code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN';
  const reason = selfSigned ? 'self-signed certificate' : firstLine(text);
  return `TLS error: ${reason} (${code}). For a self-signed local certificate, pass --insecure`;
}

/** undici and net put the code on the error itself; some wrappers keep it on `cause` or in an AggregateError. */
function errorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current !== undefined && current !== null && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const inner = (current as { errors?: unknown[] }).errors?.[0];
    current = inner ?? (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function errorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return firstLine(text) || (error instanceof Error ? error.name : 'forwarding failed');
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? '';
}

function hostnameOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}
