import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ControlConnectionError } from './control-connection-error.js';
import { getSessionInfo } from './get-session-info.js';
import { parseSessionFile, type SessionFileInfo } from './parse-session-file.js';
import { findProjectRoot, sessionDir } from './session-file.js';

/** `live`; `gone`: nothing (or something else) answers, the file is stale; `busy`: no answer in time. */
export type ProbeResult = 'live' | 'gone' | 'busy';

export interface FindLiveSessionOptions {
  isAlive?: (pid: number) => boolean;
  probe?: (info: SessionFileInfo) => Promise<ProbeResult>;
}

/** The newest live `webhook-dev listen` of the project `cwd` belongs to (`trigger`, `send`, `replay`); stale files are skipped. */
export async function findRunningSession(cwd: string): Promise<SessionFileInfo | undefined> {
  return findLiveSession(await findProjectRoot(cwd));
}

/**
 * The newest running session of this project, or undefined. A file is only trusted when its
 * process exists AND its control server answers as that process: a pid alone may have been reused
 * by an unrelated program after a crash. Stale files are deleted (best effort) so they do not pile
 * up; a session that is merely slow to answer is skipped but keeps its file.
 */
export async function findLiveSession(projectRoot: string, { isAlive = isProcessAlive, probe = probeSession }: FindLiveSessionOptions = {}): Promise<SessionFileInfo | undefined> {
  const dir = sessionDir(projectRoot);
  const names = await readdir(dir).catch(() => [] as string[]);
  const candidates = await Promise.all(
    names.filter((name) => name.endsWith('.json')).map((name) => checkSessionFile(join(dir, name), isAlive, probe)),
  );
  return candidates
    .filter((info): info is SessionFileInfo => info !== undefined)
    .sort((a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt))[0];
}

async function checkSessionFile(path: string, isAlive: (pid: number) => boolean, probe: (info: SessionFileInfo) => Promise<ProbeResult>): Promise<SessionFileInfo | undefined> {
  const info = await readFile(path, 'utf8').then(parseSessionFile, () => undefined);
  // Not a session file we understand (another version, hand-edited): not ours to delete.
  if (info === undefined) return undefined;
  const verdict = isAlive(info.pid) ? await probe(info) : 'gone';
  if (verdict === 'live') return info;
  if (verdict === 'gone') {
    // A killed session's children go with its file, once its pid is surely not the session any more.
    const { isSessionDead, retireDeadSession, removeSessionFiles } = await import('./sweep-dead-sessions.js');
    if (isSessionDead(info, { isAlive })) await retireDeadSession(path, info);
    else await removeSessionFiles(path);
  }
  return undefined;
}

/** Signal 0 checks for existence without signalling; EPERM means it exists but is another user's. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Asks the control server who it is: a live session answers /session with the file's pid. */
export async function probeSession(info: SessionFileInfo, { timeoutMs = 1_000, fetch = globalThis.fetch }: { timeoutMs?: number; fetch?: typeof globalThis.fetch } = {}): Promise<ProbeResult> {
  try {
    const session = await getSessionInfo({ controlUrl: info.controlUrl, token: info.token, timeoutMs, fetch });
    return session.pid === info.pid ? 'live' : 'gone';
  } catch (error) {
    return error instanceof ControlConnectionError && error.reason === 'timeout' ? 'busy' : 'gone';
  }
}
