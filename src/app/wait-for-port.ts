/**
 * Waits until the app accepts TCP connections on the forward-to address, so that no event is
 * forwarded to an app that is still compiling (and so lost to a "connection refused").
 */
import net from 'node:net';
import { AppNotReadyError, UsageError } from '../errors.js';
import { formatDuration } from '../render/format-duration.js';

export interface WaitForPortOptions {
  timeoutMs?: number;
  /** Pause between rounds of connection attempts. */
  intervalMs?: number;
  /** Aborting stops waiting and rejects with signal.reason (Ctrl-C while the app starts). */
  signal?: AbortSignal;
  /** The app's exit (AppHandle.exited): if it settles first, the app died while starting. */
  exited?: Promise<unknown>;
  /** The app's last output lines, shown under a failure. */
  recentLines?: () => string[];
}

export interface PortTarget {
  /** host:port as the user wrote it, for messages. */
  label: string;
  /** The addresses to try; `localhost` may be either family, so both loopbacks are tried. */
  hosts: string[];
  port: number;
}

/** How long one connection attempt may hang (a firewall that drops packets) before it counts as failed. */
const ATTEMPT_TIMEOUT_MS = 1_000;

/** Where a forward-to URL's connections go. Pure. */
export function portTarget(url: string): PortTarget {
  const parsed = URL.canParse(url) ? new URL(url) : undefined;
  // `localhost:3000` parses, as a URL with the scheme "localhost:".
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new UsageError(`"${url}" is not an http:// or https:// URL.`, {
      hint: "Give the app's full address, e.g. --forward-to http://localhost:3000/webhooks",
    });
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const port = parsed.port === '' ? (parsed.protocol === 'https:' ? 443 : 80) : Number(parsed.port);
  const label = `${parsed.hostname}:${port}`;
  if (host === 'localhost') return { label, hosts: ['127.0.0.1', '::1'], port };
  // A wildcard is where the app listens, not an address to connect to; loopback reaches it.
  if (host === '0.0.0.0') return { label, hosts: ['127.0.0.1'], port };
  if (host === '::') return { label, hosts: ['::1', '127.0.0.1'], port };
  return { label, hosts: [host], port };
}

/** Resolves with the address that accepted a connection; rejects with AppNotReadyError. */
export function waitForPort(
  url: string,
  { timeoutMs = 30_000, intervalMs = 100, signal, exited, recentLines = () => [] }: WaitForPortOptions = {},
): Promise<{ host: string; port: number }> {
  let target: PortTarget;
  try {
    target = portTarget(url);
  } catch (error) {
    return Promise.reject(error);
  }
  if (signal?.aborted) return Promise.reject(signal.reason);
  const { label, hosts, port } = target;

  return new Promise((resolve, reject) => {
    let done = false;
    const sockets = new Set<net.Socket>();
    let retryTimer: NodeJS.Timeout | undefined;
    const deadlineTimer = setTimeout(() => {
      finish(() =>
        reject(
          new AppNotReadyError(`The app did not accept connections on ${label} within ${formatDuration(timeoutMs)}.`, {
            hint: `Check that the port in --forward-to (${port}) is the one your app listens on, and that it starts within the deadline. Its last lines are below.`,
            details: recentLines(),
          }),
        ),
      );
    }, timeoutMs);
    const onAbort = (): void => finish(() => reject(signal?.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    const onExit = (exit: unknown): void =>
      finish(() =>
        reject(
          new AppNotReadyError(`The app ${describeExit(exit)} before it accepted connections on ${label}.`, {
            hint: 'Its last lines are below.',
            details: recentLines(),
          }),
        ),
      );
    exited?.then(onExit, () => onExit(undefined));

    function finish(settle: () => void): void {
      if (done) return;
      done = true;
      clearTimeout(deadlineTimer);
      clearTimeout(retryTimer);
      signal?.removeEventListener('abort', onAbort);
      for (const socket of sockets) socket.destroy();
      settle();
    }

    function attemptRound(): void {
      let failed = 0;
      for (const host of hosts) {
        const socket = net.connect({ host, port });
        sockets.add(socket);
        socket.setTimeout(ATTEMPT_TIMEOUT_MS);
        socket.once('connect', () => finish(() => resolve({ host, port })));
        let counted = false;
        const fail = (): void => {
          if (counted) return;
          counted = true;
          socket.destroy();
          sockets.delete(socket);
          failed += 1;
          if (failed === hosts.length && !done) retryTimer = setTimeout(attemptRound, intervalMs);
        };
        socket.once('error', fail);
        socket.once('timeout', fail);
      }
    }
    attemptRound();
  });
}

function describeExit(exit: unknown): string {
  const { exitCode, signal } = (exit ?? {}) as { exitCode?: unknown; signal?: unknown };
  if (typeof signal === 'string') return `was killed by ${signal}`;
  if (typeof exitCode === 'number') return `exited with code ${exitCode}`;
  return 'exited';
}
