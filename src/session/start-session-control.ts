import type { ControlServer } from '../control/start-control-server.js';
import type { ReadyInfo } from '../types.js';
import type { Closers } from './closers.js';

/** The control server, and the session file that lets `webhook-dev trigger` find it. */
export async function startSessionControl({ ready, cwd, closers }: { ready: ReadyInfo; cwd: string; closers: Closers }): Promise<ControlServer> {
  const [{ startControlServer }, { toControlSessionInfo }, { findProjectRoot, writeSessionFile }] = await Promise.all([
    import('../control/start-control-server.js'),
    import('../control/control-session-info.js'),
    import('../control/session-file.js'),
  ]);
  const startedAt = new Date();
  const info = toControlSessionInfo(ready, { pid: process.pid, startedAt });
  const server = await startControlServer({ getSession: () => info });
  closers.add(() => server.close());
  const file = await writeSessionFile(await findProjectRoot(cwd), {
    version: 1,
    pid: process.pid,
    controlUrl: server.url,
    token: server.token,
    startedAt: startedAt.toISOString(),
    offline: ready.offline,
    apiBase: ready.apiBase ?? null,
    receiverUrl: ready.receiverUrl,
    cwd,
  });
  // Removed before the server closes, so no one finds a session that no longer answers.
  closers.add(() => file.remove());
  return server;
}
