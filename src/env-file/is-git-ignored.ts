/**
 * Whether git ignores a path, so webhook-dev can warn before a secret written to .env gets
 * committed. Asks git itself (`git check-ignore`), which knows every .gitignore, the global
 * excludes file and .git/info/exclude; a tracked file counts as not ignored, which is what the
 * warning is about.
 */
import path from 'node:path';
import { execa } from 'execa';

export type GitIgnoreStatus = 'ignored' | 'not-ignored' | 'unknown';

export interface IsGitIgnoredOptions {
  /** Where git runs; by default the path's own folder, so the repository is the one holding it. */
  cwd?: string;
  gitBin?: string;
}

/** 'unknown' when there is no git, no repository, or the path lies outside it. */
export async function isGitIgnored(file: string, { cwd, gitBin = 'git' }: IsGitIgnoredOptions = {}): Promise<GitIgnoreStatus> {
  const absolute = path.resolve(cwd ?? process.cwd(), file);
  const result = await execa(gitBin, ['check-ignore', '-q', '--', absolute], {
    cwd: cwd ?? path.dirname(absolute),
    reject: false,
    stdin: 'ignore',
    windowsHide: true,
  });
  if (result.exitCode === 0) return 'ignored';
  if (result.exitCode === 1) return 'not-ignored';
  return 'unknown';
}
