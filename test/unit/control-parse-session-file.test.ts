import { describe, expect, it } from 'vitest';
import { isLoopbackHttpUrl, parseSessionFile, type SessionFileInfo } from '../../src/control/parse-session-file.js';

const valid: SessionFileInfo = {
  version: 1,
  pid: 1234,
  controlUrl: 'http://127.0.0.1:40001',
  token: 'tok',
  startedAt: '2026-01-02T03:04:05.000Z',
  offline: true,
  apiBase: 'http://127.0.0.1:40002',
  receiverUrl: 'http://127.0.0.1:4343/webhook',
  cwd: '/project',
};

describe('parseSessionFile', () => {
  it('returns exactly the known fields of a valid file', () => {
    expect(parseSessionFile(JSON.stringify(valid))).toEqual(valid);
    expect(parseSessionFile(JSON.stringify({ ...valid, apiBase: null, extra: 'ignored' }))).toEqual({ ...valid, apiBase: null });
  });

  it.each([
    ['not JSON', '{"version":1,'],
    ['empty', ''],
    ['an array', '[]'],
    ['null', 'null'],
  ])('ignores text that is %s', (_label, text) => {
    expect(parseSessionFile(text)).toBeUndefined();
  });

  it.each<[string, Partial<Record<keyof SessionFileInfo, unknown>>]>([
    ['another version', { version: 2 }],
    ['pid 0, which would signal a process group', { pid: 0 }],
    ['a negative pid', { pid: -5 }],
    ['a fractional pid', { pid: 1.5 }],
    ['a pid as a string', { pid: '1234' }],
    ['an empty token', { token: '' }],
    ['no token', { token: undefined }],
    ['a startedAt that is not a date', { startedAt: 'yesterday' }],
    ['offline as a string', { offline: 'true' }],
    ['an apiBase that is a number', { apiBase: 5 }],
    ['no receiverUrl', { receiverUrl: undefined }],
    ['no cwd', { cwd: undefined }],
    ['a control URL on another host', { controlUrl: 'http://evil.example:40001' }],
    ['an https control URL', { controlUrl: 'https://127.0.0.1:40001' }],
    ['a control URL that is not a URL', { controlUrl: 'not a url' }],
  ])('rejects a file with %s', (_label, change) => {
    expect(parseSessionFile(JSON.stringify({ ...valid, ...change }))).toBeUndefined();
  });
});

describe('isLoopbackHttpUrl', () => {
  it.each(['http://127.0.0.1:1', 'http://127.1.2.3:80', 'http://localhost:9', 'http://[::1]:9'])('accepts %s', (url) => {
    expect(isLoopbackHttpUrl(url)).toBe(true);
  });

  it.each(['http://10.0.0.1:1', 'http://127.0.0.1.evil.example:1', 'http://user:pw@127.0.0.1:1', 'file:///etc/passwd', 'ws://127.0.0.1:1'])('refuses %s', (url) => {
    expect(isLoopbackHttpUrl(url)).toBe(false);
  });
});
