import { describe, expect, it } from 'vitest';
import { parseAge, parseByteSize, parseSince } from '../../src/cli/parse-options.js';
import { ExitCode, UsageError } from '../../src/errors.js';
import { parseTypePattern } from '../../src/journal/type-pattern.js';

describe('--type globs', () => {
  it.each([
    ['invoice.*', 'invoice.paid', true],
    ['invoice.*', 'invoice.payment_failed', true],
    ['invoice.*', 'invoiceitem.created', false],
    ['*.succeeded', 'payment_intent.succeeded', true],
    ['charge.failed,invoice.*', 'charge.failed', true],
    ['charge.failed', 'charge.failed.extra', false],
    ['charge.*', null, false],
  ])('%s matches %s: %s', (glob, type, expected) => {
    expect(parseTypePattern(glob)(type)).toBe(expected);
  });

  it.each(['a[b', '', 'charge.(x)', 'a,,b'])('refuses %j as a usage error', (glob) => {
    expect(() => parseTypePattern(glob)).toThrow(UsageError);
  });
});

describe('durations, sizes and --since', () => {
  it('reads spans with units up to weeks', () => {
    expect(parseAge('14d', '--x')).toBe(14 * 86_400_000);
    expect(parseAge('12h', '--x')).toBe(12 * 3_600_000);
    expect(parseAge('90', '--x')).toBe(90_000);
    expect(() => parseAge('2 fortnights', '--x')).toThrow(UsageError);
  });

  it('reads sizes in powers of 1024', () => {
    expect(parseByteSize('100MB', '--x')).toBe(100 * 1024 * 1024);
    expect(parseByteSize('512k', '--x')).toBe(512 * 1024);
    expect(parseByteSize('2048', '--x')).toBe(2048);
    expect(() => parseByteSize('lots', '--x')).toThrow(UsageError);
  });

  it('takes --since as a span back from now or a date', () => {
    const now = Date.parse('2026-11-30T12:00:00Z');
    expect(parseSince('10m', now)).toBe(now - 600_000);
    expect(parseSince('2026-11-29T00:00:00Z', now)).toBe(Date.parse('2026-11-29T00:00:00Z'));
    let error: unknown;
    try {
      parseSince('yesterday', now);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(ExitCode.USAGE);
  });
});
