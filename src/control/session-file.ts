import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { access, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { onProcessExit } from '../process/on-process-exit.js';
import { parseSessionFile, type SessionFileInfo } from './parse-session-file.js';

/** Where session files live: per project, so `trigger` finds the `listen` of the project it runs in. */
export function sessionDir(projectRoot: string): string {
  return join(projectRoot, '.webhook-dev', 'sessions');
}

/** The nearest folder at or above `cwd` holding a package.json; `cwd` itself when there is none. */
export async function findProjectRoot(cwd: string): Promise<string> {
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (await exists(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return cwd;
  }
}

export interface SessionFileHandle {
  path: string;
  /**
   * Rewrites the file with what changed (the children it records), in call order; a failed write
   * keeps the previous file. Nothing after remove().
   */
  update(change: Partial<Pick<SessionFileInfo, 'children'>>): Promise<void>;
  /** Deletes the file if it is still ours (same pid and token); safe to call twice. */
  remove(): Promise<void>;
}

/**
 * Writes `<projectRoot>/.webhook-dev/sessions/<pid>.json`, atomically (a reader never sees half a
 * file) and readable by the owner only, since it holds the control token. If the process exits
 * before remove() (a second Ctrl-C exits at once), an 'exit' hook removes it synchronously.
 */
export async function writeSessionFile(projectRoot: string, info: SessionFileInfo): Promise<SessionFileHandle> {
  const dir = sessionDir(projectRoot);
  // One level at a time: a recursive mkdir reports ENOENT for a read-only folder, not EROFS.
  await mkdirIfMissing(dirname(dir));
  await mkdirIfMissing(dir);
  await ensureGitignore(join(projectRoot, '.webhook-dev'));
  const path = join(dir, `${info.pid}.json`);
  await writeAtomically(path, info);
  const onExit = onProcessExit(() => removeIfOursSync(path, info));
  let current = info;
  let writes = Promise.resolve();
  let removed: Promise<void> | undefined;
  return {
    path,
    update(change) {
      if (removed) return Promise.resolve();
      current = { ...current, ...change };
      const next = current;
      writes = writes.then(() => (removed ? undefined : writeAtomically(path, next).catch(() => {})));
      return writes;
    },
    // The exit hook stays until the file is gone: a second Ctrl-C may exit during this removal.
    remove: () =>
      (removed ??= writes.then(async () => {
        await removeIfOurs(path, info);
        onExit.cancel();
      })),
  };
}

async function writeAtomically(path: string, info: SessionFileInfo): Promise<void> {
  const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

async function mkdirIfMissing(path: string): Promise<void> {
  try {
    await mkdir(path, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/** `*` keeps the whole folder, tokens included, out of git without touching the project's own .gitignore. */
async function ensureGitignore(folder: string): Promise<void> {
  try {
    await writeFile(join(folder, '.gitignore'), '*\n', { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/**
 * The path may hold another session's file by now: a second session started in this same process
 * through the programmatic API writes the same `<pid>.json`. The token tells them apart.
 */
async function removeIfOurs(path: string, info: SessionFileInfo): Promise<void> {
  const current = await readFile(path, 'utf8').then(parseSessionFile, () => undefined);
  if (current === undefined || current.pid !== info.pid || current.token !== info.token) return;
  await rm(path, { force: true });
}

function removeIfOursSync(path: string, info: SessionFileInfo): void {
  let current: SessionFileInfo | undefined;
  try {
    current = parseSessionFile(readFileSync(path, 'utf8'));
  } catch {
    return;
  }
  if (current === undefined || current.pid !== info.pid || current.token !== info.token) return;
  rmSync(path, { force: true });
  // The offline session's curl config beside it holds the same token.
  rmSync(path.replace(/\.json$/, '.curl'), { force: true });
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
