import type { ControlServer } from '../control/start-control-server.js';
import { readProcessIdentity } from '../process/process-identity.js';
import type { Watchdog } from '../process/start-watchdog.js';
import type { RecordedChild } from '../process/stop-leftovers.js';
import type { Reporter } from '../render/reporter.js';
import type { ReadyInfo } from '../types.js';
import type { Closers } from './closers.js';

export interface SessionControlOptions {
  ready: ReadyInfo;
  cwd: string;
  closers: Closers;
  reporter: Reporter;
  /** The session's children, recorded in the session file for whoever finds it after a kill. */
  watchdog?: Pick<Watchdog, 'children' | 'onChange' | 'removeAfterDeath'>;
}

/**
 * The control server, and the session file that lets `webhook-dev trigger` find it. The file only
 * serves attaching: if it cannot be written (a read-only or full project folder), the session runs
 * on without it and says so once.
 */
export async function startSessionControl({ ready, cwd, closers, reporter, watchdog }: SessionControlOptions): Promise<ControlServer> {
  const [{ startControlServer }, { toControlSessionInfo }, { findProjectRoot, writeSessionFile }] = await Promise.all([
    import('../control/start-control-server.js'),
    import('../control/control-session-info.js'),
    import('../control/session-file.js'),
  ]);
  const startedAt = new Date();
  const info = toControlSessionInfo(ready, { pid: process.pid, startedAt });
  const server = await startControlServer({ getSession: () => info });
  closers.add(() => server.close());
  const processStart = readProcessIdentity(process.pid)?.start;
  const projectRoot = await findProjectRoot(cwd);
  const file = await writeSessionFile(projectRoot, {
    version: 1,
    pid: process.pid,
    controlUrl: server.url,
    token: server.token,
    startedAt: startedAt.toISOString(),
    offline: ready.offline,
    apiBase: ready.apiBase ?? null,
    receiverUrl: ready.receiverUrl,
    cwd,
    ...(processStart ? { processStart } : {}),
    ...(watchdog ? { children: recordChildren(watchdog) } : {}),
  }).catch((error: NodeJS.ErrnoException) => {
    reporter.notice(
      `Could not write the session file (${error.message}); this session runs on, but \`webhook-dev trigger\` cannot attach to it.`,
      'warn',
    );
    return undefined;
  });
  if (file === undefined) return server;
  const unsubscribe = watchdog?.onChange(() => void file.update({ children: recordChildren(watchdog) }));
  const afterDeath = watchdog?.removeAfterDeath('file', file.path);
  // Removed before the server closes, so no one finds a session that no longer answers.
  closers.add(async () => {
    unsubscribe?.();
    await file.remove();
    afterDeath?.cancel();
  });
  return server;
}

/** With their start times, so that a later session never signals a process that reuses a pid. */
function recordChildren(watchdog: Pick<Watchdog, 'children'>): RecordedChild[] {
  return watchdog.children().flatMap((child) => {
    const start = readProcessIdentity(child.pid)?.start;
    return start === undefined ? [] : [{ ...child, start }];
  });
}
