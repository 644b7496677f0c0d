/**
 * The real Stripe CLI binary the @stripe/cli package installed for this platform, found the way
 * the package itself finds it (platforms.json names the platform package and its binary), and the
 * environment that runs it offline: webhook-dev's own --offline isolation, with nothing else
 * inherited so no STRIPE_* setting of the developer's shell changes what the bench measures.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { REPO_DIR } from './config.js';

const require = createRequire(path.join(REPO_DIR, 'package.json'));

/** Closed port: any call that leaves the machine fails at once; Go never proxies loopback. */
const DEAD_PROXY = 'http://127.0.0.1:9';

/** The key the bench gives its emulators (startEmulator({ apiKey })) and their Stripe CLIs; only ever sent to 127.0.0.1. */
export const OFFLINE_API_KEY = 'sk_test_bench_offline_key';

/** @returns {string} absolute path of the platform binary */
export function stripeCliBinaryPath() {
  const platforms = JSON.parse(readFileSync(require.resolve('@stripe/cli/platforms.json'), 'utf8'));
  const entry = platforms[`${process.platform}-${process.arch}`];
  if (entry === undefined) throw new Error(`@stripe/cli has no binary for ${process.platform}-${process.arch}`);
  return path.join(path.dirname(require.resolve(`${entry.pkg}/package.json`)), 'bin', entry.bin);
}

/** @param {string} configHome a temporary folder: the CLI writes stripe/config.toml under it */
export function offlineStripeCliEnv(configHome) {
  return {
    HOME: process.env.HOME ?? configHome,
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    STRIPE_API_KEY: OFFLINE_API_KEY,
    STRIPE_CLI_TELEMETRY_OPTOUT: '1',
    XDG_CONFIG_HOME: configHome,
    HTTPS_PROXY: DEAD_PROXY,
    https_proxy: DEAD_PROXY,
  };
}
