import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { parseForwardUrl } from '../../src/forwarder/parse-forward-url.js';

describe('parseForwardUrl', () => {
  it.each([
    ['http://localhost:3000/api/webhooks', 'http://localhost:3000/api/webhooks'],
    ['https://127.0.0.1:8443/hook?x=1', 'https://127.0.0.1:8443/hook?x=1'],
    ['HTTP://LOCALHOST:3000', 'http://localhost:3000/'],
    // As `stripe listen --forward-to` takes them.
    ['localhost:3000/webhook', 'http://localhost:3000/webhook'],
    ['127.0.0.1:4242', 'http://127.0.0.1:4242/'],
  ])('%s → %s', (input, expected) => {
    expect(parseForwardUrl(input)).toBe(expected);
  });

  it.each([
    ['ftp://localhost/webhook', /takes an http:\/\/ or https:\/\/ URL \(got "ftp:\/\/localhost\/webhook"\)/],
    ['http://', /takes your app's webhook URL/],
    ['localhost:port', /takes your app's webhook URL/],
  ])('%s is a usage error that says what it takes', (input, message) => {
    const error = (() => {
      try {
        parseForwardUrl(input);
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toMatch(message);
    expect((error as UsageError).hint).toMatch(/--forward-to http:\/\/localhost:3000\//);
  });

  it('masks a secret in the URL it quotes', () => {
    expect(() => parseForwardUrl('ftp://host/hook?key=sk_test_abcdefghijklmnop1234')).toThrow(/sk_test_…1234/);
  });
});
