import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ControlSessionInfo } from '../../src/control/control-session-info.js';
import { findLiveSession, isProcessAlive, probeSession } from '../../src/control/find-live-session.js';
import type { SessionFileInfo } from '../../src/control/parse-session-file.js';
import { findProjectRoot, sessionDir, writeSessionFile } from '../../src/control/session-file.js';
import { startControlServer, type ControlServer } from '../../src/control/start-control-server.js';

let root: string;
let cleanups: Array<() => unknown> = [];
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'webhook-dev-control-'));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await rm(root, { recursive: true, force: true });
});

function fileInfo(overrides: Partial<SessionFileInfo> = {}): SessionFileInfo {
  return {
    version: 1,
    pid: process.pid,
    controlUrl: 'http://127.0.0.1:1',
    token: 'tok',
    startedAt: '2026-01-01T00:00:00.000Z',
    offline: true,
    apiBase: null,
    receiverUrl: 'http://127.0.0.1:4343/webhook',
    cwd: root,
    ...overrides,
  };
}

function answeringAs(pid: number): ControlSessionInfo {
  return {
    pid,
    startedAt: '2026-01-01T00:00:00.000Z',
    receiverUrl: 'http://127.0.0.1:4343/webhook',
    offline: true,
    apiBase: null,
    publishUrl: null,
    events: 'all-snapshot',
    eventsSource: 'all',
    handler: null,
    stripeCli: { path: '/bin/stripe', version: '1.52.0', source: 'package' },
    apiVersion: null,
  };
}

/** A real control server answering as `pid`, and the session file that points at it. */
async function liveSession(pid: number, startedAt: string): Promise<{ server: ControlServer; info: SessionFileInfo }> {
  const server = await startControlServer({ getSession: () => answeringAs(pid) });
  cleanups.push(() => server.close());
  const info = fileInfo({ pid, controlUrl: server.url, token: server.token, startedAt });
  await writeSessionFile(root, info);
  return { server, info };
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  expect(isProcessAlive(child.pid!)).toBe(false);
  return child.pid!;
}

/** A port where nothing listens any more. */
async function closedPortUrl(): Promise<string> {
  const server = await startControlServer({ getSession: () => answeringAs(1) });
  await server.close();
  return server.url;
}

async function sessionFiles(): Promise<string[]> {
  return (await readdir(sessionDir(root))).sort();
}

describe('writeSessionFile', () => {
  it('writes <pid>.json readable by the owner only, and git-ignores the folder', async () => {
    const info = fileInfo({ token: 'secret-token' });
    const handle = await writeSessionFile(root, info);
    expect(handle.path).toBe(join(root, '.webhook-dev', 'sessions', `${process.pid}.json`));
    expect((await stat(handle.path)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(handle.path, 'utf8'))).toEqual(info);
    expect(await readFile(join(root, '.webhook-dev', '.gitignore'), 'utf8')).toBe('*\n');
    // Nothing else: the temporary file was renamed into place.
    expect(await sessionFiles()).toEqual([`${process.pid}.json`]);
  });

  it('leaves an existing .gitignore alone and replaces its own file atomically', async () => {
    await mkdir(join(root, '.webhook-dev'), { recursive: true });
    await writeFile(join(root, '.webhook-dev', '.gitignore'), '# mine\n*\n');
    await writeSessionFile(root, fileInfo({ token: 'one' }));
    const handle = await writeSessionFile(root, fileInfo({ token: 'two' }));
    expect(JSON.parse(await readFile(handle.path, 'utf8'))).toMatchObject({ token: 'two' });
    expect(await readFile(join(root, '.webhook-dev', '.gitignore'), 'utf8')).toBe('# mine\n*\n');
    expect(await sessionFiles()).toEqual([`${process.pid}.json`]);
  });

  it('remove() deletes the file, and a second call is harmless', async () => {
    const handle = await writeSessionFile(root, fileInfo());
    await handle.remove();
    await handle.remove();
    expect(await sessionFiles()).toEqual([]);
  });

  it("remove() leaves a file another session has since written at the same path, and other pids' files", async () => {
    const first = await writeSessionFile(root, fileInfo({ token: 'first' }));
    const second = await writeSessionFile(root, fileInfo({ token: 'second' }));
    await writeSessionFile(root, fileInfo({ pid: process.ppid, token: 'parent' }));
    await first.remove();
    expect(await sessionFiles()).toEqual([`${process.pid}.json`, `${process.ppid}.json`].sort());
    expect(JSON.parse(await readFile(second.path, 'utf8'))).toMatchObject({ token: 'second' });
    await second.remove();
    expect(await sessionFiles()).toEqual([`${process.ppid}.json`]);
  });
});

