/**
 * What a killed session left: its session file, and the children it recorded there (the Stripe
 * CLI, the app's process group) should its watchdog have died with it. A new session sweeps them
 * before it starts its own, so that the old app no longer holds the port the new one needs.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { readProcessIdentity, type ProcessIdentity } from '../process/process-identity.js';
import { stopLeftovers, type RecordedChild, type StopLeftoversOptions } from '../process/stop-leftovers.js';
import { isProcessAlive } from './find-live-session.js';
import { parseSessionFile, type SessionFileInfo } from './parse-session-file.js';
import { sessionDir } from './session-file.js';

export interface SweepOptions extends StopLeftoversOptions {
  ownPid?: number;
  isAlive?: (pid: number) => boolean;
}

export interface SweptSession {
  pid: number;
  stopped: RecordedChild[];
}

/**
 * Dead: no process has the session's pid, or the one that has it is a zombie or started at another
 * time than the session recorded (the pid was reused). A session that recorded no start time is
 * judged by its pid alone, as before.
 */
export function isSessionDead(info: SessionFileInfo, { isAlive = isProcessAlive, identify = readProcessIdentity }: { isAlive?: (pid: number) => boolean; identify?: (pid: number) => ProcessIdentity | undefined } = {}): boolean {
  if (!isAlive(info.pid)) return true;
  const now = identify(info.pid);
  if (now?.zombie) return true;
  return info.processStart !== undefined && now !== undefined && now.start !== info.processStart;
}

/** Stops the dead session's recorded children, then deletes its file. Never rejects. */
export async function retireDeadSession(path: string, info: SessionFileInfo, options: StopLeftoversOptions = {}): Promise<RecordedChild[]> {
  const stopped = await stopLeftovers(info.children ?? [], options).catch(() => []);
  await removeSessionFiles(path);
  return stopped;
}

/** Every dead session of the project, retired; live ones (and files of other versions) are left alone. */
export async function sweepDeadSessions(projectRoot: string, { ownPid = process.pid, isAlive = isProcessAlive, identify = readProcessIdentity, ...options }: SweepOptions = {}): Promise<SweptSession[]> {
  const dir = sessionDir(projectRoot);
  const names = await readdir(dir).catch(() => [] as string[]);
  const swept = await Promise.all(
    names
      .filter((name) => name.endsWith('.json'))
      .map(async (name) => {
        const path = join(dir, name);
        const info = await readFile(path, 'utf8').then(parseSessionFile, () => undefined);
        if (info === undefined || info.pid === ownPid || !isSessionDead(info, { isAlive, identify })) return undefined;
        return { pid: info.pid, stopped: await retireDeadSession(path, info, { ...options, identify }) };
      }),
  );
  return swept.filter((session): session is SweptSession => session !== undefined);
}

/** `<pid>.json` and the `<pid>.curl` an offline session writes beside it (it holds the same token). */
export async function removeSessionFiles(path: string): Promise<void> {
  await Promise.all([path, path.replace(/\.json$/, '.curl')].map((file) => rm(file, { force: true }).catch(() => {})));
}
