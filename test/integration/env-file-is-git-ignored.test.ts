/**
 * isGitIgnored against real git repositories in temporary folders.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isGitIgnored } from '../../src/env-file/is-git-ignored.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'webhook-dev-gitignore-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A repository whose git sees no global or system excludes, so only what the test writes counts. */
async function gitRepo(): Promise<string> {
  const repo = path.join(dir, 'repo');
  await mkdir(repo);
  await execa('git', ['init', '-q'], { cwd: repo });
  await execa('git', ['config', 'core.excludesFile', path.join(dir, 'no-global-excludes')], { cwd: repo });
  return repo;
}

describe('isGitIgnored', () => {
  it("is 'ignored' for a file a .gitignore lists", async () => {
    const repo = await gitRepo();
    await writeFile(path.join(repo, '.gitignore'), 'node_modules\n.env*\n');
    await writeFile(path.join(repo, '.env'), 'A=1\n');
    expect(await isGitIgnored(path.join(repo, '.env'))).toBe('ignored');
    // A relative path is taken from cwd; a file that does not exist yet can be asked about too.
    expect(await isGitIgnored('.env.local', { cwd: repo })).toBe('ignored');
  });

  it("is 'not-ignored' without a matching entry, also for a file in a subfolder", async () => {
    const repo = await gitRepo();
    await writeFile(path.join(repo, '.gitignore'), 'node_modules\n');
    await mkdir(path.join(repo, 'app'));
    await writeFile(path.join(repo, 'app', '.env'), 'A=1\n');
    expect(await isGitIgnored(path.join(repo, 'app', '.env'))).toBe('not-ignored');
    expect(await isGitIgnored(path.join(repo, '.env'))).toBe('not-ignored');
  });

  it("is 'not-ignored' for a committed .env even when a pattern matches it", async () => {
    const repo = await gitRepo();
    await writeFile(path.join(repo, '.env'), 'A=1\n');
    await execa('git', ['add', '.env'], { cwd: repo });
    await writeFile(path.join(repo, '.gitignore'), '.env\n');
    expect(await isGitIgnored(path.join(repo, '.env'))).toBe('not-ignored');
  });

  it("is 'unknown' outside a repository and without git", async () => {
    await writeFile(path.join(dir, '.env'), 'A=1\n');
    // Even if the temporary folder lies inside some repository, git must not look above it.
    const previous = process.env.GIT_CEILING_DIRECTORIES;
    process.env.GIT_CEILING_DIRECTORIES = path.dirname(dir);
    try {
      expect(await isGitIgnored(path.join(dir, '.env'), { cwd: dir })).toBe('unknown');
    } finally {
      if (previous === undefined) delete process.env.GIT_CEILING_DIRECTORIES;
      else process.env.GIT_CEILING_DIRECTORIES = previous;
    }
    expect(await isGitIgnored(path.join(dir, '.env'), { gitBin: path.join(dir, 'no-git-here') })).toBe('unknown');
  });
});
