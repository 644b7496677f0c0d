import { describe, expect, it } from 'vitest';
import { toControlSessionInfo } from '../../src/control/control-session-info.js';
import type { ReadyInfo } from '../../src/types.js';

const ready: ReadyInfo = {
  receiverUrl: 'http://127.0.0.1:4343/webhook',
  stripeCli: { path: '/bin/stripe', version: '1.52.0', source: 'package' },
  events: ['invoice.paid'],
  eventsSource: 'handler',
  handlerPath: '/p/webhooks.ts',
  secret: 'whsec_abcdefghijklmnopqrstuvwxyz',
  showSecret: true,
  offline: true,
  apiBase: 'http://127.0.0.1:5000',
  publishUrl: 'http://127.0.0.1:5000/_webhook-dev/events',
  offlineApiKey: 'sk_test_offlineABCDEFGHIJKLMNOPQRSTUVWXYZ012345',
  offlineSocket: '/tmp/webhook-dev-stripe-42-abc/api.sock',
};

describe('toControlSessionInfo', () => {
  it('describes the session with nulls for what it lacks, and never the secret', () => {
    const info = toControlSessionInfo(ready, { pid: 42, startedAt: new Date('2026-01-02T03:04:05.000Z') });
    expect(info).toEqual({
      pid: 42,
      startedAt: '2026-01-02T03:04:05.000Z',
      receiverUrl: 'http://127.0.0.1:4343/webhook',
      offline: true,
      apiBase: 'http://127.0.0.1:5000',
      publishUrl: 'http://127.0.0.1:5000/_webhook-dev/events',
      offlineApiKey: 'sk_test_offlineABCDEFGHIJKLMNOPQRSTUVWXYZ012345',
      offlineSocket: '/tmp/webhook-dev-stripe-42-abc/api.sock',
      events: ['invoice.paid'],
      eventsSource: 'handler',
      handler: '/p/webhooks.ts',
      stripeCli: { path: '/bin/stripe', version: '1.52.0', source: 'package' },
      apiVersion: null,
    });
    expect(JSON.stringify(info)).not.toContain('whsec_');
  });

  it('gives null for the offline-only fields of an online session', () => {
    const { apiBase: _a, publishUrl: _p, offlineApiKey: _k, offlineSocket: _s, handlerPath: _h, ...online } = ready;
    const info = toControlSessionInfo({ ...online, offline: false, events: 'all-snapshot', apiVersion: '2026-10-28.endive' }, { pid: 1, startedAt: new Date(0) });
    expect(info).toMatchObject({ offline: false, apiBase: null, publishUrl: null, offlineApiKey: null, offlineSocket: null, handler: null, events: 'all-snapshot', apiVersion: '2026-10-28.endive' });
  });
});
