/**
 * The first minutes of a new user: no Stripe login, no API key. `webhook-dev listen` and a
 * `trigger` with no session run offline and say so, instead of failing with "no API key".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isAlive, killAllRuns, projectRoot, runCli, type CliRun } from '../helpers/run-cli.js';
import { waitFor } from '../helpers/wait-for.js';
import { join } from 'node:path';

const handler = join(projectRoot, 'test/fixtures/e2e/handler.ts');
// runCli gives every run an empty XDG_CONFIG_HOME: no `stripe login` can be found there.
const NO_CREDENTIALS = { STRIPE_API_KEY: undefined };

afterEach(() => killAllRuns());

async function finished(run: CliRun) {
  const { exitCode } = await run.exit();
  await waitFor(() => [...run.descendants].every((pid) => !isAlive(pid)), { description: 'every child to be gone' });
  return exitCode;
}

describe('with no Stripe credentials', () => {
  it('listen runs offline, and its first words say so and how to go online', async () => {
    const run = runCli(['listen', '--json', '--port', '0'], { env: NO_CREDENTIALS });
    const ready = await run.waitForRecord((r) => r.type === 'ready', 20_000, 'the ready record');
    expect(ready).toMatchObject({ offline: true });
    const notice = run.records.find((r) => r.type === 'notice');
    expect(notice?.message).toMatch(/No Stripe API key found.*offline.*stripe login.*STRIPE_API_KEY.*--online/);
    expect(run.records.indexOf(notice!)).toBeLessThan(run.records.indexOf(ready));
    run.kill('SIGINT');
    expect(await finished(run)).toBe(130);
  });

  it('trigger with no session runs offline too, and passes', async () => {
    const run = runCli(['trigger', 'customer.created', '--handler', handler, '--json'], { env: NO_CREDENTIALS });
    expect(await finished(run), run.stderr()).toBe(0);
    expect(run.records.find((r) => r.type === 'trigger')).toMatchObject({ trigger: 'customer.created', outcome: 'passed' });
    expect(run.records.some((r) => r.type === 'notice' && /No Stripe API key found/.test(r.message))).toBe(true);
  });

  it('--online insists on a real account: exit 5 with the way to log in', async () => {
    const run = runCli(['listen', '--json', '--port', '0', '--online'], { env: NO_CREDENTIALS });
    expect(await finished(run), run.stderr()).toBe(5);
    expect(run.records.find((r) => r.type === 'error')).toMatchObject({ code: 'STRIPE_AUTH_FAILED', hint: expect.stringContaining('stripe login') });
  });

  it('--offline with --online is a usage error', async () => {
    const run = runCli(['listen', '--json', '--offline', '--online'], { env: NO_CREDENTIALS });
    expect(await finished(run)).toBe(2);
  });
});
