import { constants } from 'node:os';
import type { AppExit } from './start-app.js';

/**
 * The status a shell reports for a process: its exit code, or 128 + the number of the signal that
 * killed it (the platform's own numbers, from os.constants.signals).
 */
export function exitStatus({ exitCode, signal }: AppExit): number {
  if (exitCode !== undefined) return exitCode;
  return 128 + (constants.signals[signal as NodeJS.Signals] ?? 0);
}
