import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Paths inside the project read better relative (`src/webhooks.ts`); paths outside it stay
 * absolute so they are never ambiguous. Accepts file URLs (ESM stack frames use them) and a
 * trailing `:line:column`.
 */
export function displayPath(target: string, cwd: string): string {
  const { file, position } = splitPosition(target);
  const absolute = file.startsWith('file://') ? safeFileURLToPath(file) : file;
  if (absolute === undefined || !path.isAbsolute(absolute)) return target;
  const relative = path.relative(cwd, absolute);
  const shown = relative === '' || relative.startsWith('..') || path.isAbsolute(relative) ? absolute : relative;
  return `${shown}${position}`;
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
