/**
 * Runs the real Stripe CLI in tests without an account or network: the binary the @stripe/cli
 * package installed for this platform, and an environment that keeps it away from the user's
 * config, telemetry and the internet.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

interface PlatformEntry {
  pkg: string;
  bin: string;
}

/** Absolute path of the platform binary (e.g. node_modules/@stripe/cli-linux-x64/bin/stripe). */
export function stripeCliBinaryPath(): string {
  const platformsPath = require.resolve('@stripe/cli/platforms.json');
  const platforms = JSON.parse(readFileSync(platformsPath, 'utf8')) as Record<string, PlatformEntry>;
  const entry = platforms[`${process.platform}-${process.arch}`];
  if (entry === undefined) throw new Error(`@stripe/cli has no binary for ${process.platform}-${process.arch}`);
  const packageDir = dirname(require.resolve(`${entry.pkg}/package.json`));
  return join(packageDir, 'bin', entry.bin);
}

export interface StripeCliEnvOptions {
  /** A temporary folder: the CLI writes stripe/config.toml under it. */
  configHome: string;
  /** The emulator's own key (`emulator.apiKey`): it refuses every other. */
  apiKey: string;
}

/**
 * Everything else is dropped from the inherited environment on purpose (no STRIPE_* leaking in
 * from the developer's shell). HTTPS_PROXY to a closed port makes any outside call fail at once;
 * loopback traffic to the emulator is never proxied.
 */
export function stripeCliEnv({ configHome, apiKey }: StripeCliEnvOptions): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: configHome,
    XDG_CONFIG_HOME: configHome,
    STRIPE_API_KEY: apiKey,
    STRIPE_CLI_TELEMETRY_OPTOUT: '1',
    HTTPS_PROXY: 'http://127.0.0.1:9',
    https_proxy: 'http://127.0.0.1:9',
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
  };
}
