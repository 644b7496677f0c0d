/**
 * Writes the webhook secret into the user's dotenv file (--write-env): creates the file if it is
 * missing, updates it in place otherwise, and refuses to touch anything that is not a dotenv file.
 */
import { randomBytes } from 'node:crypto';
import { chmod, chown, readFile, realpath, rename, stat, unlink, writeFile } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import path from 'node:path';
import { EnvFileError } from '../errors.js';
import { displayPath } from '../render/display-path.js';
import { explainNotDotenv } from './looks-like-dotenv.js';
import { setEnvVar, type SetEnvVarAction } from './set-env-var.js';

export interface UpdateEnvFileOptions {
  /** Relative paths are taken from here; also the base for paths in messages. */
  cwd?: string;
}

export interface UpdateEnvFileResult {
  action: SetEnvVarAction;
  created: boolean;
  /** The absolute path written (or left unchanged). */
  path: string;
}

/** Beyond this a file is not a hand-written dotenv file, and reading it whole would be unwise. */
const MAX_BYTES = 1024 * 1024;
const NOT_CHANGED_HINT = 'Point --write-env at your dotenv file (lines of NAME=value), or leave the option out.';

export async function updateEnvFile(
  file: string,
  name: string,
  value: string,
  { cwd = process.cwd() }: UpdateEnvFileOptions = {},
): Promise<UpdateEnvFileResult> {
  const absolute = path.resolve(cwd, file);
  const shown = displayPath(absolute, cwd);
  const stats = await stat(absolute).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new EnvFileError(`Cannot read ${shown}: ${error.message}`, { hint: NOT_CHANGED_HINT, cause: error });
  });
  if (stats === undefined) {
    const created = await createEnvFile(absolute, displayPath(path.dirname(absolute), cwd), shown, setEnvVar('', name, value).text);
    if (created) return { action: 'added', created: true, path: absolute };
    // Someone created it in the meantime: update what is there now.
    return updateEnvFile(file, name, value, { cwd });
  }
  if (!stats.isFile()) {
    throw new EnvFileError(`${shown} is not a file; it was not changed.`, { hint: NOT_CHANGED_HINT });
  }
  const text = await readDotenv(absolute, shown, stats);
  const result = setEnvVar(text, name, value);
  if (result.action !== 'unchanged') await replaceAtomically(absolute, shown, result.text, stats);
  return { action: result.action, created: false, path: absolute };
}

/** Creates the file with owner-only permissions (it holds a secret); false if it appeared meanwhile. */
async function createEnvFile(absolute: string, shownFolder: string, shown: string, text: string): Promise<boolean> {
  try {
    await writeFile(absolute, text, { mode: 0o600, flag: 'wx' });
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code === 'ENOENT') {
      throw new EnvFileError(`Cannot create ${shown}: the folder ${shownFolder} does not exist.`, {
        hint: 'webhook-dev creates the file but no folders. Create the folder, or point --write-env at a file in an existing one.',
      });
    }
    throw new EnvFileError(`Cannot create ${shown}: ${(error as Error).message}`, { cause: error });
  }
}

async function readDotenv(absolute: string, shown: string, stats: Stats): Promise<string> {
  const notDotenv = (reason: string): EnvFileError =>
    new EnvFileError(`${shown} does not look like a dotenv file (${reason}); it was not changed.`, { hint: NOT_CHANGED_HINT });
  if (stats.size > MAX_BYTES) throw notDotenv(`it is larger than ${MAX_BYTES / 1024 / 1024} MB`);
  const bytes = await readFile(absolute);
  let text: string;
  try {
    // ignoreBOM keeps a byte-order mark in the text, so that it is written back as it was.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw notDotenv('it is not UTF-8 text');
  }
  const reason = explainNotDotenv(text);
  if (reason !== undefined) throw notDotenv(reason);
  return text;
}

/**
 * Writes a temporary file next to the real one and renames it over, so that a crash or a full
 * disk never leaves a half-written .env. The real path is resolved first so a symlinked .env stays
 * a symlink, and the original mode (and owner, where allowed) is kept.
 */
async function replaceAtomically(absolute: string, shown: string, text: string, stats: Stats): Promise<void> {
  const target = await realpath(absolute);
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const mode = stats.mode & 0o7777;
  try {
    await writeFile(temporary, text, { mode, flag: 'wx' });
    // The umask may have taken bits off at creation.
    await chmod(temporary, mode);
    await chown(temporary, stats.uid, stats.gid).catch(() => undefined);
    await rename(temporary, target);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw new EnvFileError(`Cannot write ${shown}: ${(error as Error).message}`, { cause: error });
  }
}
