import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOnPath } from '../../src/stripe-cli/find-on-path.js';

let root: string;

async function file(relative: string, mode: number): Promise<string> {
  const full = path.join(root, relative);
  await mkdir(path.dirname(full), { recursive: true });
  await writeFile(full, '');
  await chmod(full, mode);
  return full;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'webhook-dev-path-'));
  await file('not-executable/stripe', 0o644);
  await file('executable/stripe', 0o755);
  await mkdir(path.join(root, 'directory/stripe'), { recursive: true });
  await file('windows/stripe.EXE', 0o755);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('findOnPath', () => {
  const dir = (name: string): string => path.join(root, name);

  it.each([
    [['executable'], 'executable/stripe'],
    [['not-executable', 'directory', 'executable'], 'executable/stripe'],
    [['not-executable', 'directory'], undefined],
    [[], undefined],
  ])('PATH=%j → %s', async (dirs, expected) => {
    const found = await findOnPath('stripe', { env: { PATH: ['', ...dirs.map(dir)].join(':') }, platform: 'linux' });
    expect(found).toBe(expected === undefined ? undefined : path.join(root, expected));
  });

  it('no PATH at all', async () => {
    expect(await findOnPath('stripe', { env: {}, platform: 'linux' })).toBeUndefined();
  });

  it('on Windows, tries PATHEXT', async () => {
    const found = await findOnPath('stripe', { env: { Path: dir('windows'), PATHEXT: '.COM;.EXE' }, platform: 'win32' });
    expect(found).toBe(path.join(root, 'windows/stripe.EXE'));
  });
});
