/**
 * The Stripe CLI's throwaway config folder for an offline session, named after the session's pid:
 * `<tmp>/webhook-dev-stripe-<pid>-XXXXXX`. A session deletes its own when it stops; one that was
 * killed (SIGKILL, a crash, a closed laptop lid in CI) cannot, so offline sessions also remove the
 * folders that dead sessions left behind.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isProcessAlive } from '../control/find-live-session.js';
import { TempDirError } from '../errors.js';
import { onProcessExit } from '../process/on-process-exit.js';
import { toTempDirError } from './temp-dir-error.js';

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

export interface OfflineConfigDir {
  path: string;
  /** Deletes the folder; safe to call twice. */
  close(): Promise<void>;
}

/**
 * The folder, or a TempDirError that names TMPDIR: without it the Stripe CLI would read and write
 * the user's own login. If the process exits before close() (a second Ctrl-C), an 'exit' hook
 * deletes it synchronously.
 */
export async function createOfflineConfigDir({ tmp = tmpdir(), pid = process.pid }: ConfigDirOptions = {}): Promise<OfflineConfigDir> {
  let path: string;
  try {
    path = await mkdtemp(join(tmp, `${PREFIX}${pid}-`));
  } catch (error) {
    throw (
      toTempDirError(error, "Offline mode keeps the Stripe CLI's config folder", tmp) ??
      new TempDirError(`Cannot create the Stripe CLI's config folder for offline mode in ${tmp}: ${(error as Error).message}`, { hint: 'Point TMPDIR at a writable folder.', cause: error })
    );
  }
  const onExit = onProcessExit(() => rmSync(path, { recursive: true, force: true }));
  let closed: Promise<void> | undefined;
  return {
    path,
    close: () =>
      (closed ??= (async () => {
        await rm(path, { recursive: true, force: true });
        // Only now: a second Ctrl-C may exit while the removal is under way.
        onExit.cancel();
      })()),
  };
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
