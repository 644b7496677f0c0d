import type { ControlServer } from '../control/start-control-server.js';
import type { ReadyInfo } from '../types.js';
import type { Closers } from './closers.js';

/**
 * The control server, and the session file that lets `webhook-dev trigger` find it. Offline, a
 * curl config beside it carries the token for the publish examples (the emulator accepts it).
 */
export async function startSessionControl({ ready, cwd, closers, token }: { ready: ReadyInfo; cwd: string; closers: Closers; token?: string }): Promise<{ control: ControlServer; curlConfigPath?: string }> {
  const [{ startControlServer }, { toControlSessionInfo }, { findProjectRoot, writeSessionFile }, { writeCurlConfigFile }] = await Promise.all([
    import('../control/start-control-server.js'),
    import('../control/control-session-info.js'),
    import('../control/session-file.js'),
    import('../control/curl-config-file.js'),
  ]);
  const startedAt = new Date();
  const info = toControlSessionInfo(ready, { pid: process.pid, startedAt });
  const server = await startControlServer({ getSession: () => info, ...(token === undefined ? {} : { token }) });
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
  if (!ready.offline) return { control: server };
  const curl = await writeCurlConfigFile(file.path, server.token);
  closers.add(() => curl.remove());
  return { control: server, curlConfigPath: curl.path };
}
