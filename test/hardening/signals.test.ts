/**
 * However a session is ended from outside (the terminal closing, an impatient second Ctrl-C, a
 * reader that went away), its app, the Stripe CLI, the session file and the offline config folder
 * go with it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, killAllRuns, listDescendants } from '../helpers/run-cli.js';
import { waitFor } from '../helpers/wait-for.js';
import { cleanUpHardening, startAppSession, tempProject, trackStray } from './app-session.js';

afterEach(async () => {
  await killAllRuns();
  cleanUpHardening();
});

describe('signals and a closed output', () => {
  it('SIGHUP (the terminal closed) stops like SIGTERM: exit 129, summary, app tree and files gone', async () => {
    const project = tempProject();
    const { run } = await startAppSession(project, { env: { CHILD_OBEYS_SIGTERM: '1' } });
    const children = listDescendants(run.pid);
    trackStray(...children);
    expect(project.sessionFiles().sort()).toEqual([`${run.pid}.curl`, `${run.pid}.json`]);
    expect(project.tmpEntries()).toHaveLength(1);

    run.kill('SIGHUP');
    const { exitCode } = await run.exit();
    expect(exitCode).toBe(129);
    expect(run.records.at(-1)).toMatchObject({ type: 'summary', reason: 'SIGHUP', exitCode: 129 });
    expect(project.sessionFiles()).toEqual([]);
    expect(project.tmpEntries()).toEqual([]);
    await waitFor(() => children.every((pid) => !isAlive(pid)), { description: 'every child to be gone' });
  });

  it('a second Ctrl-C exits at once, and still removes the session file and the config folder and stops the children', async () => {
    const project = tempProject();
    // The app's child ignores SIGTERM: the clean stop would wait out the app's grace period.
    const { run } = await startAppSession(project);
    const children = listDescendants(run.pid);
    trackStray(...children);
    run.kill('SIGINT');
    run.kill('SIGINT');
    const { exitCode } = await run.exit();
    expect(exitCode).toBe(130);
    // Removed synchronously on the way out: gone the moment the process is.
    expect(project.sessionFiles()).toEqual([]);
    expect(project.tmpEntries()).toEqual([]);
    await waitFor(() => children.every((pid) => !isAlive(pid)), { timeoutMs: 5_000, description: 'every child to be gone' });
    expect(run.stderr()).not.toMatch(/Error|at .+\(.+:\d+:\d+\)/);
  });

  it('`listen --json | head -1`: a closed stdout ends the session quietly with exit 0, everything cleaned up', async () => {
    const project = tempProject();
    const { run, port } = await startAppSession(project, { env: { CHILD_OBEYS_SIGTERM: '1' } });
    const children = listDescendants(run.pid);
    trackStray(...children);
    // What `head -1` does once it has its line: close its end of the pipe.
    run.proc.stdout!.destroy();
    // The next line webhook-dev writes meets the closed pipe: the app's `hit /poke` for this
    // request. The app may be stopped before it answers: the answer does not matter here.
    await fetch(`http://127.0.0.1:${port}/poke`).catch(() => undefined);

    const { exitCode } = await run.exit();
    expect(exitCode).toBe(0);
    expect(run.stderr()).not.toMatch(/EPIPE|Error|at .+\(.+:\d+:\d+\)/);
    expect(project.sessionFiles()).toEqual([]);
    expect(project.tmpEntries()).toEqual([]);
    await waitFor(() => children.every((pid) => !isAlive(pid)), { description: 'every child to be gone' });
  });
});
