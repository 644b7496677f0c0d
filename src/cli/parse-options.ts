import { UsageError } from '../errors.js';

/** `10s`, `500ms`, `2m`, or a bare number of seconds → milliseconds. */
export function parseDuration(input: string, option: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(input);
  if (!match) {
    throw new UsageError(`${option} takes a duration like 10s, 500ms or 2m (got "${input}").`, { hint: `A bare number means seconds: ${option} 10` });
  }
  const value = Number(match[1]);
  const unit = match[2] ?? 's';
  return Math.round(unit === 'ms' ? value : unit === 'm' ? value * 60_000 : value * 1000);
}

export function parsePort(input: string): number {
  const port = Number(input);
  if (!/^\d+$/.test(input.trim()) || port > 65_535) {
    throw new UsageError(`--port takes a number from 0 to 65535 (got "${input}").`, { hint: 'Use --port 0 to let the system pick a free port.' });
  }
  return port;
}

export function parseSeconds(input: string, option: string): number {
  const seconds = Number(input);
  if (!/^\d+$/.test(input.trim())) {
    throw new UsageError(`${option} takes a whole number of seconds (got "${input}").`, { hint: `For example: ${option} 300 (0 turns the check off).` });
  }
  return seconds;
}

export function parseApiBase(input: string): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new UsageError(`--api-base takes a URL (got "${input}").`, { hint: 'For example: --api-base http://127.0.0.1:12111' });
  }
  return url.origin;
}

export function parseEnvName(input: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(input)) {
    throw new UsageError(`--secret-env takes an environment variable name (got "${input}").`, { hint: 'For example: --secret-env STRIPE_WEBHOOK_SECRET' });
  }
  return input;
}
