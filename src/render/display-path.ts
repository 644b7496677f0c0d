import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * How a path is shown, in messages and in records alike (a handler error's `location` is stored
 * with it): a path inside `cwd` relative to it (`src/webhooks.ts`, short and clickable in most
 * terminals), with `/` on every platform so records read the same everywhere; a path outside
 * `cwd`, or `cwd` itself, absolute, so it is never ambiguous. Accepts file URLs (ESM stack frames
 * use them) and keeps a trailing `:line` or `:line:column`. Anything else (a path already
 * relative, a bare command name) is returned as it is.
 */
export function displayPath(target: string, cwd: string): string {
  const { file, position } = splitPosition(target);
  const absolute = file.startsWith('file://') ? safeFileURLToPath(file) : file;
  if (absolute === undefined || !path.isAbsolute(absolute)) return target;
  const relative = path.relative(cwd, absolute);
  const outside = relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
  return `${outside ? absolute : relative.split(path.sep).join('/')}${position}`;
}

function splitPosition(target: string): { file: string; position: string } {
  const match = /^(.*?)((?::\d+){1,2})$/.exec(target);
  return match === null ? { file: target, position: '' } : { file: match[1] ?? target, position: match[2] ?? '' };
}

function safeFileURLToPath(url: string): string | undefined {
  try {
    return fileURLToPath(url);
  } catch {
    return undefined;
  }
}
