/**
 * Finds the Stripe CLI binary to run and checks it is new enough. Order: --stripe-bin flag,
 * STRIPE_CLI_PATH, `stripe` on PATH (when new enough), then the binary bundled through @stripe/cli.
 */
import { readFileSync, statSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { StripeCliNotFoundError, StripeCliTooOldError } from '../errors.js';
import type { StripeCliInfo, StripeCliSource } from '../types.js';
import { findOnPath, isExecutableFile } from './find-on-path.js';
import { buildStripeCliEnv } from './stripe-cli-env.js';
import { MIN_STRIPE_CLI_VERSION, isSupportedStripeVersion, parseStripeVersion } from './stripe-cli-version.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface LocateStripeCliOptions {
  /** The --stripe-bin flag: a path, or a bare command name looked up on PATH. */
  stripeBin?: string;
  env?: Env;
  /** Runs `<bin> --version` and resolves with what it printed; rejects if it could not run. */
  runVersion?: (bin: string) => Promise<string>;
  /** Resolves @stripe/cli and its platform package; tests point it elsewhere. */
  packageResolver?: { resolve(id: string): string };
  platformKey?: string;
}

export interface LocatedStripeCli {
  info: StripeCliInfo;
  /** Things worth telling the user, e.g. why the `stripe` on PATH was passed over. */
  notes: string[];
}

const UPGRADE_URL = 'https://docs.stripe.com/stripe-cli/upgrade';
const VERSION_TIMEOUT_MS = 10_000;

/**
 * `--version` rather than the `version` command: the command also checks GitHub for a newer
 * release, which can block for a minute on a network that drops packets; the flag prints only.
 */
export async function runStripeVersion(bin: string, env: Env = process.env): Promise<string> {
  // Imported here: the bundled binary needs no version run, and execa costs ~80 ms to load.
  const { execa } = await import('execa');
  const result = await execa(bin, ['--version'], {
    env: buildStripeCliEnv({ baseEnv: env }),
    extendEnv: false,
    stdin: 'ignore',
    timeout: VERSION_TIMEOUT_MS,
    all: true,
  });
  return result.all;
}

export async function locateStripeCli({
  stripeBin,
  env = process.env,
  runVersion = (bin: string) => runStripeVersion(bin, env),
  packageResolver = createRequire(import.meta.url),
  platformKey = `${process.platform}-${process.arch}`,
}: LocateStripeCliOptions = {}): Promise<LocatedStripeCli> {
  if (stripeBin !== undefined && stripeBin !== '') {
    const bin = stripeBin.includes('/') || stripeBin.includes('\\') ? path.resolve(stripeBin) : ((await findOnPath(stripeBin, { env })) ?? stripeBin);
    return { info: await checkExplicit(bin, 'flag', runVersion), notes: [] };
  }
  const fromEnv = env.STRIPE_CLI_PATH;
  if (fromEnv !== undefined && fromEnv !== '') {
    return { info: await checkExplicit(path.resolve(fromEnv), 'env', runVersion), notes: [] };
  }

  const notes: string[] = [];
  const onPath = await checkOnPath(env, runVersion, notes);
  if (onPath.info) return { info: onPath.info, notes };

  const bundled = resolveBundledStripeCli(packageResolver, platformKey);
  if (typeof bundled !== 'string') {
    if (onPath.tooOld) {
      throw new StripeCliTooOldError(`The Stripe CLI on PATH (${onPath.tooOld.path}) is ${onPath.tooOld.version}; webhook-dev needs ${MIN_STRIPE_CLI_VERSION} or newer.`, {
        hint: `Upgrade it (${UPGRADE_URL}), or reinstall webhook-dev so its bundled Stripe CLI (@stripe/cli) is present.`,
      });
    }
    throw new StripeCliNotFoundError(`No Stripe CLI found: ${bundled.reason}`, {
      hint: 'Reinstall webhook-dev (its @stripe/cli dependency brings the binary; do not install with --omit=optional), run `npm install @stripe/cli`, or pass --stripe-bin /path/to/stripe.',
    });
  }
  // The platform package ships exactly one binary, of its own version: reading it saves running
  // the binary (~80 ms of every start). A binary that then fails to start is reported by listen.
  const version = readBundledVersion(bundled) ?? (await readVersion(bundled, runVersion));
  if (!version.ok) {
    throw new StripeCliNotFoundError(`The bundled Stripe CLI (${bundled}) did not run: ${version.problem}`, {
      hint: 'Reinstall webhook-dev, or pass --stripe-bin /path/to/stripe.',
    });
  }
  if (onPath.tooOld) {
    notes.push(`stripe on PATH is ${onPath.tooOld.version}, older than ${MIN_STRIPE_CLI_VERSION}; using the bundled ${version.version}`);
  }
  return { info: { path: bundled, version: version.version, source: 'package' }, notes };
}

type VersionResult = { ok: true; version: string } | { ok: false; problem: string };

