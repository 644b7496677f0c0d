/**
 * The project config: the flags a project always passes, written once. Read from
 * `webhook-dev.config.{ts,mts,mjs,js,json}` or the `"webhook-dev"` key of package.json; flags on
 * the command line override it.
 */
import { ConfigError } from '../errors.js';

export interface WebhookDevConfig {
  /** Handler module, relative to the config file. */
  handler?: string;
  /** Event types to receive; default: the types the handler declares. */
  events?: string | string[];
  /** Your app's webhook URL: every verified delivery is forwarded to it, byte for byte. */
  forwardTo?: string;
  /** Your app's command, started with the signing secret in its environment (`-- npm run dev`). */
  command?: string | string[];
  /** The environment variable that gives your app the secret (default STRIPE_WEBHOOK_SECRET). */
  secretEnv?: string;
  /** A dotenv file to write the signing secret into, relative to the config file (`--write-env`). */
  writeEnv?: string;
  port?: number;
  host?: string;
  path?: string;
  /** Durations: '10s', '500ms', '2m', or a number of seconds. */
  handlerTimeout?: string | number;
  forwardTimeout?: string | number;
  readyTimeout?: string | number;
  /** Signature timestamp tolerance in seconds. */
  tolerance?: number;
  offline?: boolean;
  online?: boolean;
  projectName?: string;
  stripeBin?: string;
  /** false: do not keep deliveries in .webhook-dev/journal/ (`--no-journal`). */
  journal?: boolean;
  /** The journal's total size cap: '100MB', '1GB', or a number of bytes. */
  journalMaxSize?: string | number;
  /** The journal's age cap: '14d', '12h'. */
  journalMaxAge?: string | number;
}

/** Typed config for `webhook-dev.config.ts`: `export default defineConfig({ handler: 'src/webhooks.ts' })`. */
export function defineConfig(config: WebhookDevConfig): WebhookDevConfig {
  return config;
}

type Kind = 'string' | 'strings' | 'words' | 'port' | 'duration' | 'seconds' | 'boolean' | 'path' | 'size';

const FIELDS: Readonly<Record<keyof WebhookDevConfig, Kind>> = {
  handler: 'path',
  events: 'strings',
  forwardTo: 'string',
  command: 'words',
  secretEnv: 'string',
  writeEnv: 'path',
  port: 'port',
  host: 'string',
  path: 'string',
  handlerTimeout: 'duration',
  forwardTimeout: 'duration',
  readyTimeout: 'duration',
  tolerance: 'seconds',
  offline: 'boolean',
  online: 'boolean',
  projectName: 'string',
  stripeBin: 'path',
  journal: 'boolean',
  journalMaxSize: 'size',
  journalMaxAge: 'duration',
};

/** What a config value becomes: the value the matching flag would have had (strings, like argv). */
export type ConfigFlags = Partial<Record<Exclude<keyof WebhookDevConfig, 'command'>, string | boolean>> & { command?: string[] };

/**
 * Checks a config and turns it into flag values, paths resolved against the config's folder.
 * Unknown keys are errors, not silently ignored: a misspelt `forwardto` would otherwise do nothing.
 */
export function toConfigFlags(raw: unknown, source: string, resolvePath: (path: string) => string): ConfigFlags {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError(`${source} must hold an object of settings (got ${Array.isArray(raw) ? 'an array' : typeof raw}).`, { hint: CONFIG_HINT });
  }
  const flags: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key === '$schema') continue;
    const kind = (FIELDS as Record<string, Kind | undefined>)[key];
    if (kind === undefined) {
      throw new ConfigError(`${source} has an unknown setting "${key}".`, { hint: `Known settings: ${Object.keys(FIELDS).join(', ')}.` });
    }
    if (value === undefined) continue;
    flags[key] = convert(kind, value, `${source}: "${key}"`, resolvePath);
  }
  return flags as ConfigFlags;
}

const CONFIG_HINT = 'For example: { "handler": "src/webhooks.ts", "forwardTo": "http://localhost:3000/api/webhooks" }';

function convert(kind: Kind, value: unknown, where: string, resolvePath: (path: string) => string): string | boolean | string[] {
  const fail = (expected: string): never => {
    throw new ConfigError(`${where} must be ${expected} (got ${JSON.stringify(value)}).`, { hint: CONFIG_HINT });
  };
  switch (kind) {
    case 'boolean':
      return typeof value === 'boolean' ? value : fail('true or false');
    case 'string':
      return typeof value === 'string' && value !== '' ? value : fail('a non-empty string');
    case 'path':
      return typeof value === 'string' && value !== '' ? resolvePath(value) : fail('a path');
    case 'strings':
      if (typeof value === 'string' && value !== '') return value;
      return Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string') ? value.join(',') : fail('a list of event types');
    case 'words':
      // A string is split on spaces, as a shell would for a simple command; use a list for anything quoted.
      if (typeof value === 'string' && value.trim() !== '') return value.trim().split(/\s+/);
      return Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string') ? value : fail('a command, as a string or a list of words');
    case 'port':
      return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 65_535 ? String(value) : fail('a port number from 0 to 65535');
    case 'seconds':
      return Number.isInteger(value) && (value as number) >= 0 ? String(value) : fail('a whole number of seconds');
    case 'size':
      if (typeof value === 'number' && Number.isInteger(value) && value > 0) return String(value);
      return typeof value === 'string' && value !== '' ? value : fail('a size like "100MB" or a number of bytes');
    case 'duration':
      if (typeof value === 'number' && value >= 0) return String(value);
      return typeof value === 'string' && value !== '' ? value : fail('a duration like "10s" or "500ms"');
  }
}
