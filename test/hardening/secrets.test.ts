/**
 * The signing secret and API keys never appear in any child's argv (which every user on the
 * machine can read in /proc/<pid>/cmdline), in the session file, or in the output unless asked
 * for with --show-secret; the dotenv file that holds it is 0600.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, killAllRuns, listDescendants } from '../helpers/run-cli.js';
import { waitFor } from '../helpers/wait-for.js';
import { cleanUpHardening, readCmdline, startAppSession, tempProject, trackStray } from './app-session.js';

afterEach(async () => {
  await killAllRuns();
  cleanUpHardening();
});

const KEY_OR_SECRET = /whsec_[A-Za-z0-9]{8,}|sk_(test|live)_[A-Za-z0-9]+/;

describe('secrets never in argv, files or output', () => {
  it.each([
    ['without --show-secret', false],
    ['with --show-secret', true],
  ])('%s', async (_name, showSecret) => {
    const project = tempProject();
    const { run, ready } = await startAppSession(project, { args: ['--write-env', '.env.local', ...(showSecret ? ['--show-secret'] : [])], env: { CHILD_OBEYS_SIGTERM: '1' } });
    const envFile = join(project.dir, '.env.local');
    const secret = /^STRIPE_WEBHOOK_SECRET=(whsec_\w+)$/m.exec(readFileSync(envFile, 'utf8'))?.[1];
    expect(secret).toMatch(/^whsec_\w{16,}$/);
    expect(statSync(envFile).mode & 0o777).toBe(0o600);

    // Every process of the session: the Stripe CLI, the app, its child, the watchdog.
    const children = listDescendants(run.pid);
    trackStray(...children);
    expect(children.length).toBeGreaterThanOrEqual(4);
    for (const pid of [run.pid, ...children]) {
      const cmdline = readCmdline(pid);
      if (cmdline === undefined) continue; // exited since
      expect(cmdline, `argv of ${pid}`).not.toContain(secret);
      expect(cmdline, `argv of ${pid}`).not.toMatch(KEY_OR_SECRET);
    }

    const sessionFile = readFileSync(join(project.dir, '.webhook-dev', 'sessions', `${run.pid}.json`), 'utf8');
    expect(sessionFile).not.toContain(secret);
    expect(sessionFile).not.toMatch(KEY_OR_SECRET);

    run.kill('SIGINT');
    await run.exit();
    await waitFor(() => children.every((pid) => !isAlive(pid)), { description: 'every child to be gone' });
    const output = run.stdout() + run.stderr();
    if (showSecret) {
      // Shown where it was asked for, the ready record, and nowhere else.
      expect(ready.secret).toBe(secret);
      const lines = output.split('\n').filter((line) => line.includes(secret!));
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toMatchObject({ type: 'ready' });
    } else {
      expect(ready.secret).toBe(`whsec_…${secret!.slice(-4)}`);
      expect(output).not.toContain(secret);
      expect(output).not.toMatch(KEY_OR_SECRET);
    }
  });
});
