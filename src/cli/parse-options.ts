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

const SPAN_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** A longer span than parseDuration's: `30m`, `12h`, `14d`, `2w` (a bare number is seconds) → milliseconds. */
export function parseAge(input: string, option: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$/.exec(input);
  if (!match) {
    throw new UsageError(`${option} takes a duration like 30m, 12h or 14d (got "${input}").`, { hint: `Units: ms, s, m, h, d, w; for example ${option} 7d` });
  }
  return Math.round(Number(match[1]) * SPAN_UNITS[match[2] ?? 's']!);
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3 };

/** `100MB`, `512k`, `1GB`, or a bare number of bytes → bytes (units are powers of 1024). */
export function parseByteSize(input: string, option: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(input);
  const unit = SIZE_UNITS[match?.[2]?.toLowerCase() ?? 'x'];
  if (!match || unit === undefined) {
    throw new UsageError(`${option} takes a size like 100MB, 512KB or 1GB (got "${input}").`, { hint: `For example: ${option} 200MB` });
  }
  return Math.round(Number(match[1]) * unit);
}

/** `--since`: a span back from now (`10m`, `2h`, `3d`) or a date (`2026-11-30`, `2026-11-30T14:00`) → ms since the epoch. */
export function parseSince(input: string, now = Date.now()): number {
  if (/^\s*\d+(?:\.\d+)?\s*(ms|s|m|h|d|w)\s*$/.test(input)) return now - parseAge(input, '--since');
  const date = /^\d{4}-\d{2}-\d{2}/.test(input.trim()) ? Date.parse(input.trim()) : Number.NaN;
  if (Number.isNaN(date)) {
    throw new UsageError(`--since takes a duration back from now (10m, 2h, 3d) or a date (2026-11-30, 2026-11-30T14:00) (got "${input}").`, {
      hint: 'For example: webhook-dev events --since 1h',
    });
  }
  return date;
}
