/**
 * The environment the Stripe CLI child runs with. Pure: returns a new object, never touches
 * process.env.
 */

/** Nothing listens on the discard port; a proxy there makes every outside call fail at once. */
export const DEAD_PROXY = 'http://127.0.0.1:9';

export interface StripeCliEnvOptions {
  baseEnv: Readonly<Record<string, string | undefined>>;
  /** Passed as STRIPE_API_KEY: an environment variable is private to the process, argv is not. */
  apiKey?: string;
  /** XDG_CONFIG_HOME for the child: the CLI writes stripe/config.toml there (tests, --offline). */
  configDir?: string;
  /** Make outside calls (version check, telemetry, the real API) fail fast instead of hanging. */
  offline?: boolean;
  /**
   * Offline: the emulator's Unix socket. The CLI's API client then sends every request through it,
   * those its fixtures address to https://meter-events.stripe.com included (emulator/local-socket.ts).
   */
  localSocket?: string;
}

export function buildStripeCliEnv({ baseEnv, apiKey, configDir, offline = false, localSocket }: StripeCliEnvOptions): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(baseEnv)) {
    if (value !== undefined) env[key] = value;
  }
  env.STRIPE_CLI_TELEMETRY_OPTOUT = '1';
  // A curl-installed CLI (~/.stripe/bin) may download and re-exec a newer version of itself.
  env.STRIPE_NO_AUTO_UPDATE = '1';
  if (apiKey !== undefined) env.STRIPE_API_KEY = apiKey;
  if (configDir !== undefined) env.XDG_CONFIG_HOME = configDir;
  if (offline) {
    // Go reads HTTPS_PROXY before https_proxy; set both so a user's own proxy cannot win. Go never
    // proxies loopback, so the emulator on 127.0.0.1 is still reached directly. NO_PROXY is removed
    // because a user's NO_PROXY=* (or one naming stripe.com) would let calls bypass the dead proxy;
    // verified with the real CLI: NO_PROXY=* turns the instant failure into a DNS lookup.
    env.HTTPS_PROXY = DEAD_PROXY;
    env.https_proxy = DEAD_PROXY;
    delete env.NO_PROXY;
    delete env.no_proxy;
    // A socket of the user's own would take the requests meant for the emulator.
    delete env.STRIPE_CLI_UNIX_SOCKET;
    if (localSocket !== undefined) env.STRIPE_CLI_UNIX_SOCKET = localSocket;
  }
  return env;
}
