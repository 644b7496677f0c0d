/**
 * A second door into the emulator: a Unix socket in a folder only this user can enter. A Stripe CLI
 * started with `STRIPE_CLI_UNIX_SOCKET=<path>` sends every API request through it (its HTTP
 * client then dials the socket for http and https alike and speaks plain HTTP over it), including
 * the ones its fixtures address to https://meter-events.stripe.com, outside `--api-base`. Those
 * arrive here with `Host: meter-events.stripe.com` and no TLS: no certificate to make or trust.
 *
 * Not on Windows: Node serves named pipes there, not the AF_UNIX sockets Go dials.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { boundedRequests, DEFAULT_REQUEST_TIMEOUT_MS } from '../server/bounded-requests.js';

export interface LocalSocket {
  path: string;
  close(): Promise<void>;
}

export interface LocalSocketOptions {
  /**
   * A folder only this user can enter (mkdtemp makes them 0700), e.g. the session's Stripe CLI
   * config folder, which the watchdog removes should the session be killed. Default: a folder of
   * its own, `<tmp>/webhook-dev-stripe-<pid>-XXXXXX` (swept like the sessions' ones), removed on close.
   */
  dir?: string;
  platform?: NodeJS.Platform;
}

/** Listens on `<dir>/api.sock`; resolves undefined where that cannot work. */
export async function startLocalSocket(handle: (request: IncomingMessage, response: ServerResponse) => void, { dir: given, platform = process.platform }: LocalSocketOptions = {}): Promise<LocalSocket | undefined> {
  if (platform === 'win32') return undefined;
  const dir = given ?? (await mkdtemp(join(tmpdir(), `webhook-dev-stripe-${process.pid}-`)).catch(() => undefined));
  if (dir === undefined) return undefined;
  const path = join(dir, 'api.sock');
  // What close() removes: the folder it made, or only the socket in a folder it was given.
  const remove = given === undefined ? dir : path;
  const server = createServer(boundedRequests(DEFAULT_REQUEST_TIMEOUT_MS), handle as RequestListener);
  server.on('clientError', (_error, socket) => socket.destroy());
  const listening = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(path, () => resolve(true));
  });
  if (!listening) {
    await rm(remove, { recursive: true, force: true });
    return undefined;
  }
  let closing: Promise<void> | undefined;
  return {
    path,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => rm(remove, { recursive: true, force: true }));
      return closing;
    },
  };
}

/** The request's Host without a port, lower-cased: `meter-events.stripe.com`. */
export function hostName(request: IncomingMessage): string {
  return (request.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
}
