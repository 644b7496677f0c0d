/**
 * locateStripeCli against real files: fake CLIs (node scripts) on a temporary PATH, and the real
 * binary bundled through @stripe/cli.
 */
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StripeCliNotFoundError, StripeCliTooOldError } from '../../src/errors.js';
import { locateStripeCli } from '../../src/stripe-cli/locate-stripe-cli.js';

const fixtures = path.resolve('test/fixtures/fake-stripe');
const BUNDLED = /@stripe[/\\]cli-[a-z0-9]+-[a-z0-9]+[/\\]bin[/\\]stripe(\.exe)?$/;
let root: string;
/** Holds only a `node` link, so the fakes' `#!/usr/bin/env node` works and no real stripe is found. */
let nodeDir: string;
let newDir: string;
let oldDir: string;
let notStripeDir: string;

async function binDir(name: string, fixture: string): Promise<string> {
  const dir = path.join(root, name);
  await mkdir(dir);
  await symlink(path.join(fixtures, fixture), path.join(dir, 'stripe'));
  return dir;
}

const pathOf = (...dirs: string[]): string => [...dirs, nodeDir].join(path.delimiter);
// Go looks up the home folder with `getent` when HOME is unset; every real environment has HOME.
const HOME = process.env.HOME ?? tmpdir();

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'webhook-dev-locate-'));
  nodeDir = path.join(root, 'node-only');
  await mkdir(nodeDir);
  await symlink(process.execPath, path.join(nodeDir, 'node'));
  newDir = await binDir('new', 'stripe-new');
  oldDir = await binDir('old', 'stripe-too-old');
  notStripeDir = await binDir('not-stripe', 'stripe-not-stripe');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('locateStripeCli order: flag > env > PATH > package', () => {
  it('nothing configured → the bundled binary, run directly', async () => {
    const { info, notes } = await locateStripeCli({ env: { HOME, PATH: pathOf() } });
    expect(info.source).toBe('package');
    expect(info.version).toBe('1.52.0');
    expect(info.path).toMatch(BUNDLED);
    expect(notes).toEqual([]);
  });

  it('the npm wrapper on PATH (node_modules/.bin/stripe) is passed over for the binary it wraps', async () => {
    const { info, notes } = await locateStripeCli({ env: { HOME, PATH: pathOf(path.resolve('node_modules/.bin')) } });
    expect(info.source).toBe('package');
    expect(info.path).toMatch(BUNDLED);
    expect(notes).toEqual([]);
  });

  it('a new enough stripe on PATH wins over the package', async () => {
    const { info } = await locateStripeCli({ env: { HOME, PATH: pathOf(newDir) } });
    expect(info).toEqual({ path: path.join(newDir, 'stripe'), version: '9.9.9', source: 'path' });
  });

  it('an old stripe on PATH is passed over, with a note', async () => {
    const { info, notes } = await locateStripeCli({ env: { HOME, PATH: pathOf(oldDir, newDir) } });
    expect(info.source).toBe('package');
    expect(notes).toEqual(['stripe on PATH is 1.0.0, older than 1.51.0; using the bundled 1.52.0']);
  });

  it('something else called stripe on PATH is passed over, with a note', async () => {
    const { info, notes } = await locateStripeCli({ env: { HOME, PATH: pathOf(notStripeDir) } });
    expect(info.source).toBe('package');
    expect(notes).toEqual([expect.stringContaining('hello from something else')]);
  });

  it('STRIPE_CLI_PATH wins over PATH', async () => {
    const bin = path.join(fixtures, 'stripe-new');
    const { info } = await locateStripeCli({ env: { HOME, PATH: pathOf(oldDir), STRIPE_CLI_PATH: bin } });
    expect(info).toEqual({ path: bin, version: '9.9.9', source: 'env' });
  });

  it('the flag wins over STRIPE_CLI_PATH (which is not even checked)', async () => {
    const bin = path.join(fixtures, 'stripe-new');
    const env = { HOME, PATH: pathOf(), STRIPE_CLI_PATH: path.join(fixtures, 'stripe-too-old') };
    const { info } = await locateStripeCli({ stripeBin: bin, env });
    expect(info).toEqual({ path: bin, version: '9.9.9', source: 'flag' });
  });

  it('the flag may be a bare command name, looked up on PATH', async () => {
    const { info } = await locateStripeCli({ stripeBin: 'stripe', env: { HOME, PATH: pathOf(newDir) } });
    expect(info).toEqual({ path: path.join(newDir, 'stripe'), version: '9.9.9', source: 'flag' });
  });

  it('the flag may name the real binary', async () => {
    const bundled = (await locateStripeCli({ env: { HOME, PATH: pathOf() } })).info.path;
    const { info } = await locateStripeCli({ stripeBin: bundled, env: { HOME, PATH: pathOf() } });
    expect(info).toEqual({ path: bundled, version: '1.52.0', source: 'flag' });
  });
});

describe('locateStripeCli errors', () => {
  it('flag: missing file', async () => {
    const error = await locateStripeCli({ stripeBin: path.join(root, 'missing', 'stripe'), env: { HOME, PATH: pathOf() } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StripeCliNotFoundError);
    expect(error).toMatchObject({ message: expect.stringContaining('--stripe-bin'), hint: expect.stringMatching(/drop --stripe-bin/) });
  });

  it('env: missing file', async () => {
    const error = await locateStripeCli({ env: { HOME, PATH: pathOf(), STRIPE_CLI_PATH: path.join(root, 'missing') } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StripeCliNotFoundError);
    expect(error).toMatchObject({ message: expect.stringContaining('STRIPE_CLI_PATH'), hint: expect.stringMatching(/unset STRIPE_CLI_PATH/) });
  });

  it('flag: too old', async () => {
    const error = await locateStripeCli({ stripeBin: path.join(fixtures, 'stripe-too-old'), env: { HOME, PATH: pathOf() } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StripeCliTooOldError);
    expect(error).toMatchObject({
      exitCode: 4,
      message: expect.stringMatching(/is 1\.0\.0; webhook-dev needs 1\.51\.0 or newer/),
      hint: expect.stringMatching(/Upgrade it .*drop --stripe-bin/),
    });
  });

  it('env: too old', async () => {
    const error = await locateStripeCli({ env: { HOME, PATH: pathOf(), STRIPE_CLI_PATH: path.join(fixtures, 'stripe-too-old') } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StripeCliTooOldError);
  });

  it('flag: not the Stripe CLI', async () => {
    const error = await locateStripeCli({ stripeBin: path.join(fixtures, 'stripe-not-stripe'), env: { HOME, PATH: pathOf() } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StripeCliNotFoundError);
    expect((error as Error).message).toMatch(/does not look like the Stripe CLI/);
  });

  it('nothing anywhere', async () => {
    const { createRequire } = await import('node:module');
    const error = await locateStripeCli({ env: { HOME, PATH: pathOf() }, packageResolver: createRequire(path.join(root, 'x.js')) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StripeCliNotFoundError);
    expect(error).toMatchObject({ exitCode: 3, hint: expect.stringMatching(/Reinstall webhook-dev.*npm install @stripe\/cli.*--stripe-bin/) });
  });
});
