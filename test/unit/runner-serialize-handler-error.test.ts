import { describe, expect, it } from 'vitest';
import { describeThrown, serializeHandlerError } from '../../src/runner/serialize-handler-error.js';

describe('serializeHandlerError', () => {
  it('finds the user frame, shows it relative to cwd, and reads the source line', async () => {
    const error = new Error('boom');
    error.stack = 'Error: boom\n    at x (/own/src/runner/run-handler.ts:1:1)\n    at handler (/app/src/webhooks.ts:2:5)';
    const reads: string[] = [];
    const result = await serializeHandlerError(error, {
      cwd: '/app',
      ownRoot: '/own',
      readText: async (file) => {
        reads.push(file);
        return "line one\n    throw new Error('boom');\nline three";
      },
    });
    expect(result).toMatchObject({ name: 'Error', message: 'boom', location: 'src/webhooks.ts:2:5', sourceLine: "throw new Error('boom');" });
    expect(reads).toEqual(['/app/src/webhooks.ts']);
  });

  it('an unreadable file still gives the location', async () => {
    const error = new Error('boom');
    error.stack = 'Error: boom\n    at handler (/app/a.ts:2:5)';
    const result = await serializeHandlerError(error, { cwd: '/app', ownRoot: '/own', readText: () => Promise.reject(new Error('ENOENT')) });
    expect(result.location).toBe('a.ts:2:5');
    expect(result.sourceLine).toBeUndefined();
  });
});

describe('describeThrown', () => {
  it('keeps name, message, string or numeric code, and stack', () => {
    const error = Object.assign(new TypeError('bad'), { code: 42 });
    expect(describeThrown(error)).toMatchObject({ name: 'TypeError', message: 'bad', code: '42', stack: expect.stringContaining('TypeError: bad') });
  });

  it('accepts error-like objects from other realms', () => {
    expect(describeThrown({ name: 'StripeError', message: 'no such customer', stack: 'StripeError: no such customer', code: 'resource_missing' })).toEqual({
      name: 'StripeError',
      message: 'no such customer',
      code: 'resource_missing',
      stack: 'StripeError: no such customer',
    });
  });

  it('masks secrets in the stack too', () => {
    const error = new Error(`with ${'rk_live_'}abcdefghijklmnop9876`);
    expect(describeThrown(error).stack).not.toContain('abcdefghijklmnop9876');
  });

  it.each([
    [null, 'Thrown null', 'null'],
    [[1, 2], 'Thrown array', '[ 1, 2 ]'],
    [7, 'Thrown number', '7'],
  ])('%j', (value, name, message) => {
    expect(describeThrown(value)).toEqual({ name, message });
  });
});