describe('findProjectRoot', () => {
  it('finds the nearest folder with a package.json', async () => {
    await writeFile(join(root, 'package.json'), '{}');
    await mkdir(join(root, 'a', 'b'), { recursive: true });
    expect(await findProjectRoot(join(root, 'a', 'b'))).toBe(root);
    await writeFile(join(root, 'a', 'package.json'), '{}');
    expect(await findProjectRoot(join(root, 'a', 'b'))).toBe(join(root, 'a'));
  });

  it('falls back to cwd when no folder above has one', async () => {
    await mkdir(join(root, 'x'));
    expect(await findProjectRoot(join(root, 'x'))).toBe(join(root, 'x'));
  });
});

describe('findLiveSession', () => {
  it('returns undefined when there is no session folder', async () => {
    expect(await findLiveSession(root)).toBeUndefined();
  });

  it('returns the newest live session, keeping the older live one', async () => {
    const older = await liveSession(process.ppid, '2026-01-01T00:00:00.000Z');
    const newer = await liveSession(process.pid, '2026-01-01T00:00:01.000Z');
    expect(await findLiveSession(root)).toEqual(newer.info);
    expect(await sessionFiles()).toEqual([`${process.pid}.json`, `${process.ppid}.json`].sort());
    await newer.server.close();
    expect(await findLiveSession(root)).toEqual(older.info);
  });

  it('ignores and deletes a file whose process has exited, even if its URL answers', async () => {
    const live = await liveSession(process.pid, '2026-01-01T00:00:00.000Z');
    const pid = await deadPid();
    await writeSessionFile(root, fileInfo({ pid, controlUrl: live.server.url, token: live.server.token, startedAt: '2026-06-01T00:00:00.000Z' }));
    expect(await findLiveSession(root)).toEqual(live.info);
    expect(await sessionFiles()).toEqual([`${process.pid}.json`]);
  });

  it('ignores and deletes a file whose control URL does not answer, or answers as another process', async () => {
    const live = await liveSession(process.pid, '2026-01-01T00:00:00.000Z');
    await writeSessionFile(root, fileInfo({ pid: process.ppid, controlUrl: await closedPortUrl(), startedAt: '2026-06-01T00:00:00.000Z' }));
    expect(await findLiveSession(root)).toEqual(live.info);
    expect(await sessionFiles()).toEqual([`${process.pid}.json`]);

    // A live process, and a server that answers, but as process.pid: the pid was reused.
    await writeSessionFile(root, fileInfo({ pid: process.ppid, controlUrl: live.server.url, token: live.server.token, startedAt: '2026-06-01T00:00:00.000Z' }));
    expect(await findLiveSession(root)).toEqual(live.info);
    expect(await sessionFiles()).toEqual([`${process.pid}.json`]);
  });

  it('skips a file with the wrong token (401), and deletes it', async () => {
    const live = await liveSession(process.pid, '2026-01-01T00:00:00.000Z');
    await writeSessionFile(root, fileInfo({ pid: process.ppid, controlUrl: live.server.url, token: 'wrong', startedAt: '2026-06-01T00:00:00.000Z' }));
    expect(await findLiveSession(root)).toEqual(live.info);
    expect(await sessionFiles()).toEqual([`${process.pid}.json`]);
  });

  it('skips a session that does not answer in time but keeps its file', async () => {
    const sockets = new Set<Socket>();
    const silent: Server = createServer(() => {});
    silent.on('connection', (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          silent.close(() => resolve());
          for (const socket of sockets) socket.destroy();
        }),
    );
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    await writeSessionFile(root, fileInfo({ controlUrl: url }));
    const started = Date.now();
    expect(await findLiveSession(root, { probe: (info) => probeSession(info, { timeoutMs: 200 }) })).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await sessionFiles()).toEqual([`${process.pid}.json`]);
  });

  it('ignores files it cannot parse and leaves them in place', async () => {
    await mkdir(sessionDir(root), { recursive: true });
    await writeFile(join(sessionDir(root), 'junk.json'), '{not json');
    await writeFile(join(sessionDir(root), 'future.json'), JSON.stringify({ ...fileInfo(), version: 2 }));
    const live = await liveSession(process.pid, '2026-01-01T00:00:00.000Z');
    expect(await findLiveSession(root)).toEqual(live.info);
    expect(await sessionFiles()).toEqual([`${process.pid}.json`, 'future.json', 'junk.json']);
  });

  it('uses the injected checks', async () => {
    await writeSessionFile(root, fileInfo());
    const probed: number[] = [];
    const found = await findLiveSession(root, {
      isAlive: () => true,
      probe: async (info) => {
        probed.push(info.pid);
        return 'live';
      },
    });
    expect(found).toEqual(fileInfo());
    expect(probed).toEqual([process.pid]);
    expect(await findLiveSession(root, { isAlive: () => false, probe: async () => 'live' })).toBeUndefined();
    expect(await sessionFiles()).toEqual([]);
  });
});
