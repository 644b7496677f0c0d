/**
 * What `npm install` of the packed package puts on a user's disk: the tarball `npm pack` makes from
 * this build, installed into an empty project, against the Stripe CLI package alone installed the
 * same way (the 31 MB binary no package of ours can avoid). Both from npm's cache when warm.
 */
import { execFile } from 'node:child_process';
import { readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { makeTempDir, removeTempDir } from './temp-dirs.js';

const run = promisify(execFile);
const NPM_FLAGS = ['--no-audit', '--no-fund', '--loglevel=error'];

/**
 * @typedef {object} InstallSizeResult
 * @property {number} packageBytes   node_modules after installing the packed webhook-dev
 * @property {number} tarballBytes   the tarball itself
 * @property {number} stripeCliBytes node_modules after installing @stripe/cli alone (baseline)
 * @property {number} packages       how many packages the install brought
 * @property {boolean} valid
 */

/** @param {{ repoDir: string, stripeCliVersion: string }} options @returns {Promise<InstallSizeResult>} */
export async function measureInstallSize({ repoDir, stripeCliVersion }) {
  const dir = await makeTempDir('webhook-dev-bench-install-');
  try {
    const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: repoDir });
    const tarball = path.join(dir, JSON.parse(stdout)[0].filename);
    const [installed, baseline] = [path.join(dir, 'with-webhook-dev'), path.join(dir, 'stripe-cli-alone')];
    await emptyProject(installed);
    await emptyProject(baseline);
    await run('npm', ['install', ...NPM_FLAGS, tarball], { cwd: installed });
    await run('npm', ['install', ...NPM_FLAGS, `@stripe/cli@${stripeCliVersion}`], { cwd: baseline });
    const modules = path.join(installed, 'node_modules');
    return {
      packageBytes: await bytesIn(modules),
      tarballBytes: (await stat(tarball)).size,
      stripeCliBytes: await bytesIn(path.join(baseline, 'node_modules')),
      packages: await countPackages(modules),
      valid: true,
    };
  } finally {
    await removeTempDir(dir);
  }
}

async function emptyProject(dir) {
  await run('mkdir', ['-p', dir]);
  await writeFile(path.join(dir, 'package.json'), '{"name":"empty","private":true}\n');
}

/** Apparent size of every file below `dir` (what `du -sb` says), links not followed. */
async function bytesIn(dir) {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath ?? entry.path, entry.name))).size;
  }
  return total;
}

async function countPackages(modules) {
  let count = 0;
  for (const entry of await readdir(modules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    count += entry.name.startsWith('@') ? (await readdir(path.join(modules, entry.name))).length : 1;
  }
  return count;
}
