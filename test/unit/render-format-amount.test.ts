import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAmount, minorUnitDigits } from '../../src/render/format-amount.js';

describe('formatAmount', () => {
  it.each([
    [2000, 'usd', '$20.00'],
    [1250, 'EUR', '€12.50'],
    [2000, 'jpy', '¥2,000'],
    [5000, 'krw', '₩5,000'],
    [1500, 'kwd', 'KWD 1.500'],
    [123456, 'gbp', '£1,234.56'],
    [-500, 'usd', '-$5.00'],
    [0, 'usd', '$0.00'],
  ])('%d %s → %s', (amount, currency, expected) => {
    expect(formatAmount(amount, currency)).toBe(expected);
  });

  it('falls back to the raw minor units and code for currencies Intl does not know', () => {
    expect(formatAmount(2000, 'xyz')).toBe('2000 xyz');
    expect(formatAmount(2000, 'not-a-code')).toBe('2000 not-a-code');
  });

  it('shows the bare number when the currency is missing', () => {
    expect(formatAmount(2000, undefined)).toBe('2000');
    expect(formatAmount(2000, '')).toBe('2000');
  });

  it("uses Stripe's minor-unit lists, not ISO's", () => {
    expect(minorUnitDigits('JPY')).toBe(0);
    expect(minorUnitDigits('xof')).toBe(0);
    expect(minorUnitDigits('bhd')).toBe(3);
    // ISK is zero-decimal in ISO 4217 but two-decimal in Stripe's API.
    expect(minorUnitDigits('isk')).toBe(2);
    expect(formatAmount(10000, 'isk')).toMatch(/100\.00/);
  });
});

describe('formatAmount without Intl for the common currencies', () => {
  it('agrees with Intl en-US currency formatting for usd, eur and gbp', () => {
    const intl = (amount: number, code: string) =>
      new Intl.NumberFormat('en-US', { style: 'currency', currency: code.toUpperCase(), minimumFractionDigits: 2, maximumFractionDigits: 2 })
        .format(amount / 100)
        .replace(/\u00a0/g, ' ');
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.integer({ min: -(2 ** 50), max: 2 ** 50 })), fc.constantFrom('usd', 'eur', 'gbp', 'USD'), (amount, code) => {
        expect(formatAmount(amount, code)).toBe(intl(amount, code));
      }),
      { numRuns: 2_000 },
    );
  });
});
