/**
 * The README's quick start, run as written, from the package `npm pack` makes, in a fresh empty
 * project: install, then the three commands of the block marked `<!-- quickstart`. If the README
 * or the package drifts, this fails.
 */
import { execa, type ResultPromise } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive, projectRoot } from '../helpers/run-cli.js';
import { waitFor } from '../helpers/wait-for.js';

/** The commands of the README's quick-start block, comments dropped. */
export function quickStartCommands(readme: string): string[] {
  const marker = readme.indexOf('<!-- quickstart');
  const block = /```sh\n([\s\S]*?)```/.exec(readme.slice(marker));
  if (marker === -1 || !block) throw new Error('README.md has no <!-- quickstart --> block');
  return block[1]!
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '');
}

const work = mkdtempSync(join(tmpdir(), 'webhook-dev-readme-'));
const project = join(work, 'your-project');
// No login and no key: the quick start must work for someone with no Stripe account.
const env = { XDG_CONFIG_HOME: join(work, 'config'), STRIPE_API_KEY: undefined, STRIPE_CLI_TELEMETRY_OPTOUT: '1', NO_COLOR: '1', npm_config_yes: 'true', npm_config_fund: 'false', npm_config_audit: 'false' };
let listen: ResultPromise | undefined;

beforeAll(async () => {
  // The build already ran (npm test builds first): pack it as it is.
  const packed = await execa('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: projectRoot });
  const tarball = join(work, (JSON.parse(packed.stdout) as Array<{ filename: string }>)[0]!.filename);
  await execa('mkdir', ['-p', project]);
  await execa('npm', ['install', '--save-dev', '--no-audit', '--no-fund', tarball], { cwd: project, env, extendEnv: true });
}, 180_000);

afterAll(async () => {
  if (listen?.pid !== undefined && isAlive(listen.pid)) {
    process.kill(-listen.pid, 'SIGKILL');
  }
  rmSync(work, { recursive: true, force: true });
});

describe("the README's quick start", () => {
  it('has three commands: init, listen, trigger', () => {
    const commands = quickStartCommands(readFileSync(join(projectRoot, 'README.md'), 'utf8'));
    expect(commands.map((command) => command.split(' ').slice(0, 3).join(' '))).toEqual(['npx webhook-dev init', 'npx webhook-dev listen', 'npx webhook-dev trigger']);
  });

  it('goes from an empty project to a handled offline event', async () => {
    const [init, listenCommand, trigger] = quickStartCommands(readFileSync(join(projectRoot, 'README.md'), 'utf8'));
    const shell = (command: string) => execa('sh', ['-c', command], { cwd: project, env, extendEnv: true, reject: false });

    const initRun = await shell(init!);
    expect(initRun.exitCode, initRun.stderr).toBe(0);
    // The one liberty taken: a free port instead of 4343, which another program here may hold.
    const configFile = join(project, 'webhook-dev.config.json');
    writeFileSync(configFile, JSON.stringify({ ...JSON.parse(readFileSync(configFile, 'utf8')), port: 0 }));

    // Terminal 1, in a process group of its own so that it and its children can be stopped together.
    listen = execa('sh', ['-c', listenCommand!], { cwd: project, env, extendEnv: true, reject: false, detached: true, buffer: true, all: true });
    let output = '';
    listen.all!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await waitFor(() => output.includes('Ready'), { timeoutMs: 30_000, description: 'listen to be ready' });
    expect(output).toMatch(/offline/);

    // Terminal 2.
    const triggerRun = await shell(trigger!);
    expect(triggerRun.exitCode, `${triggerRun.stdout}\n${triggerRun.stderr}`).toBe(0);
    expect(triggerRun.stderr).toMatch(/✓ trigger payment_intent\.succeeded passed/);
    await waitFor(() => /payment_intent\.succeeded {2}evt_/.test(output) && output.includes('fulfil'), { timeoutMs: 10_000, description: 'the event in the listen terminal' });

    // Ctrl-C reaches the whole foreground group: sh, npx and webhook-dev.
    process.kill(-listen.pid!, 'SIGINT');
    await listen;
    expect(output).toMatch(/1 event: 1 ok, 0 failed, 0 rejected/);
  }, 90_000);
});
