import { UsageError } from '../errors.js';
import { DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_SPEED, MAX_ATTEMPTS_LIMIT } from './retry-schedule.js';
import { MAX_SEED, randomSeed } from './seeded-random.js';

/** What a run's delivery quirks do; absent quirks are off. Plain data: it is shown in the ready record. */
export interface QuirkSettings {
  /** Each seed gives the same decisions for the same sequence of deliveries. */
  seed: number;
  /** `--duplicate`: the chance, 0 to 1, that a delivery is made a second time. */
  duplicate?: number;
  /** `--shuffle`: deliveries that arrive within this many ms of the first are handed over out of order. */
  shuffleMs?: number;
  /** `--delay`: each delivery is held this long (a range: a draw in [min, max]) before it is handed over. */
  delayMs?: { min: number; max: number };
  /** `--retry`: a failed delivery is made again on Stripe's schedule, compressed. */
  retry?: { speed: number; maxAttempts: number };
}

/** The command-line form, as commander gives it. */
export interface QuirkFlags {
  duplicate?: string;
  shuffle?: string;
  delay?: string;
  retry?: boolean;
  retrySpeed?: string;
  maxAttempts?: string;
  seed?: string;
}

/** The Stripe CLI gives up on a delivery after 30 s; a delivery held longer would fail there, not here. */
export const MAX_HOLD_MS = 25_000;

export const QUIRK_FLAG_NAMES = ['duplicate', 'shuffle', 'delay', 'retry', 'retrySpeed', 'maxAttempts', 'seed'] as const;

/** The flags as typed, for messages: `--retry-speed`. */
export function quirkOptionName(name: (typeof QUIRK_FLAG_NAMES)[number]): string {
  return `--${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

/** Which quirk flags were given (an attached `trigger` refuses them: they belong to the session). */
export function givenQuirkFlags(flags: QuirkFlags): string[] {
  return QUIRK_FLAG_NAMES.filter((name) => flags[name] !== undefined && flags[name] !== false).map(quirkOptionName);
}

/**
 * Quirk options given to a command that delivers through a running `webhook-dev listen`: that
 * session decides how its deliveries are made. `how`: "this trigger attaches to a running
 * webhook-dev listen"; `otherwise`: the way to use them without it.
 */
export function quirksBelongToSession(flags: QuirkFlags, how: string, otherwise: string): UsageError {
  const given = givenQuirkFlags(flags);
  return new UsageError(`${given.join(', ')} ${given.length === 1 ? 'belongs' : 'belong'} to the session, and ${how}.`, {
    hint: `Start listen with ${given.length === 1 ? 'it' : 'them'} (webhook-dev listen ${given.join(' … ')} …), ${otherwise}`,
  });
}

/**
 * The quirk flags → settings, or undefined when no quirk is asked for. Pure but for the seed: a
 * run without --seed gets a random one (`pickSeed`), which the ready record and summary show.
 */
export function parseQuirkFlags(flags: QuirkFlags, pickSeed: () => number = randomSeed): QuirkSettings | undefined {
  const duplicate = flags.duplicate === undefined ? undefined : parseProbability(flags.duplicate);
  const shuffleMs = flags.shuffle === undefined ? undefined : parseQuirkDuration(flags.shuffle, '--shuffle');
  const delayMs = flags.delay === undefined ? undefined : parseDelay(flags.delay);
  if (!flags.retry) {
    for (const name of ['retrySpeed', 'maxAttempts'] as const) {
      if (flags[name] !== undefined) throw new UsageError(`${quirkOptionName(name)} applies to retries, which are off.`, { hint: `Add --retry: webhook-dev listen --retry ${quirkOptionName(name)} ${flags[name]}` });
    }
  }
  const retry = flags.retry
    ? {
        speed: flags.retrySpeed === undefined ? DEFAULT_RETRY_SPEED : parseRetrySpeed(flags.retrySpeed),
        maxAttempts: flags.maxAttempts === undefined ? DEFAULT_MAX_ATTEMPTS : parseMaxAttempts(flags.maxAttempts),
      }
    : undefined;
  if ((shuffleMs ?? 0) + (delayMs?.max ?? 0) > MAX_HOLD_MS) {
    throw new UsageError(`--shuffle and --delay together may hold a delivery for at most ${MAX_HOLD_MS / 1000} s.`, {
      hint: 'The Stripe CLI gives up on a delivery after 30 s. Use a shorter window or delay, e.g. --shuffle 2s --delay 100ms-1s.',
    });
  }
  const any = duplicate !== undefined || shuffleMs !== undefined || delayMs !== undefined || retry !== undefined;
  if (!any) {
    if (flags.seed !== undefined) throw new UsageError('--seed makes the delivery quirks reproducible, and none is on.', { hint: 'Add one: --duplicate 0.5, --shuffle 2s, --delay 200ms-1s or --retry.' });
    return undefined;
  }
  return {
    seed: flags.seed === undefined ? pickSeed() : parseSeed(flags.seed),
    ...(duplicate !== undefined ? { duplicate } : {}),
    ...(shuffleMs !== undefined ? { shuffleMs } : {}),
    ...(delayMs !== undefined ? { delayMs } : {}),
    ...(retry !== undefined ? { retry } : {}),
  };
}

/** `0.25`, `1`, or `25%` → 0.25. */
export function parseProbability(input: string): number {
  const match = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(%?)\s*$/.exec(input);
  const value = match ? Number(match[1]) / (match[2] === '%' ? 100 : 1) : Number.NaN;
  if (!(value >= 0 && value <= 1)) {
    throw new UsageError(`--duplicate takes a probability from 0 to 1 (got "${input}").`, { hint: 'For example: --duplicate 0.5 (half the deliveries come twice), --duplicate 1 (all of them), or --duplicate 20%.' });
  }
  return value;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000 };

/**
 * A duration with its unit (`500ms`, `2s`, `1.5s`): a bare number is refused, since elsewhere a
 * bare number means seconds and `--delay 500` reads like milliseconds.
 */
export function parseQuirkDuration(input: string, option: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)\s*$/.exec(input);
  if (!match) {
    throw new UsageError(`${option} takes a duration with its unit, like 500ms or 2s (got "${input}").`, { hint: `For example: ${option} ${option === '--delay' ? '300ms, or a range: --delay 100ms-2s' : '2s'}` });
  }
  return Math.round(Number(match[1]) * UNITS[match[2]!]!);
}

/** `300ms` (always that long) or `100ms-2s` (a draw in that range per delivery). */
export function parseDelay(input: string): { min: number; max: number } {
  const parts = input.split('-');
  if (parts.length > 2) throw new UsageError(`--delay takes a duration or a range MIN-MAX (got "${input}").`, { hint: 'For example: --delay 300ms, or --delay 100ms-2s' });
  const min = parseQuirkDuration(parts[0]!, '--delay');
  const max = parts.length === 2 ? parseQuirkDuration(parts[1]!, '--delay') : min;
  if (max < min) throw new UsageError(`--delay ${input}: the range ends before it starts.`, { hint: `Put the shorter one first: --delay ${parts[1]!.trim()}-${parts[0]!.trim()}` });
  return { min, max };
}

/** `7200` or `7200x`: how many times faster than Stripe's schedule; 1 is real time. */
export function parseRetrySpeed(input: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*x?\s*$/i.exec(input);
  const value = match ? Number(match[1]) : Number.NaN;
  if (!(value >= 1)) {
    throw new UsageError(`--retry-speed takes how many times faster than Stripe to retry, 1 or more (got "${input}").`, {
      hint: `For example: --retry-speed ${DEFAULT_RETRY_SPEED} (the default: Stripe's first hour takes 0.5 s), or --retry-speed 36000 (0.1 s).`,
    });
  }
  return value;
}

