import { describe, expect, it } from 'vitest';
import { portTarget } from '../../src/app/wait-for-port.js';
import { UsageError } from '../../src/errors.js';

describe('portTarget', () => {
  it.each([
    ['http://localhost:3000/webhooks', { label: 'localhost:3000', hosts: ['127.0.0.1', '::1'], port: 3000 }],
    ['http://127.0.0.1:8080', { label: '127.0.0.1:8080', hosts: ['127.0.0.1'], port: 8080 }],
    ['http://[::1]:4000/x', { label: '[::1]:4000', hosts: ['::1'], port: 4000 }],
    ['http://0.0.0.0:5000', { label: '0.0.0.0:5000', hosts: ['127.0.0.1'], port: 5000 }],
    ['http://app.internal/hook', { label: 'app.internal:80', hosts: ['app.internal'], port: 80 }],
    ['https://localhost/hook', { label: 'localhost:443', hosts: ['127.0.0.1', '::1'], port: 443 }],
  ])('%s', (url, expected) => {
    expect(portTarget(url)).toEqual(expected);
  });

  it('rejects what is not a URL with a usage error', () => {
    expect(() => portTarget('localhost:3000/webhooks')).toThrow(UsageError);
    expect(() => portTarget('3000')).toThrow('"3000" is not an http:// or https:// URL.');
  });
});
