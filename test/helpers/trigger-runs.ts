/**
 * What the `webhook-dev trigger` end-to-end files share: throwaway projects, removed after each
 * test, and a finished run split into its trigger and event records once every child is gone.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { isAlive, killAllRuns, type CliRun } from './run-cli.js';
import { waitFor } from './wait-for.js';

const cleanups: Array<() => void> = [];

/** Call once per file: stops every run and removes every project after each test. */
export function cleanUpAfterEach(): void {
  afterEach(async () => {
    await killAllRuns();
    for (const cleanup of cleanups.splice(0)) cleanup();
  });
}

/** An empty ES-module project in the temp folder, removed after the test. */
export function tempProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'webhook-dev-project-'));
  writeFileSync(join(dir, 'package.json'), '{"name":"shop","type":"module"}\n');
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export async function finished(run: CliRun) {
  const { exitCode } = await run.exit();
  await waitFor(() => [...run.descendants].every((pid) => !isAlive(pid)), { description: 'every child to be gone' });
  return { exitCode, triggers: run.records.filter((r) => r.type === 'trigger'), events: run.records.filter((r) => r.type === 'event') };
}
