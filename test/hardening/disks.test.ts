/**
 * Disks and files that cannot be written. The tests run as root in CI containers, where chmod does
 * not stop a write; these use paths that fail for every user: a project whose `.webhook-dev` is a
 * regular file (so its sessions folder cannot be made), and a TMPDIR that is a regular file. A
 * read-only (EROFS) project and a full (ENOSPC) TMPDIR take the same paths; they were checked by
 * hand on tmpfs mounts (docs/guarantees-processes.md).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, killAllRuns, runCli } from '../helpers/run-cli.js';
import { waitFor } from '../helpers/wait-for.js';
import { cleanUpHardening, tempProject } from './app-session.js';

afterEach(async () => {
  await killAllRuns();
  cleanUpHardening();
});

describe('a project folder or temp folder that cannot be written', () => {
  it('without a session file or a journal the session runs on, with one warning for each, and trigger cannot attach', async () => {
    const project = tempProject();
    writeFileSync(join(project.dir, '.webhook-dev'), 'not a folder\n');
    const run = runCli(['listen', '--offline', '--json', '--port', '0'], { cwd: project.dir, env: { TMPDIR: project.tmp } });
    const ready = await run.waitForRecord((r) => r.type === 'ready', 25_000, 'the ready record');
    expect(ready).toMatchObject({ offline: true });
    const warnings = run.records.filter((r) => r.type === 'notice' && r.level === 'warn');
    expect(warnings).toHaveLength(2);
    expect(warnings.find((w) => /session file/.test(w.message))!.message).toMatch(/Could not write the session file \(ENOTDIR.*\.webhook-dev.*trigger` cannot attach/);
    expect(warnings.find((w) => /journal/.test(w.message))!.message).toMatch(/The journal cannot be written \(ENOTDIR.*\.webhook-dev.*--no-journal/);

    const trigger = runCli(['trigger', 'customer.created', '--attach', '--json'], { cwd: project.dir });
    expect((await trigger.exit()).exitCode).toBe(24);

    run.kill('SIGINT');
    expect((await run.exit()).exitCode).toBe(130);
    expect(readFileSync(join(project.dir, '.webhook-dev'), 'utf8')).toBe('not a folder\n');
    expect(project.tmpEntries()).toEqual([]);
  });

  it.each([
    ['listen --offline', ['listen', '--offline', '--json', '--port', '0'], /Offline mode keeps the Stripe CLI's config folder in the temp folder/],
    ['listen --offline --handler (tsx compile cache)', ['listen', '--offline', '--json', '--port', '0', '--handler', 'test/fixtures/e2e/handler.ts'], /tsx, which compiles the handler, keeps its cache in the temp folder/],
  ])('%s with an unwritable TMPDIR: exit 28 TEMP_DIR_UNWRITABLE, a hint, nothing left running', async (_name, args, message) => {
    const project = tempProject();
    const notAFolder = join(project.dir, 'tmp-is-a-file');
    writeFileSync(notAFolder, '');
    const run = runCli(args, { env: { TMPDIR: notAFolder } });
    const { exitCode } = await run.exit();
    expect(exitCode).toBe(28);
    const error = run.records.find((r) => r.type === 'error');
    expect(error).toMatchObject({ code: 'TEMP_DIR_UNWRITABLE', exitCode: 28, message: expect.stringMatching(message), hint: expect.stringContaining('TMPDIR') });
    expect(error!.message).toContain(notAFolder);
    expect(run.records.at(-1)).toMatchObject({ type: 'summary', exitCode: 28 });
    await waitFor(() => [...run.descendants].every((pid) => !isAlive(pid)), { description: 'every child to be gone' });
  });
});
