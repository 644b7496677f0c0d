/**
 * No orphan, no leftover: whatever kills webhook-dev, its Stripe CLI and the user's app (with the
 * children the app started) are gone within 5 s; and should they survive anyway (its watchdog
 * killed with it), the next session in the project stops them before it starts its own.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { readProcessIdentity } from '../../src/process/process-identity.js';
import { startWatchdog } from '../../src/process/start-watchdog.js';
import { stopLeftovers } from '../../src/process/stop-leftovers.js';
import { isAlive, killAllRuns, listDescendants } from '../helpers/run-cli.js';
import { waitFor } from '../helpers/wait-for.js';
import { cleanUpHardening, readCmdline, startAppSession, tempProject, trackStray } from './app-session.js';

afterEach(async () => {
  await killAllRuns();
  cleanUpHardening();
});

/** True once something can listen on the port again: the old app no longer holds it. */
async function portIsFree(port: number): Promise<boolean> {
  const server = createServer();
  const free = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
  if (free) await new Promise<void>((resolve) => server.close(() => resolve()));
  return free;
}

const watchdogOf = (pids: number[]) => pids.find((pid) => readCmdline(pid)?.includes('webhook-dev-watchdog'));

describe('kill -9 of webhook-dev listen --offline --forward-to … -- node app.mjs', () => {
  it('takes the Stripe CLI, the app and the child it started down within 5 s, frees the port and leaves no file behind', async () => {
    const project = tempProject();
    const { run, port, app, child } = await startAppSession(project);
    const descendants = listDescendants(run.pid);
    trackStray(...descendants);
    const stripe = descendants.find((pid) => /stripe listen/.test(readCmdline(pid) ?? ''));
    expect(stripe, 'the Stripe CLI among the descendants').toBeDefined();
    expect(descendants).toEqual(expect.arrayContaining([app, child]));

    run.kill('SIGKILL');
    await run.exit();
    const killedAt = Date.now();
    await waitFor(() => descendants.every((pid) => !isAlive(pid)), { timeoutMs: 5_000, intervalMs: 50, description: 'the Stripe CLI, the app, its child and the watchdog to be gone' });
    expect(Date.now() - killedAt).toBeLessThan(5_000);
    expect(await portIsFree(port)).toBe(true);
    // The watchdog's last act, once the children are gone: the session file and the config folder.
    await waitFor(() => project.sessionFiles().length === 0 && project.tmpEntries().length === 0, { description: 'the session file and the config folder to be deleted' });
  });

  it("when the watchdog dies too, the next session stops the dead one's app and CLI before starting its own app on the same port", async () => {
    const project = tempProject();
    const first = await startAppSession(project);
    const descendants = listDescendants(first.run.pid);
    trackStray(...descendants);
    const watchdog = watchdogOf(descendants);
    expect(watchdog, 'the watchdog among the descendants').toBeDefined();
    const stripe = descendants.find((pid) => /stripe listen/.test(readCmdline(pid) ?? ''))!;
    // As if the whole session had been killed at once, watchdog included (an OOM kill of the tree).
    process.kill(watchdog!, 'SIGKILL');
    first.run.kill('SIGKILL');
    await first.run.exit();
    await waitFor(() => !isAlive(watchdog!), { description: 'the watchdog to be gone' });
    // The app and its child are left holding the port. The Stripe CLI may be gone already: it logs
    // a keep-alive line every 2 s (--log-level debug, for the stall watch), and a write to the dead
    // session's pipe ends it.
    expect([first.app, first.child].every(isAlive)).toBe(true);
    expect(project.sessionFiles().sort()).toEqual([`${first.run.pid}.curl`, `${first.run.pid}.json`]);

    // Same port: the new app can only listen once the old one is gone.
    expect(project.tmpEntries()).toEqual([expect.stringMatching(new RegExp(`^webhook-dev-stripe-${first.run.pid}-`))]);
    const second = await startAppSession(project, { port: first.port, env: { CHILD_OBEYS_SIGTERM: '1' } });
    const notice = second.run.records.find((r) => r.type === 'notice' && /left running by a killed session/.test(r.message));
    expect(notice?.message).toContain(`pid ${first.run.pid}`);
    expect([stripe, first.app, first.child].some(isAlive)).toBe(false);
    expect(project.sessionFiles().sort()).toEqual([`${second.run.pid}.curl`, `${second.run.pid}.json`]);

    second.run.kill('SIGINT');
    expect((await second.run.exit()).exitCode).toBe(130);
    await waitFor(() => [...second.run.descendants].every((pid) => !isAlive(pid)), { timeoutMs: 8_000, description: 'every child of the second session to be gone' });
    expect(project.sessionFiles()).toEqual([]);
  });
});

describe('the watchdog and the leftover sweep, on real processes', () => {
  it('stops what it watches when the pipe closes (SIGKILL after the grace for a child that ignores SIGTERM), never what it forgot', async () => {
    const stubborn = spawn('sh', ['-c', 'trap "" TERM; sleep 60 & sleep 60; wait'], { stdio: 'ignore', detached: true });
    const plain = spawn('sleep', ['60'], { stdio: 'ignore' });
    const forgotten = spawn('sleep', ['60'], { stdio: 'ignore' });
    trackStray(stubborn.pid!, plain.pid!, forgotten.pid!);
    const stubbornExit = new Promise((resolve) => stubborn.once('exit', (_code, signal) => resolve(signal)));
    const plainExit = new Promise((resolve) => plain.once('exit', (_code, signal) => resolve(signal)));

    const watchdog = startWatchdog({ graceSeconds: 1 });
    watchdog.watch({ pid: stubborn.pid!, group: true });
    watchdog.watch({ pid: plain.pid!, group: false });
    watchdog.watch({ pid: forgotten.pid!, group: false });
    watchdog.forget({ pid: forgotten.pid!, group: false });
    expect(watchdog.children()).toEqual([
      { pid: stubborn.pid, group: true },
      { pid: plain.pid, group: false },
    ]);
    watchdog.close();
    expect(await plainExit).toBe('SIGTERM');
    expect(await stubbornExit).toBe('SIGKILL');
    expect(isAlive(forgotten.pid!)).toBe(true);
    forgotten.kill('SIGKILL');
  });

  it('signals a recorded pid only while it is the same process (same start time)', async () => {
    const survivor = spawn('sleep', ['60'], { stdio: 'ignore' });
    const victim = spawn('sleep', ['60'], { stdio: 'ignore' });
    trackStray(survivor.pid!, victim.pid!);
    const survivorStart = readProcessIdentity(survivor.pid!)!.start;
    const victimStart = readProcessIdentity(victim.pid!)!.start;
    const victimExit = new Promise((resolve) => victim.once('exit', (_code, signal) => resolve(signal)));

    // The survivor's pid with another start time: a process that merely reuses a recorded pid.
    const stopped = await stopLeftovers([
      { pid: survivor.pid!, group: false, start: String(Number(survivorStart) - 1) },
      { pid: survivor.pid!, group: true, start: String(Number(survivorStart) - 1) },
      { pid: victim.pid!, group: false, start: victimStart },
    ]);
    expect(stopped).toEqual([{ pid: victim.pid, group: false, start: victimStart }]);
    expect(await victimExit).toBe('SIGTERM');
    expect(isAlive(survivor.pid!)).toBe(true);
    survivor.kill('SIGKILL');
  });
});
