import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { DEFAULT_LISTEN_WATCH_SETTINGS, parseListenWatchSettings, restartDelayMs } from '../../src/stripe-cli/listen-watch-settings.js';

describe('parseListenWatchSettings (WEBHOOK_DEV_WATCHDOG)', () => {
  it('nothing set: nothing overridden', () => {
    expect(parseListenWatchSettings(undefined)).toEqual({});
    expect(parseListenWatchSettings(' ')).toEqual({});
  });

  it('name=value pairs, spaces and empty parts tolerated', () => {
    expect(parseListenWatchSettings('stallAfterMs=1500, maxFailures=0,,wallClockOffsetFile=/tmp/x')).toEqual({ stallAfterMs: 1500, maxFailures: 0, wallClockOffsetFile: '/tmp/x' });
  });

  it.each(['stallAfterMs=soon', 'stallAfterMs=-1', 'stallAfterMs=1.5', 'stallAfterMs', 'nope=1', 'wallClockOffsetFile='])('refuses %j with a usage error naming it', (text) => {
    expect(() => parseListenWatchSettings(text)).toThrow(UsageError);
    expect(() => parseListenWatchSettings(text)).toThrow(text);
  });
});

describe('restartDelayMs', () => {
  const settings = { backoffMs: 1_000, maxBackoffMs: 5_000 };
  it('none before the first attempt, then doubling up to the cap', () => {
    expect([1, 2, 3, 4, 5, 6].map((attempt) => restartDelayMs(attempt, settings))).toEqual([0, 1_000, 2_000, 4_000, 5_000, 5_000]);
  });

  it('the defaults give up after about two and a half minutes of backoff', () => {
    const total = Array.from({ length: DEFAULT_LISTEN_WATCH_SETTINGS.maxFailures }, (_, index) => restartDelayMs(index + 1, DEFAULT_LISTEN_WATCH_SETTINGS)).reduce((a, b) => a + b, 0);
    expect(total).toBe(1_000 + 2_000 + 4_000 + 8_000 + 16_000 + 30_000 + 30_000);
  });
});
