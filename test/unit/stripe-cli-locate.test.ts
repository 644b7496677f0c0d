import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
/** The locate rules with the binaries faked: what is run is injected, what is on disk is real. */
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StripeCliNotFoundError, StripeCliTooOldError } from '../../src/errors.js';
import { locateStripeCli, resolveBundledStripeCli } from '../../src/stripe-cli/locate-stripe-cli.js';

const fixtures = path.resolve('test/fixtures/fake-stripe');
const nowhere = createRequire(path.join(tmpdir(), 'webhook-dev-no-modules', 'x.js'));
let dir: string;

/** Versions by path; the file must still exist and be executable. */
function versions(map: Record<string, string>) {
  return async (bin: string) => {
    const output = map[bin];
    if (output === undefined) throw new Error(`spawn ${bin} ENOENT`);
    return output;
  };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'webhook-dev-locate-'));
  await symlink(path.join(fixtures, 'stripe-new'), path.join(dir, 'stripe'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('locateStripeCli (injected versions)', () => {
  it('flag: a binary that does not run is an error, not a fallback', async () => {
    const bin = path.join(fixtures, 'stripe-new');
    await expect(locateStripeCli({ stripeBin: bin, env: {}, runVersion: versions({}) })).rejects.toThrow(StripeCliNotFoundError);
  });

  it('path: an unreadable version falls back to the bundled CLI with a note', async () => {
    const bundled = resolveBundledStripeCli(createRequire(import.meta.url), `${process.platform}-${process.arch}`);
    expect(typeof bundled).toBe('string');
    const located = await locateStripeCli({
      env: { PATH: dir },
      runVersion: versions({ [path.join(dir, 'stripe')]: 'Usage: something else', [bundled as string]: 'stripe version 1.52.0\n' }),
    });
    expect(located.info).toEqual({ path: bundled, version: '1.52.0', source: 'package' });
    expect(located.notes).toEqual([expect.stringMatching(/could not use the stripe on PATH .*"Usage: something else"/)]);
  });

  it('package: the version comes from the platform package, without running the binary', async () => {
    const ran: string[] = [];
    const located = await locateStripeCli({
      env: { PATH: '' },
      runVersion: async (bin) => {
        ran.push(bin);
        throw new Error('must not run');
      },
    });
    expect(located.info).toMatchObject({ version: '1.52.0', source: 'package' });
    expect(ran).toEqual([]);
  });

  it('package: a platform package whose binary is missing is an error with a hint', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'webhook-dev-pkg-'));
    try {
      mkdirSync(path.join(root, 'cli'), { recursive: true });
      writeFileSync(path.join(root, 'cli', 'platforms.json'), JSON.stringify({ 'linux-x64': { pkg: 'fake-platform', bin: 'stripe' } }));
      mkdirSync(path.join(root, 'fake-platform', 'bin'), { recursive: true });
      writeFileSync(path.join(root, 'fake-platform', 'package.json'), '{"version":"1.52.0"}');
      const resolver = { resolve: (id: string) => path.join(root, id.replace('@stripe/cli/', 'cli/')) };
      await expect(locateStripeCli({ env: { PATH: '' }, packageResolver: resolver, platformKey: 'linux-x64', runVersion: versions({}) })).rejects.toMatchObject({
        name: 'StripeCliNotFoundError',
        hint: expect.stringMatching(/Reinstall webhook-dev/),
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('package: not installed and an old stripe on PATH → too old, with an upgrade hint', async () => {
    await expect(
      locateStripeCli({ env: { PATH: dir }, runVersion: versions({ [path.join(dir, 'stripe')]: 'stripe version 1.10.0' }), packageResolver: nowhere }),
    ).rejects.toThrow(StripeCliTooOldError);
  });
});

describe('resolveBundledStripeCli', () => {
  it('finds the Go binary, not the node wrapper', () => {
    const bin = resolveBundledStripeCli(createRequire(import.meta.url), 'linux-x64');
    expect(bin).toEqual(expect.stringMatching(/@stripe[/\\]cli-linux-x64[/\\]bin[/\\]stripe$/));
  });

  it('says why there is none', () => {
    expect(resolveBundledStripeCli(createRequire(import.meta.url), 'plan9-mips')).toEqual({ reason: '@stripe/cli has no binary for plan9-mips.' });
    expect(resolveBundledStripeCli(nowhere, 'linux-x64')).toEqual({ reason: 'the @stripe/cli package is not installed.' });
  });
});
