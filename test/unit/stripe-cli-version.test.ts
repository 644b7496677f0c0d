import { describe, expect, it } from 'vitest';
import {
  MIN_STRIPE_CLI_VERSION,
  compareVersions,
  isSupportedStripeVersion,
  parseStripeVersion,
} from '../../src/stripe-cli/stripe-cli-version.js';

describe('parseStripeVersion', () => {
  it.each([
    ['stripe version 1.52.0\n', '1.52.0'],
    ['stripe version 1.52.0\nChecking for new versions...\n\n', '1.52.0'],
    ['stripe version v1.21.11', '1.21.11'],
    ['stripe version 1.53.0-beta.2\n', '1.53.0-beta.2'],
    ['stripe version master\n', 'master'],
    ['hello from something else\n', undefined],
    ['', undefined],
  ])('%j → %s', (output, expected) => {
    expect(parseStripeVersion(output)).toBe(expected);
  });
});

describe('compareVersions', () => {
  it.each([
    ['1.52.0', '1.52.0', 0],
    ['1.52.0', '1.51.0', 1],
    ['1.51.0', '1.52.0', -1],
    ['1.9.0', '1.10.0', -1],
    ['2.0.0', '1.99.99', 1],
    ['1.51.0-rc.1', '1.51.0', -1],
    ['1.51.0', '1.51.0-rc.1', 1],
    ['1.51.0-rc.1', '1.51.0-rc.2', -1],
    ['v1.51.0', '1.51.0', 0],
  ])('%s vs %s → %i', (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
  });
});

describe('isSupportedStripeVersion', () => {
  it('accepts the minimum, newer releases and dev builds', () => {
    expect(isSupportedStripeVersion(MIN_STRIPE_CLI_VERSION)).toBe(true);
    expect(isSupportedStripeVersion('1.52.0')).toBe(true);
    expect(isSupportedStripeVersion('master')).toBe(true);
  });

  it('refuses releases without --all-snapshot', () => {
    expect(isSupportedStripeVersion('1.50.11')).toBe(false);
    expect(isSupportedStripeVersion('1.10.0')).toBe(false);
  });

  it('the bundled CLI is new enough', () => {
    expect(MIN_STRIPE_CLI_VERSION).toBe('1.51.0');
    expect(isSupportedStripeVersion('1.52.0')).toBe(true);
  });
});
