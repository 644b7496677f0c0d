/**
 * waitForPort against real sockets and real app children: an app that listens late, one that
 * listens on a port it picks itself, nothing listening, and an app that dies while starting.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type AppHandle } from '../../src/app/start-app.js';
import { waitForPort } from '../../src/app/wait-for-port.js';
import { AppNotReadyError } from '../../src/errors.js';
import { waitFor } from '../helpers/wait-for.js';
import { unusedPort } from '../helpers/unused-port.js';

const fixtures = path.resolve('test/fixtures/app-children');
const cleanups: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});


async function app(script: string, env: Record<string, string>): Promise<{ handle: AppHandle; lines: string[] }> {
  const lines: string[] = [];
  const handle = await startApp({
    command: [process.execPath, script],
    env: { PATH: process.env.PATH ?? '', ...env },
    cwd: fixtures,
    onLine: (_stream, line) => lines.push(line),
  });
  cleanups.push(() => handle.stop());
  return { handle, lines };
}

describe('waitForPort', () => {
  it('waits for an app that starts listening late', async () => {
    const port = await unusedPort();
    const { handle, lines } = await app('listen-port.mjs', { PORT: String(port), LISTEN_DELAY_MS: '300' });
    const ready = await waitForPort(`http://localhost:${port}/webhooks`, { exited: handle.exited, recentLines: handle.recentLines });
    expect(ready).toEqual({ host: '127.0.0.1', port });
    expect(lines).toContain(`listening on ${port}`);
  });

  it('finds an app on the port it picked itself (PORT=0)', async () => {
    const { handle, lines } = await app('listen-port.mjs', { PORT: '0' });
    const line = await waitFor(() => lines.find((entry) => entry.startsWith('listening on ')), { description: 'the port line' });
    const port = Number(line.split(' ').at(-1));
    await expect(waitForPort(`http://127.0.0.1:${port}`, { exited: handle.exited })).resolves.toEqual({ host: '127.0.0.1', port });
  });

  it('fails after the deadline when nothing listens, naming the address and showing the app output', async () => {
    const port = await unusedPort();
    const started = Date.now();
    const error = (await waitForPort(`http://localhost:${port}/hook`, {
      timeoutMs: 300,
      intervalMs: 20,
      recentLines: () => ['compiling'],
    }).catch((e: unknown) => e)) as AppNotReadyError;
    expect(error).toBeInstanceOf(AppNotReadyError);
    expect(error.message).toBe(`The app did not accept connections on localhost:${port} within 300 ms.`);
    expect(error.hint).toContain(`--forward-to (${port})`);
    expect(error.details).toEqual(['compiling']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it('fails early, with its last lines, when the app exits while starting', async () => {
    const port = await unusedPort();
    const { handle } = await app('crash-on-start.mjs', {});
    const started = Date.now();
    const error = (await waitForPort(`http://127.0.0.1:${port}`, {
      timeoutMs: 20_000,
      exited: handle.exited,
      recentLines: handle.recentLines,
    }).catch((e: unknown) => e)) as AppNotReadyError;
    expect(error).toBeInstanceOf(AppNotReadyError);
    expect(error.message).toBe(`The app exited with code 1 before it accepted connections on 127.0.0.1:${port}.`);
    expect(error.details).toEqual(['Error: DATABASE_URL is not set']);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('stops waiting when aborted', async () => {
    const port = await unusedPort();
    const controller = new AbortController();
    const waiting = waitForPort(`http://127.0.0.1:${port}`, { signal: controller.signal });
    controller.abort(new Error('interrupted'));
    await expect(waiting).rejects.toThrow('interrupted');
  });

  it('tries both loopbacks for localhost (an app on ::1 only is found too)', async () => {
    const server = http.createServer();
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    // Where the machine has no IPv6 loopback, the IPv4 one stands in and the test still runs.
    const host = await new Promise<string>((resolve) => {
      server.once('error', () => server.listen(0, '127.0.0.1', () => resolve('127.0.0.1')));
      server.listen(0, '::1', () => resolve('::1'));
    });
    const { port } = server.address() as AddressInfo;
    await expect(waitForPort(`http://localhost:${port}`)).resolves.toEqual({ host, port });
  });
});
