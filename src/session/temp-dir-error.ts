import { tmpdir } from 'node:os';
import { TempDirError } from '../errors.js';

const HINT = 'Free some space there, or point TMPDIR at a writable folder (e.g. TMPDIR=$HOME/tmp webhook-dev …).';

/**
 * A TempDirError for a file-system error on a path inside the temp folder (TMPDIR missing, not a
 * folder, read-only or full); undefined for any other error. `what` names who needed the folder.
 */
export function toTempDirError(error: unknown, what: string, tmp: string = tmpdir()): TempDirError | undefined {
  const failure = error as NodeJS.ErrnoException | undefined;
  if (typeof failure?.code !== 'string' || typeof failure.path !== 'string') return undefined;
  if (failure.path !== tmp && !failure.path.startsWith(`${tmp.replace(/\/+$/, '')}/`)) return undefined;
  return new TempDirError(`${what} in the temp folder ${tmp}, which cannot be written: ${failure.message}`, { hint: HINT, cause: error });
}
