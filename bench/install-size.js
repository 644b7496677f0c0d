/**
 * What `npm install` of the packed package puts on a user's disk: the tarball `npm pack` makes from
 * this build, installed into an empty project, against the Stripe CLI package alone installed the
 * same way (the 31 MB binary no package of ours can avoid). Both from npm's cache when warm.
 */
import { execFile } from 'node:child_process';
import { lstat, readdir, stat, writeFile } from 'node:fs/promises';
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
 * @property {string} [problem]  why it is not valid
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

/**
 * Bytes of every file below `dir`, each file once, as `du -sb` counts: esbuild's install hard-links
 * its binary into a second place, which takes no more disk.
 */
async function bytesIn(dir, seen = new Set()) {
  let total = 0;
  // A walk of our own: Node 20's recursive readdir can report the wrong parent folder.
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await bytesIn(file, seen);
    if (!entry.isFile()) continue;
    const info = await lstat(file);
    const id = `${info.dev}:${info.ino}`;
    if (seen.has(id)) continue;
    seen.add(id);
    total += info.size;
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