async function readVersion(bin: string, runVersion: (bin: string) => Promise<string>): Promise<VersionResult> {
  let output: string;
  try {
    output = await runVersion(bin);
  } catch (error) {
    const { shortMessage, message, all } = error as { shortMessage?: string; message: string; all?: string };
    const said = all?.trim().split('\n')[0];
    return { ok: false, problem: `${shortMessage ?? message}${said ? ` (it printed: ${said.slice(0, 200)})` : ''}` };
  }
  const version = parseStripeVersion(output);
  if (version === undefined) {
    const firstLine = output.trim().split('\n')[0] ?? '';
    return { ok: false, problem: `\`--version\` printed ${firstLine === '' ? 'nothing' : JSON.stringify(firstLine.slice(0, 80))}, not "stripe version X.Y.Z"` };
  }
  return { ok: true, version };
}

const SOURCE_LABEL: Record<'flag' | 'env', string> = { flag: '--stripe-bin', env: 'STRIPE_CLI_PATH' };

/** A binary the user named: any problem with it is an error, never a silent fallback. */
async function checkExplicit(bin: string, source: 'flag' | 'env', runVersion: (bin: string) => Promise<string>): Promise<StripeCliInfo> {
  const label = SOURCE_LABEL[source];
  const dropIt = source === 'flag' ? 'drop --stripe-bin' : 'unset STRIPE_CLI_PATH';
  if (!(await isExecutableFile(bin))) {
    throw new StripeCliNotFoundError(`${label} points to ${bin}, which is not an executable file.`, {
      hint: `Fix the path, or ${dropIt} to use the Stripe CLI bundled with webhook-dev.`,
    });
  }
  const version = await readVersion(bin, runVersion);
  if (!version.ok) {
    throw new StripeCliNotFoundError(`${label} points to ${bin}, which does not look like the Stripe CLI: ${version.problem}`, {
      hint: `Fix the path, or ${dropIt} to use the Stripe CLI bundled with webhook-dev.`,
    });
  }
  if (!isSupportedStripeVersion(version.version)) {
    throw new StripeCliTooOldError(`The Stripe CLI at ${bin} (from ${label}) is ${version.version}; webhook-dev needs ${MIN_STRIPE_CLI_VERSION} or newer.`, {
      hint: `Upgrade it (${UPGRADE_URL}), or ${dropIt} to use the Stripe CLI bundled with webhook-dev.`,
    });
  }
  return { path: bin, version: version.version, source };
}

interface PathCheck {
  info?: StripeCliInfo;
  tooOld?: { path: string; version: string };
}

async function checkOnPath(env: Env, runVersion: (bin: string) => Promise<string>, notes: string[]): Promise<PathCheck> {
  const bin = await findOnPath('stripe', { env });
  if (bin === undefined || (await isNpmShim(bin))) return {};
  const version = await readVersion(bin, runVersion);
  if (!version.ok) {
    notes.push(`could not use the stripe on PATH (${bin}): ${version.problem}; using the bundled one`);
    return {};
  }
  if (!isSupportedStripeVersion(version.version)) return { tooOld: { path: bin, version: version.version } };
  const source: StripeCliSource = 'path';
  return { info: { path: bin, version: version.version, source } };
}

/**
 * node_modules/.bin/stripe (on PATH under npx and npm scripts) is @stripe/cli's node wrapper. It
 * runs the Go binary with spawnSync and does not pass signals on, so stopping it would orphan the
 * real CLI; the bundled binary is the same thing without the extra process.
 */
async function isNpmShim(bin: string): Promise<boolean> {
  try {
    const target = await realpath(bin);
    return /\.[cm]?js$/.test(target);
  } catch {
    return false;
  }
}

function readBundledVersion(bin: string): VersionResult | undefined {
  try {
    if (!statSync(bin).isFile()) return { ok: false, problem: `${bin} is not a file` };
    const { version } = JSON.parse(readFileSync(path.join(path.dirname(path.dirname(bin)), 'package.json'), 'utf8')) as { version?: unknown };
    return typeof version === 'string' && isVersionLike(version) ? { ok: true, version } : undefined;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? { ok: false, problem: `${bin} is missing` } : undefined;
  }
}

function isVersionLike(text: string): boolean {
  return /^\d+\.\d+\.\d+/.test(text);
}

interface PlatformEntry {
  pkg: string;
  bin: string;
}

/** The Go binary inside the optional dependency @stripe/cli-<platform>, or why there is none. */
export function resolveBundledStripeCli(resolver: { resolve(id: string): string }, platformKey: string): string | { reason: string } {
  let platforms: Record<string, PlatformEntry | undefined>;
  try {
    platforms = JSON.parse(readFileSync(resolver.resolve('@stripe/cli/platforms.json'), 'utf8')) as typeof platforms;
  } catch {
    return { reason: 'the @stripe/cli package is not installed.' };
  }
  const entry = platforms[platformKey];
  if (entry === undefined) {
    return { reason: `@stripe/cli has no binary for ${platformKey}.` };
  }
  let packageJson: string;
  try {
    packageJson = resolver.resolve(`${entry.pkg}/package.json`);
  } catch {
    return { reason: `${entry.pkg} (the binary for ${platformKey}) is not installed.` };
  }
  return path.join(path.dirname(packageJson), 'bin', entry.bin);
}
