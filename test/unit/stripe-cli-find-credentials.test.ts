import { describe, expect, it } from 'vitest';
import { resolveMode } from '../../src/cli/resolve-mode.js';
import { ExitCode } from '../../src/errors.js';
import { findStripeCredentials, profileHasApiKey } from '../../src/stripe-cli/find-stripe-credentials.js';

const LOGGED_IN = `color = ""

[default]
device_name = "laptop"
display_name = "Acme"
test_mode_api_key = "sk_test_fromLoginValue123"
test_mode_pub_key = "pk_test_x"

[other]
device_name = "laptop"
`;

describe('profileHasApiKey', () => {
  it('finds the key of the named profile only', () => {
    expect(profileHasApiKey(LOGGED_IN, 'default')).toBe(true);
    expect(profileHasApiKey(LOGGED_IN, 'other')).toBe(false);
    expect(profileHasApiKey(LOGGED_IN, 'missing')).toBe(false);
  });

  it('accepts the older field names and quoted table names, and ignores empty values', () => {
    expect(profileHasApiKey("['proj']\nsecret_key = 'sk_test_abc'\n", 'proj')).toBe(true);
    expect(profileHasApiKey('[default]\ntest_mode_api_key = ""\n', 'default')).toBe(false);
  });
});

describe('findStripeCredentials', () => {
  const files = (map: Record<string, string>) => (file: string) => map[file];

  it('prefers an explicit key, then STRIPE_API_KEY, then the login of the profile', () => {
    expect(findStripeCredentials({ apiKey: 'sk_test_flag', env: {} })).toBe('flag');
    expect(findStripeCredentials({ apiKey: 'sk_test_env', env: { STRIPE_API_KEY: 'sk_test_env' } })).toBe('env');
    expect(findStripeCredentials({ env: { XDG_CONFIG_HOME: '/x' }, readText: files({ '/x/stripe/config.toml': LOGGED_IN }) })).toBe('login');
  });

  it('reads ~/.config/stripe without XDG_CONFIG_HOME, and the project named', () => {
    const readText = files({ '/home/u/.config/stripe/config.toml': LOGGED_IN });
    expect(findStripeCredentials({ env: {}, home: () => '/home/u', readText })).toBe('login');
    expect(findStripeCredentials({ env: {}, home: () => '/home/u', readText, projectName: 'other' })).toBeUndefined();
  });

  it('finds nothing on a machine with no login', () => {
    expect(findStripeCredentials({ env: {}, home: () => '/nowhere', readText: () => undefined })).toBeUndefined();
  });
});

describe('resolveMode', () => {
  const none = { env: {}, home: () => '/nowhere', readText: () => undefined };

  it('runs offline when there is nothing to go online with, and says why', () => {
    expect(resolveMode({}, none)).toEqual({ offline: true, reason: 'no-credentials' });
  });

  it('goes online with credentials, --online or --api-base', () => {
    expect(resolveMode({ apiKey: 'sk_test_abc' }, none)).toEqual({ offline: false, reason: 'credentials' });
    expect(resolveMode({ online: true }, none)).toEqual({ offline: false, reason: 'online-flag' });
    expect(resolveMode({ apiBase: 'http://127.0.0.1:1' }, none)).toEqual({ offline: false, reason: 'api-base' });
  });

  it('--offline wins over credentials; --offline with --online is a usage error', () => {
    expect(resolveMode({ offline: true, apiKey: 'sk_test_abc' }, none)).toEqual({ offline: true, reason: 'offline-flag' });
    expect(() => resolveMode({ offline: true, online: true }, none)).toThrow(expect.objectContaining({ exitCode: ExitCode.USAGE }));
  });
});
