import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { describeQuirks, givenQuirkFlags, parseDelay, parseProbability, parseQuirkFlags, parseRetrySpeed } from '../../src/quirks/quirk-settings.js';

const fixedSeed = () => 42;

describe('parseQuirkFlags', () => {
  it('is undefined when no quirk is asked for', () => {
    expect(parseQuirkFlags({}, fixedSeed)).toBeUndefined();
  });

  it('reads every quirk, with the defaults for retries', () => {
    expect(parseQuirkFlags({ duplicate: '0.5', shuffle: '2s', delay: '100ms-1.5s', retry: true, seed: '7' }, fixedSeed)).toEqual({
      seed: 7,
      duplicate: 0.5,
      shuffleMs: 2000,
      delayMs: { min: 100, max: 1500 },
      retry: { speed: 7200, maxAttempts: 4 },
    });
  });

  it('picks a seed when none is given, and keeps the one given', () => {
    expect(parseQuirkFlags({ duplicate: '1' }, fixedSeed)?.seed).toBe(42);
    expect(parseQuirkFlags({ duplicate: '1', seed: '4294967295' }, fixedSeed)?.seed).toBe(4294967295);
  });

  it.each([
    [{ duplicate: '1.5' }, /--duplicate takes a probability/],
    [{ duplicate: 'often' }, /--duplicate takes a probability/],
    [{ shuffle: '2' }, /--shuffle takes a duration with its unit/],
    [{ delay: '500' }, /--delay takes a duration with its unit/],
    [{ delay: '2s-1s' }, /the range ends before it starts/],
    [{ delay: '1s-2s-3s' }, /--delay takes a duration or a range/],
    [{ retry: true, retrySpeed: '0.5' }, /--retry-speed takes how many times faster/],
    [{ retry: true, maxAttempts: '1' }, /--max-attempts takes a whole number from 2 to 7/],
    [{ retry: true, maxAttempts: '8' }, /--max-attempts takes a whole number from 2 to 7/],
    [{ maxAttempts: '3' }, /--max-attempts applies to retries, which are off/],
    [{ retrySpeed: '100' }, /--retry-speed applies to retries/],
    [{ seed: '3' }, /--seed makes the delivery quirks reproducible, and none is on/],
    [{ duplicate: '1', seed: '-1' }, /--seed takes a whole number/],
    [{ duplicate: '1', seed: '4294967296' }, /--seed takes a whole number/],
    [{ shuffle: '20s', delay: '10s' }, /at most 25 s/],
  ])('refuses %o with a usage error', (flags, message) => {
    const attempt = () => parseQuirkFlags(flags, fixedSeed);
    expect(attempt).toThrow(UsageError);
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (error) {
      expect((error as UsageError).hint).toMatch(/\S/);
    }
  });
});

describe('the option parsers', () => {
  it.each([
    ['0', 0],
    ['1', 1],
    ['0.25', 0.25],
    ['.5', 0.5],
    ['20%', 0.2],
  ])('--duplicate %s → %d', (input, value) => {
    expect(parseProbability(input)).toBe(value);
  });

  it.each([
    ['300ms', { min: 300, max: 300 }],
    ['1s', { min: 1000, max: 1000 }],
    ['100ms-2s', { min: 100, max: 2000 }],
    ['0.5s-0.5s', { min: 500, max: 500 }],
  ])('--delay %s', (input, expected) => {
    expect(parseDelay(input)).toEqual(expected);
  });

  it('--retry-speed takes a factor, with or without an x', () => {
    expect(parseRetrySpeed('36000')).toBe(36000);
    expect(parseRetrySpeed('100x')).toBe(100);
    expect(parseRetrySpeed('1')).toBe(1);
  });
});

describe('givenQuirkFlags', () => {
  it('names the quirk options given, as typed', () => {
    expect(givenQuirkFlags({ duplicate: '1', retry: true, maxAttempts: '3' })).toEqual(['--duplicate', '--retry', '--max-attempts']);
    expect(givenQuirkFlags({ retry: false })).toEqual([]);
  });
});

describe('describeQuirks', () => {
  it('says what is on', () => {
    expect(describeQuirks({ seed: 9, duplicate: 0.5, delayMs: { min: 100, max: 2000 }, retry: { speed: 7200, maxAttempts: 4 } })).toBe(
      "duplicate 50%, delay 100–2000ms, retry up to 4 attempts, 7200× Stripe's pace",
    );
  });
});
