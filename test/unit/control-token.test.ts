import { describe, expect, it } from 'vitest';
import { isAllowedHost, urlHost } from '../../src/control/allowed-host.js';
import { createControlToken, presentedToken, tokenMatches } from '../../src/control/control-token.js';

describe('control token', () => {
  it('creates 32 random bytes as base64url, different every time', () => {
    const a = createControlToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(createControlToken()).not.toBe(a);
  });

  it.each([
    ['the same token', 'abc123', true],
    ['another token of the same length', 'abc124', false],
    ['a prefix', 'abc12', false],
    ['a longer token', 'abc1234', false],
    ['an empty string', '', false],
    ['nothing', undefined, false],
  ])('matches only the exact token: %s', (_label, presented, expected) => {
    expect(tokenMatches('abc123', presented)).toBe(expected);
  });

  it('reads a Bearer header first, then ?token=', () => {
    const query = new URLSearchParams('token=from-query');
    expect(presentedToken('Bearer from-header', query)).toBe('from-header');
    expect(presentedToken('bearer  from-header ', query)).toBe('from-header');
    expect(presentedToken(undefined, query)).toBe('from-query');
    expect(presentedToken('Basic dXNlcjpwYXNz', new URLSearchParams())).toBeUndefined();
    expect(presentedToken('Bearer', new URLSearchParams())).toBeUndefined();
    expect(presentedToken(undefined, new URLSearchParams())).toBeUndefined();
  });
});

describe('isAllowedHost', () => {
  const bound = { host: '127.0.0.1', port: 4567 };

  it.each(['127.0.0.1:4567', 'localhost:4567', 'LOCALHOST:4567', '[::1]:4567'])('accepts %s', (host) => {
    expect(isAllowedHost(host, bound)).toBe(true);
  });

  it.each([
    ['a rebinding domain', 'evil.example:4567'],
    ['a loopback name on another port', '127.0.0.1:4568'],
    ['no port', 'localhost'],
    ['a subdomain of localhost-like text', 'localhost.evil.example:4567'],
    ['an empty header', ''],
    ['no header', undefined],
  ])('refuses %s', (_label, host) => {
    expect(isAllowedHost(host, bound)).toBe(false);
  });

  it('also accepts the address it was bound to', () => {
    expect(isAllowedHost('[::1]:80', { host: '::1', port: 80 })).toBe(true);
    expect(isAllowedHost('127.0.0.2:80', { host: '127.0.0.2', port: 80 })).toBe(true);
    expect(urlHost('::1')).toBe('[::1]');
    expect(urlHost('127.0.0.1')).toBe('127.0.0.1');
  });
});
