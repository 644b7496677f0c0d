import type { ServerOptions } from 'node:http';

/** Tens of seconds: far more than any real client needs to send a webhook, far less than Node's 300 s. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * Node holds a request whose body never finishes for 300 s by default, and checks for that only
 * every 30 s. Headers get the same bound (Node requires headersTimeout <= requestTimeout), and the
 * check runs often enough for the bound to mean what it says.
 */
export function boundedRequests(requestTimeoutMs: number): ServerOptions {
  return {
    requestTimeout: requestTimeoutMs,
    headersTimeout: requestTimeoutMs,
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(requestTimeoutMs / 4))),
  };
}
