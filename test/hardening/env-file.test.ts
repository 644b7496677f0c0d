/**
 * --write-env, and why it is not --env-file: Node reads --env-file wherever it appears on the
 * command line (nodejs/node#54232), ours included, before webhook-dev's code runs.
 */
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killAllRuns, runCli } from '../helpers/run-cli.js';
import { cleanUpHardening, tempProject } from './app-session.js';

afterEach(async () => {
  await killAllRuns();
  cleanUpHardening();
});

const secretIn = (text: string) => /^STRIPE_WEBHOOK_SECRET=(whsec_\w+)$/m.exec(text)?.[1];

describe('--write-env', () => {
  it('creates a missing file with mode 0600 holding the secret, with no permission warning', async () => {
    const project = tempProject();
    const run = runCli(['listen', '--offline', '--json', '--port', '0', '--write-env', '.env.local'], { cwd: project.dir, env: { TMPDIR: project.tmp } });
    const ready = await run.waitForRecord((r) => r.type === 'ready', 25_000, 'the ready record');
    const file = join(project.dir, '.env.local');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const secret = secretIn(readFileSync(file, 'utf8'));
    expect(ready.secret).toBe(`whsec_…${secret!.slice(-4)}`);
    expect(run.records.some((r) => r.type === 'notice' && /readable by/.test(r.message))).toBe(false);
    run.kill('SIGINT');
    await run.exit();
  });

  it.each([
    ['644', 'every user on this machine'],
    ['640', 'its group'],
  ])('warns when the existing file (mode %s) is readable by others, and keeps its mode', async (octal, who) => {
    const mode = Number.parseInt(octal, 8);
    const project = tempProject();
    const file = join(project.dir, '.env');
    writeFileSync(file, 'PORT=3000\n');
    chmodSync(file, mode);
    const run = runCli(['listen', '--offline', '--json', '--port', '0', '--write-env', '.env'], { cwd: project.dir, env: { TMPDIR: project.tmp } });
    await run.waitForRecord((r) => r.type === 'ready', 25_000, 'the ready record');
    const warning = run.records.find((r) => r.type === 'notice' && /readable by/.test(r.message));
    expect(warning).toMatchObject({ level: 'warn', message: expect.stringContaining(`readable by ${who} (mode ${octal}): run chmod 600 .env`) });
    expect(statSync(file).mode & 0o777).toBe(mode);
    expect(secretIn(readFileSync(file, 'utf8'))).toMatch(/^whsec_/);
    run.kill('SIGINT');
    await run.exit();
  });

  it('--env-file is refused with a pointer to --write-env when the file exists; when it does not, Node itself exits 9 before webhook-dev runs', async () => {
    const project = tempProject();
    writeFileSync(join(project.dir, '.env'), 'PORT=3000\n');
    const existing = runCli(['listen', '--offline', '--json', '--port', '0', '--env-file', '.env'], { cwd: project.dir, env: { TMPDIR: project.tmp } });
    expect((await existing.exit()).exitCode).toBe(2);
    expect(existing.records.find((r) => r.type === 'error')).toMatchObject({ code: 'USAGE', message: '--env-file is now --write-env.', hint: expect.stringContaining('nodejs/node#54232') });
    expect(readFileSync(join(project.dir, '.env'), 'utf8')).toBe('PORT=3000\n');

    // Why the option was renamed: this never reaches our code (nodejs/node#54232).
    const missing = runCli(['listen', '--offline', '--json', '--port', '0', '--env-file', '.env.missing'], { cwd: project.dir, env: { TMPDIR: project.tmp } });
    expect((await missing.exit()).exitCode).toBe(9);
    expect(missing.stderr()).toContain('.env.missing: not found');
  });
});
