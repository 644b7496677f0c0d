/**
 * `which` for one command name, against a given environment (not necessarily process.env).
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';

export interface FindOnPathOptions {
  env?: Readonly<Record<string, string | undefined>>;
  platform?: NodeJS.Platform;
}

/** The first executable file called `name` in env.PATH, or undefined. */
export async function findOnPath(name: string, { env = process.env, platform = process.platform }: FindOnPathOptions = {}): Promise<string | undefined> {
  const isWindows = platform === 'win32';
  const pathValue = env.PATH ?? (isWindows ? env.Path : undefined) ?? '';
  const extensions = isWindows ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';')] : [''];
  for (const dir of pathValue.split(isWindows ? ';' : ':')) {
    if (dir === '') continue;
    for (const extension of extensions) {
      const candidate = path.join(dir, name + extension);
      if (await isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

export async function isExecutableFile(file: string): Promise<boolean> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return false;
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
