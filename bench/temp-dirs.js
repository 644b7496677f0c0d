/**
 * Temporary folders the bench makes (per-run Stripe CLI config homes), remembered so that the
 * exit path of a Ctrl-C, which skips every `finally`, still removes them.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** @type {Set<string>} */
const made = new Set();

/** @param {string} prefix e.g. 'webhook-dev-bench-config-' */
export async function makeTempDir(prefix) {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  made.add(dir);
  return dir;
}

/** @param {string} dir */
export async function removeTempDir(dir) {
  made.delete(dir);
  await rm(dir, { recursive: true, force: true });
}

/** Synchronous, for `process.on('exit')`. */
export function removeAllTempDirsSync() {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
  made.clear();
}
