/**
 * startApp with real child processes: the environment it gets, its lines, its exit status, a
 * command that does not exist, and stopping a whole process tree that ignores SIGTERM.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type AppHandle, type AppStream } from '../../src/app/start-app.js';
import { parseProcStat } from '../../src/app/process-group.js';
import { AppNotReadyError } from '../../src/errors.js';
import { waitFor } from '../helpers/wait-for.js';

const fixtures = path.resolve('test/fixtures/app-children');
const SECRET = 'whsec_appTestSecret0123456789abcdefABCD';
const started: AppHandle[] = [];
const strayPids: number[] = [];

afterEach(async () => {
  for (const app of started.splice(0)) await app.stop();
  // Only a safety net for a failed assertion: the tests themselves check that these are gone.
  for (const pid of strayPids.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** Running, as opposed to gone or a zombie (a killed orphan the init here never reaps). */
function isRunning(pid: number): boolean {
  try {
    const stat = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return stat !== undefined && stat.state !== 'Z' && stat.state !== 'X';
  } catch {
    return false;
  }
}

async function start(command: string[], env: Record<string, string> = {}, graceMs?: number) {
  const lines: Array<{ stream: AppStream; line: string }> = [];
  const app = await startApp({
    command,
    env: { PATH: process.env.PATH ?? '', ...env },
    cwd: fixtures,
    onLine: (stream, line) => lines.push({ stream, line }),
    ...(graceMs === undefined ? {} : { graceMs }),
  });
  started.push(app);
  return { app, lines };
}

