import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { binPath } from '../helpers/run-cli.js';
import { createRequire } from 'node:module';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

// The help text is the CLI's contract with its users: a snapshot makes every change to it deliberate.
describe('webhook-dev help', () => {
  it.each([[['--help']], [['listen', '--help']], [['trigger', '--help']], [['init', '--help']], [['send', '--help']], [['replay', '--help']], [['events', '--help']], [['events', 'show', '--help']]])('%j matches the snapshot and exits 0', async (args) => {
    const result = await execa(process.execPath, [binPath, ...args], { reject: false, env: { NO_COLOR: '1' } });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatchSnapshot();
  });

  it('--version prints the package version', async () => {
    const result = await execa(process.execPath, [binPath, '--version']);
    expect(result.stdout).toBe(version);
  });

  it('help piped into a reader that closed its end (| head) exits 0 without a stack', async () => {
    const child = execa(process.execPath, [binPath, 'trigger', '--help'], { reject: false, stdout: 'pipe', stderr: 'pipe' });
    // Closed before the child writes (it takes far longer to start than this takes): every write meets EPIPE.
    child.stdout!.destroy();
    const result = await child;
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
  });

  it('an unknown command exits 2 and points at --help', async () => {
    const result = await execa(process.execPath, [binPath, 'lisen'], { reject: false });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/unknown command 'lisen'/);
    expect(result.stderr).toMatch(/--help/);
  });
});
