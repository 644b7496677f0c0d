import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { StripeCliExitedError, UsageError } from '../../src/errors.js';
import { BUG_HINT, formatError, serializeFailure } from '../../src/render/format-error.js';

const colors = new Chalk({ level: 0 });

function cliExited(): StripeCliExitedError {
  return new StripeCliExitedError('The Stripe CLI exited with code 1 before it was ready.', {
    hint: 'Run `stripe login`, or try --offline.',
    details: ['level=fatal msg="api key sk_test_abcdefghijklmnop1234 expired"', 'exit status 1'],
  });
}

describe('formatError', () => {
  it('a WebhookDevError: message, redacted details, then the hint', () => {
    expect(formatError(cliExited(), { colors })).toEqual([
      '✗ The Stripe CLI exited with code 1 before it was ready.',
      '    level=fatal msg="api key sk_test_…1234 expired"',
      '    exit status 1',
      '  hint: Run `stripe login`, or try --offline.',
    ]);
  });

  it('a WebhookDevError without hint or details is one line; its cause is named', () => {
    expect(formatError(new UsageError('Unknown option --foo'), { colors })).toEqual(['✗ Unknown option --foo']);
    const withCause = new UsageError('Cannot read the env file', { cause: new Error('EACCES: permission denied') });
    expect(formatError(withCause, { colors })).toContain('    cause: Error: EACCES: permission denied');
  });

  it('a bug: the stack and a request to report it', () => {
    const bug = new TypeError('reporter.x is not a function');
    const lines = formatError(bug, { colors });
    expect(lines[0]).toBe('✗ Internal error: TypeError: reporter.x is not a function');
    expect(lines.some((line) => /^ {4}at .*render-format-error\.test\.ts/.test(line))).toBe(true);
    expect(lines.at(-1)).toBe(`  hint: ${BUG_HINT}`);
  });

  it('a thrown non-error is still described', () => {
    expect(formatError('boom', { colors })[0]).toBe('✗ Internal error: boom');
    expect(formatError({ weird: 1 }, { colors })[0]).toBe('✗ Internal error: non-error thrown: { weird: 1 }');
  });

  it('colors the symbol when allowed', () => {
    expect(formatError(cliExited(), { colors: new Chalk({ level: 1 }) })[0]).toMatch(/^\u001b\[31m✗\u001b\[39m/);
  });
});

describe('serializeFailure', () => {
  it('keeps code, exit code, hint and redacted details', () => {
    expect(serializeFailure(cliExited())).toEqual({
      code: 'STRIPE_CLI_EXITED',
      exitCode: 7,
      message: 'The Stripe CLI exited with code 1 before it was ready.',
      hint: 'Run `stripe login`, or try --offline.',
      details: ['level=fatal msg="api key sk_test_…1234 expired"', 'exit status 1'],
    });
  });

  it('maps bugs to INTERNAL, exit code 1, with stack frames as details', () => {
    const failure = serializeFailure(new Error('whsec_abcdefghijklmnopqrst leaked'));
    expect(failure).toMatchObject({ code: 'INTERNAL', exitCode: 1, message: 'Error: whsec_…qrst leaked', hint: BUG_HINT });
    expect(failure.details[0]).toMatch(/^at /);
  });
});