describe('startApp', () => {
  it('gives the app exactly the env it was handed, masks secrets in its lines and reports its exit code', async () => {
    process.env.SHOULD_NOT_BE_INHERITED = 'leak';
    try {
      const { app, lines } = await start([process.execPath, 'print-env.mjs'], { STRIPE_WEBHOOK_SECRET: SECRET });
      expect(app.pid).toBeGreaterThan(0);
      expect(await app.exited).toEqual({ exitCode: 3 });
      expect(lines).toContainEqual({ stream: 'stdout', line: 'secret=whsec_…ABCD' });
      expect(lines).toContainEqual({ stream: 'stdout', line: 'inherited=(unset)' });
      expect(lines).toContainEqual({ stream: 'stderr', line: 'warming up' });
      // The last line had no line break; it still arrives before exited settles.
      expect(lines).toContainEqual({ stream: 'stdout', line: 'bye' });
      expect(JSON.stringify(lines)).not.toContain(SECRET);
      expect(app.recentLines()).toContain('secret=whsec_…ABCD');
    } finally {
      delete process.env.SHOULD_NOT_BE_INHERITED;
    }
  });

  it('passes the variable under another name and the exit code through', async () => {
    const { app, lines } = await start([process.execPath, 'print-env.mjs'], {
      SECRET_ENV: 'MY_HOOK_SECRET',
      MY_HOOK_SECRET: SECRET,
      EXIT_CODE: '0',
    });
    expect(await app.exited).toEqual({ exitCode: 0 });
    expect(lines.map((entry) => entry.line)).toContain('secret=whsec_…ABCD');
  });

  it('hands over every line of an app that prints far past a pipe buffer and exits at once', async () => {
    // ~190 KB on each stream, \r\n and a spinner's \r included, and a last line with no line break.
    const script = `for (let i = 0; i < 5000; i += 1) { process.stdout.write('line ' + i + '\\r\\n'); process.stderr.write('spin ' + i + '\\r'); } process.stdout.write('last');`;
    const { app, lines } = await start([process.execPath, '-e', script]);
    expect(await app.exited).toEqual({ exitCode: 0 });
    const stdout = lines.filter((entry) => entry.stream === 'stdout').map((entry) => entry.line);
    const stderr = lines.filter((entry) => entry.stream === 'stderr').map((entry) => entry.line);
    expect(stdout).toHaveLength(5001);
    expect(stdout.at(-2)).toBe('line 4999');
    expect(stdout.at(-1)).toBe('last');
    expect(stderr).toHaveLength(5000);
    expect(stderr.at(-1)).toBe('spin 4999');
  });

  it('stop() after the app exited on its own resolves at once and twice', async () => {
    const { app } = await start([process.execPath, 'print-env.mjs']);
    await app.exited;
    await app.stop();
    await app.close();
  });

  it('stop() kills the whole process group, a grandchild that ignores SIGTERM included', async () => {
    const { app, lines } = await start([process.execPath, 'stubborn-tree.mjs'], {}, 1_000);
    const pidsLine = await waitFor(() => lines.find((entry) => entry.line.startsWith('pids '))?.line, {
      description: 'the fixture to print its pids',
    });
    const pids = pidsLine.split(' ').slice(1).map(Number);
    strayPids.push(...pids);
    expect(pids[0]).toBe(app.pid);
    expect(pids.every(isRunning)).toBe(true);

    const stopping = app.stop();
    expect(app.stop()).toBe(stopping);
    await stopping;

    expect(pids.map(isRunning)).toEqual([false, false]);
    expect(await app.exited).toEqual({ signal: 'SIGTERM' });
  });

  it('stop() also takes down what the app left behind when it exited first', async () => {
    const { app, lines } = await start([process.execPath, 'stubborn-tree.mjs'], {}, 1_000);
    const pidsLine = await waitFor(() => lines.find((entry) => entry.line.startsWith('pids '))?.line);
    const [leader, grandchild] = pidsLine.split(' ').slice(1).map(Number) as [number, number];
    strayPids.push(leader, grandchild);
    process.kill(leader, 'SIGKILL');
    expect(await app.exited).toEqual({ signal: 'SIGKILL' });
    expect(isRunning(grandchild)).toBe(true);

    await app.stop();
    expect(isRunning(grandchild)).toBe(false);
  });

  it('rejects with a clear error when the command does not exist', async () => {
    const error: unknown = await startApp({ command: ['no-such-app-command-x7'], env: { PATH: process.env.PATH ?? '' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppNotReadyError);
    const appError = error as AppNotReadyError;
    expect(appError.message).toContain('"no-such-app-command-x7" was not found');
    expect(appError.hint).toContain('PATH');
    expect(appError.exitCode).toBe(25);
  });

  it('tells a one-word command with spaces to be split', async () => {
    const error = (await startApp({ command: ['npm run dev'], env: { PATH: process.env.PATH ?? '' } }).catch((e: unknown) => e)) as AppNotReadyError;
    expect(error).toBeInstanceOf(AppNotReadyError);
    expect(error.hint).toContain('-- npm run dev, not -- "npm run dev"');
  });

  it('rejects a file that is not executable', async () => {
    const error = (await startApp({ command: [path.join(fixtures, 'print-env.mjs')], env: {} }).catch((e: unknown) => e)) as AppNotReadyError;
    expect(error).toBeInstanceOf(AppNotReadyError);
    expect(error.message).toContain('is not executable');
  });
});

describe('startApp when its parent exits without stop()', () => {
  it("the parent's exit hook kills the app's whole group", async () => {
    const parent = await execa(process.execPath, ['--import', 'tsx', path.join(fixtures, 'parent-exits-without-stop.ts')], {
      reject: false,
      timeout: 20_000,
    });
    expect(parent.exitCode).toBe(0);
    const pids = /pids (\d+) (\d+)/.exec(parent.stdout)?.slice(1).map(Number) ?? [];
    strayPids.push(...pids);
    expect(pids).toHaveLength(2);
    // SIGKILL is delivered by the time kill() returns, but the kernel may take a moment to finish them.
    await waitFor(() => pids.every((pid) => !isRunning(pid)), { description: 'the orphaned app group to be gone' });
  });
});
