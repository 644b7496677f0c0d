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

  it('keeps the recorded start times and children, dropping any child it could not safely signal', () => {
    const children = [
      { pid: 4321, group: false, start: '153541' },
      { pid: 4400, group: true, start: '153648', extra: 'ignored' },
      { pid: 1, group: false, start: '1' },
      { pid: -4400, group: true, start: '1' },
      { pid: 4500, group: 'yes', start: '1' },
      { pid: 4600, group: false, start: 'soon' },
      { pid: 4700, group: false },
      'not a child',
    ];
    expect(parseSessionFile(JSON.stringify({ ...valid, processStart: '150000', children }))).toEqual({
      ...valid,
      processStart: '150000',
      children: [
        { pid: 4321, group: false, start: '153541' },
        { pid: 4400, group: true, start: '153648' },
      ],
    });
    // Optional within version 1: absent, or of the wrong type, they are left out.
    expect(parseSessionFile(JSON.stringify({ ...valid, processStart: 150000, children: 'none' }))).toEqual(valid);
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
