/**
 * Whether the Stripe CLI would find an API key, without running it (that takes ~0.5 s). With no
 * key, `npx webhook-dev listen` runs offline instead of failing with "no API key".
 *
 * The CLI takes, in order: --api-key (which webhook-dev passes as STRIPE_API_KEY), STRIPE_API_KEY,
 * then the profile's key in `$XDG_CONFIG_HOME/stripe/config.toml` (else `~/.config/stripe/…`),
 * written by `stripe login` (pkg/config/profile.go, GetAPIKey). Newer CLIs may keep the key in
 * the OS keyring, but the profile's section is still written to config.toml, so a profile section
 * with any key field counts as a login.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export type CredentialsSource = 'flag' | 'env' | 'login';

export interface FindStripeCredentialsOptions {
  apiKey?: string | undefined;
  projectName?: string | undefined;
  env?: NodeJS.ProcessEnv;
  readText?: (file: string) => string | undefined;
  home?: () => string;
}

export function findStripeCredentials({
  apiKey,
  projectName,
  env = process.env,
  readText = readIfPresent,
  home = homedir,
}: FindStripeCredentialsOptions = {}): CredentialsSource | undefined {
  if (apiKey) return apiKey === env.STRIPE_API_KEY ? 'env' : 'flag';
  if (env.STRIPE_API_KEY) return 'env';
  const folder = env.XDG_CONFIG_HOME ? join(env.XDG_CONFIG_HOME, 'stripe') : join(home(), '.config', 'stripe');
  const config = readText(join(folder, 'config.toml'));
  return config !== undefined && profileHasApiKey(config, projectName ?? env.STRIPE_PROJECT_NAME ?? 'default') ? 'login' : undefined;
}

const KEY_FIELDS = new Set(['test_mode_api_key', 'test_mode_key_expires_at', 'secret_key', 'api_key', 'live_mode_api_key']);

/** Reads just enough TOML: the `[profile]` table and its `key = value` lines. */
export function profileHasApiKey(toml: string, profile: string): boolean {
  let inProfile = false;
  for (const raw of toml.split(/\r?\n/)) {
    const line = raw.trim();
    const table = /^\[\s*["']?([^\]"']+)["']?\s*\]$/.exec(line);
    if (table) {
      inProfile = table[1]!.trim() === profile;
      continue;
    }
    if (!inProfile) continue;
    const field = /^([A-Za-z0-9_]+)\s*=\s*(.*)$/.exec(line);
    if (field && KEY_FIELDS.has(field[1]!) && !/^(["'])\1$/.test(field[2]!.trim())) return true;
  }
  return false;
}

function readIfPresent(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