export function parseMaxAttempts(input: string): number {
  const value = Number(input);
  if (!/^\s*\d+\s*$/.test(input) || value < 2 || value > MAX_ATTEMPTS_LIMIT) {
    throw new UsageError(`--max-attempts takes a whole number from 2 to ${MAX_ATTEMPTS_LIMIT}, the first delivery included (got "${input}").`, {
      hint: `Stripe's sandbox makes ${DEFAULT_MAX_ATTEMPTS} (the default); ${MAX_ATTEMPTS_LIMIT} fit in the three days of live mode.`,
    });
  }
  return value;
}

export function parseSeed(input: string): number {
  const value = Number(input);
  if (!/^\s*\d+\s*$/.test(input) || value > MAX_SEED) {
    throw new UsageError(`--seed takes a whole number from 0 to ${MAX_SEED} (got "${input}").`, { hint: 'Use the seed a previous run showed (in its ready line and summary) to repeat its decisions.' });
  }
  return value;
}

/** `duplicate 50%, delay 100–2000ms, retry up to 4 attempts, 7200× Stripe's pace`: the ready line (which adds the seed). */
export function describeQuirks(settings: QuirkSettings): string {
  const parts: string[] = [];
  if (settings.duplicate !== undefined) parts.push(`duplicate ${Math.round(settings.duplicate * 1000) / 10}%`);
  if (settings.shuffleMs !== undefined) parts.push(`shuffle within ${settings.shuffleMs}ms`);
  if (settings.delayMs !== undefined) parts.push(`delay ${settings.delayMs.min === settings.delayMs.max ? `${settings.delayMs.min}ms` : `${settings.delayMs.min}–${settings.delayMs.max}ms`}`);
  if (settings.retry !== undefined) parts.push(`retry up to ${settings.retry.maxAttempts} attempts, ${settings.retry.speed}× Stripe's pace`);
  return parts.join(', ');
}
