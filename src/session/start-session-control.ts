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
  /** Made before the emulator starts, so that it accepts the token too. */
  token?: string;
  /** The receiver's origin key, so that what `send` and `replay` deliver is journaled as theirs. */
  originKey?: string;
  /** The session's children, recorded in the session file for whoever finds it after a kill. */
  watchdog?: Pick<Watchdog, 'children' | 'onChange' | 'removeAfterDeath'>;
}

/**
 * The control server, and the session file that lets `webhook-dev trigger` find it. The file only
 * serves attaching: if it cannot be written (a read-only or full project folder), the session runs
 * on without it and says so once. Offline, a curl config beside it carries the token for the
 * publish examples (the emulator accepts it).
 */
export async function startSessionControl({ ready, cwd, closers, reporter, token, originKey, watchdog }: SessionControlOptions): Promise<{ control: ControlServer; curlConfigPath?: string }> {
  const [{ startControlServer }, { toControlSessionInfo }, { findProjectRoot, writeSessionFile }, { writeCurlConfigFile }, { createReceiverSend }] = await Promise.all([
    import('../control/start-control-server.js'),
    import('../control/control-session-info.js'),
    import('../control/session-file.js'),
    import('../control/curl-config-file.js'),
    import('./send-to-receiver.js'),
  ]);
  const startedAt = new Date();
  const info = toControlSessionInfo(ready, { pid: process.pid, startedAt });
  const server = await startControlServer({
    getSession: () => info,
    // `webhook-dev send`, attached: its payloads enter at the receiver, like the Stripe CLI's.
    send: createReceiverSend({ receiverUrl: ready.receiverUrl, secret: ready.secret, ...(originKey === undefined ? {} : { originKey }) }),
    ...(token === undefined ? {} : { token }),
  });
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
  if (file === undefined) return { control: server };
  const unsubscribe = watchdog?.onChange(() => void file.update({ children: recordChildren(watchdog) }));
  const afterDeath = watchdog?.removeAfterDeath('file', file.path);
  // Removed before the server closes, so no one finds a session that no longer answers.
  closers.add(async () => {
    unsubscribe?.();
    await file.remove();
    afterDeath?.cancel();
  });
  if (!ready.offline) return { control: server };
  const curl = await writeCurlConfigFile(file.path, server.token).catch(() => undefined);
  if (curl === undefined) return { control: server };
  const curlAfterDeath = watchdog?.removeAfterDeath('file', curl.path);
  closers.add(async () => {
    await curl.remove();
    curlAfterDeath?.cancel();
  });
  return { control: server, curlConfigPath: curl.path };
}

/** With their start times, so that a later session never signals a process that reuses a pid. */
function recordChildren(watchdog: Pick<Watchdog, 'children'>): RecordedChild[] {
  return watchdog.children().flatMap((child) => {
    const start = readProcessIdentity(child.pid)?.start;
    return start === undefined ? [] : [{ ...child, start }];
  });
}
