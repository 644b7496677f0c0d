/**
 * The Stripe CLI's throwaway config folder for an offline session, named after the session's pid:
 * `<tmp>/webhook-dev-stripe-<pid>-XXXXXX`. A session deletes its own when it stops; one that was
 * killed (SIGKILL, a crash, a closed laptop lid in CI) cannot, so offline sessions also remove the
 * folders that dead sessions left behind.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive } from '../control/find-live-session.js';

const PREFIX = 'webhook-dev-stripe-';
const OWN_FOLDER = /^webhook-dev-stripe-(\d+)-[A-Za-z0-9]{6}$/;
/**
 * Only folders untouched this long go: a pid that looks dead may belong to another PID namespace
 * (a container sharing /tmp) whose session is alive.
 */
export const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

export interface ConfigDirOptions {
  tmp?: string;
  pid?: number;
}

export function createOfflineConfigDir({ tmp = tmpdir(), pid = process.pid }: ConfigDirOptions = {}): Promise<string> {
  return mkdtemp(join(tmp, `${PREFIX}${pid}-`));
}

export interface RemoveStaleOptions extends ConfigDirOptions {
  isAlive?: (pid: number) => boolean;
  now?: () => number;
}

/**
 * Removes the folders of sessions whose process is gone and which nothing touched for a day;
 * resolves with their names. Never rejects: someone else's folder (EPERM), a folder another
 * session removes at the same moment, or an unreadable tmp are all left as they are.
 */
export async function removeStaleConfigDirs({ tmp = tmpdir(), pid: ownPid = process.pid, isAlive = isProcessAlive, now = Date.now }: RemoveStaleOptions = {}): Promise<string[]> {
  const names = await readdir(tmp).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    // Older versions named their folders without a pid: whose they are is unknown, so they stay.
    const match = OWN_FOLDER.exec(name);
    if (!match) continue;
    const pid = Number(match[1]);
    if (pid === ownPid || isAlive(pid)) continue;
    const path = join(tmp, name);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isDirectory() || now() - info.mtimeMs < STALE_AFTER_MS) continue;
    await rm(path, { recursive: true, force: true }).then(
      () => removed.push(name),
      () => {},
    );
  }
  return removed;
}
