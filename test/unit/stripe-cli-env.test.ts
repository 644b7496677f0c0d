import { describe, expect, it } from 'vitest';
import { DEAD_PROXY, buildStripeCliEnv } from '../../src/stripe-cli/stripe-cli-env.js';

describe('buildStripeCliEnv', () => {
  it('copies the environment without changing it', () => {
    const baseEnv = { PATH: '/usr/bin', HOME: '/home/me', UNSET: undefined };
    const env = buildStripeCliEnv({ baseEnv });
    expect(env).toMatchObject({ PATH: '/usr/bin', HOME: '/home/me', STRIPE_CLI_TELEMETRY_OPTOUT: '1', STRIPE_NO_AUTO_UPDATE: '1' });
    expect('UNSET' in env).toBe(false);
    expect(baseEnv).toEqual({ PATH: '/usr/bin', HOME: '/home/me', UNSET: undefined });
  });

  it('passes the API key in the environment', () => {
    expect(buildStripeCliEnv({ baseEnv: {}, apiKey: 'sk_test_offline' }).STRIPE_API_KEY).toBe('sk_test_offline');
    expect(buildStripeCliEnv({ baseEnv: { STRIPE_API_KEY: 'sk_test_user' } }).STRIPE_API_KEY).toBe('sk_test_user');
    expect(buildStripeCliEnv({ baseEnv: { STRIPE_API_KEY: 'sk_test_user' }, apiKey: 'sk_test_flag' }).STRIPE_API_KEY).toBe('sk_test_flag');
  });

  it('points the config folder where asked', () => {
    expect(buildStripeCliEnv({ baseEnv: { XDG_CONFIG_HOME: '/home/me/.config' }, configDir: '/tmp/x' }).XDG_CONFIG_HOME).toBe('/tmp/x');
    expect(buildStripeCliEnv({ baseEnv: {} }).XDG_CONFIG_HOME).toBeUndefined();
  });

  it('offline: every outside call goes to a dead proxy, and NO_PROXY cannot let one through', () => {
    const env = buildStripeCliEnv({
      baseEnv: { HTTPS_PROXY: 'http://corp:3128', https_proxy: 'http://corp:3128', NO_PROXY: '*', no_proxy: 'stripe.com' },
      offline: true,
    });
    expect(env.HTTPS_PROXY).toBe(DEAD_PROXY);
    expect(env.https_proxy).toBe(DEAD_PROXY);
    expect(env.NO_PROXY).toBeUndefined();
    expect(env.no_proxy).toBeUndefined();
  });

  it('offline: the emulator socket, never one of the user', () => {
    expect(buildStripeCliEnv({ baseEnv: { STRIPE_CLI_UNIX_SOCKET: '/run/mine.sock' }, offline: true, localSocket: '/tmp/x/api.sock' }).STRIPE_CLI_UNIX_SOCKET).toBe('/tmp/x/api.sock');
    expect(buildStripeCliEnv({ baseEnv: { STRIPE_CLI_UNIX_SOCKET: '/run/mine.sock' }, offline: true }).STRIPE_CLI_UNIX_SOCKET).toBeUndefined();
    expect(buildStripeCliEnv({ baseEnv: { STRIPE_CLI_UNIX_SOCKET: '/run/mine.sock' } }).STRIPE_CLI_UNIX_SOCKET).toBe('/run/mine.sock');
  });

  it('online: the user proxy settings stay', () => {
    const env = buildStripeCliEnv({ baseEnv: { HTTPS_PROXY: 'http://corp:3128', NO_PROXY: 'internal' } });
    expect(env).toMatchObject({ HTTPS_PROXY: 'http://corp:3128', NO_PROXY: 'internal' });
  });
});
