import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TempDirError } from '../../src/errors.js';
import { createOfflineConfigDir, removeStaleConfigDirs, STALE_AFTER_MS } from '../../src/session/offline-config-dir.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fakeTmp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'webhook-dev-test-tmp-'));
  dirs.push(dir);
  return dir;
}

/** A config folder as a session would leave it, last touched `ageMs` ago. */
function leftBehind(tmp: string, name: string, ageMs: number): void {
  mkdirSync(join(tmp, name, 'stripe'), { recursive: true });
  writeFileSync(join(tmp, name, 'stripe', 'config.toml'), '[default]\n');
  const when = new Date(Date.now() - ageMs);
  utimesSync(join(tmp, name), when, when);
}

describe('offline Stripe CLI config folders', () => {
  it('are named after the session pid, and close() deletes them (twice is fine)', async () => {
    const tmp = fakeTmp();
    const dir = await createOfflineConfigDir({ tmp, pid: 4242 });
    expect(dir.path).toMatch(/webhook-dev-stripe-4242-[A-Za-z0-9]{6}$/);
    expect(existsSync(dir.path)).toBe(true);
    await dir.close();
    await dir.close();
    expect(existsSync(dir.path)).toBe(false);
  });

  it('cannot be made in a temp folder that is not a folder: a TempDirError (exit 28) that names it', async () => {
    const tmp = join(fakeTmp(), 'a-file');
    writeFileSync(tmp, '');
    const error = await createOfflineConfigDir({ tmp }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TempDirError);
    expect(error).toMatchObject({ code: 'TEMP_DIR_UNWRITABLE', exitCode: 28, message: expect.stringContaining(tmp), hint: expect.stringContaining('TMPDIR') });
  });

  it("removes only dead sessions' folders that nothing touched for a day", async () => {
    const tmp = fakeTmp();
    const day = STALE_AFTER_MS;
    leftBehind(tmp, 'webhook-dev-stripe-111-aaaaaa', day + 60_000); // dead, old: removed
    leftBehind(tmp, 'webhook-dev-stripe-222-bbbbbb', day + 60_000); // alive: kept
    leftBehind(tmp, 'webhook-dev-stripe-333-cccccc', 60_000); // dead but recent (another PID namespace?): kept
    leftBehind(tmp, 'webhook-dev-stripe-444-dddddd', day + 60_000); // our own: kept
    leftBehind(tmp, 'webhook-dev-stripe-eeeeee', day + 60_000); // an older version's, owner unknown: kept
    leftBehind(tmp, 'something-else-111-ffffff', day + 60_000); // not ours: kept
    writeFileSync(join(tmp, 'webhook-dev-stripe-555-gggggg'), 'a file, not a folder');

    const removed = await removeStaleConfigDirs({ tmp, pid: 444, isAlive: (pid) => pid === 222 });

    expect(removed).toEqual(['webhook-dev-stripe-111-aaaaaa']);
    expect(readdirSync(tmp).sort()).toEqual([
      'something-else-111-ffffff',
      'webhook-dev-stripe-222-bbbbbb',
      'webhook-dev-stripe-333-cccccc',
      'webhook-dev-stripe-444-dddddd',
      'webhook-dev-stripe-555-gggggg',
      'webhook-dev-stripe-eeeeee',
    ]);
  });

  it('never rejects, even when the temp folder cannot be read', async () => {
    await expect(removeStaleConfigDirs({ tmp: join(fakeTmp(), 'missing') })).resolves.toEqual([]);
  });
});
