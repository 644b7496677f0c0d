/**
 * How closely the Stripe CLI is watched and how hard it is revived (see supervise-stripe-listen.ts).
 * The defaults suit a person at a terminal; tests and unusual networks set them through the
 * `WEBHOOK_DEV_WATCHDOG` environment variable (`stallAfterMs=1500,maxFailures=2`), parsed here by a
 * pure function.
 */
import { UsageError } from '../errors.js';

export interface ListenWatchSettings {
  /**
   * No keep-alive from the CLI for this long means it is stalled. The CLI pings every 2 s and gives
   * up on its own socket after 10 s without a pong (pkg/websocket/client.go): three missed pings
   * come well before that, and well after the ~1 s pause of its own socket resets.
   */
  stallAfterMs: number;
  /** How often the process state and the two clocks are compared. */
  checkEveryMs: number;
  /** The wall clock ahead of the monotonic clock by more than this between two checks: the machine slept. */
  clockJumpMs: number;
  /** The wait before the second restart attempt; it doubles for each failure, up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
  /** Failed restarts in a row before giving up (exit 7); 0: never restart, give up at the first stall. */
  maxFailures: number;
  /**
   * Tests only: a file holding a number of milliseconds added to the wall clock as the watchdog
   * reads it, so a test can make the machine seem to have slept without sleeping it.
   */
  wallClockOffsetFile?: string;
}

export const DEFAULT_LISTEN_WATCH_SETTINGS: Readonly<ListenWatchSettings> = {
  stallAfterMs: 6_000,
  checkEveryMs: 1_000,
  clockJumpMs: 5_000,
  backoffMs: 1_000,
  maxBackoffMs: 30_000,
  maxFailures: 8,
};

const NUMERIC = ['stallAfterMs', 'checkEveryMs', 'clockJumpMs', 'backoffMs', 'maxBackoffMs', 'maxFailures'] as const;

/** `stallAfterMs=1500,maxFailures=2,wallClockOffsetFile=/tmp/x` → the settings it names; '' or undefined → {}. */
export function parseListenWatchSettings(text: string | undefined): Partial<ListenWatchSettings> {
  const settings: Partial<ListenWatchSettings> = {};
  for (const part of (text ?? '').split(',')) {
    const entry = part.trim();
    if (entry === '') continue;
    const [name = '', value = ''] = entry.split('=', 2).map((piece) => piece.trim());
    if (name === 'wallClockOffsetFile' && value !== '') {
      settings.wallClockOffsetFile = value;
      continue;
    }
    const key = NUMERIC.find((known) => known === name);
    const number = Number(value);
    if (key === undefined || value === '' || !Number.isInteger(number) || number < 0) {
      throw new UsageError(`WEBHOOK_DEV_WATCHDOG: cannot use "${entry}".`, {
        hint: `Give name=value pairs separated by commas, with whole numbers of milliseconds (or of failures): ${NUMERIC.join(', ')}, wallClockOffsetFile.`,
      });
    }
    settings[key] = number;
  }
  return settings;
}

/** The wait before restart attempt `attempt` (1-based): none before the first. */
export function restartDelayMs(attempt: number, { backoffMs, maxBackoffMs }: Pick<ListenWatchSettings, 'backoffMs' | 'maxBackoffMs'>): number {
  if (attempt <= 1) return 0;
  return Math.min(maxBackoffMs, backoffMs * 2 ** (attempt - 2));
}
