import { describe, expect, it } from 'vitest';
import { countDelivery, emptyCounts } from '../../src/session/session-stats.js';
import type { DeliveryRecord, ForwardResult } from '../../src/types.js';

const base: DeliveryRecord = { receivedAt: new Date(0), status: 200, verified: true, attempt: 1, durationMs: 1 };
const forward = (outcome: ForwardResult['outcome']): ForwardResult => ({ url: 'http://127.0.0.1:1/', outcome, durationMs: 1 });

describe('countDelivery', () => {
  it.each([
    ['inspected', base, { ok: 1, failed: 0, rejected: 0 }],
    ['handler ok', { ...base, handler: { outcome: { status: 'ok', value: 1 }, durationMs: 1, logs: [] } }, { ok: 1, failed: 0, rejected: 0 }],
    ['handler threw', { ...base, handler: { outcome: { status: 'error', error: { name: 'E', message: 'm' } }, durationMs: 1, logs: [] } }, { ok: 0, failed: 1, rejected: 0 }],
    ['app 200', { ...base, forward: forward({ status: 'response', statusCode: 200, headers: {}, body: '', bodyTruncated: false }) }, { ok: 1, failed: 0, rejected: 0 }],
    ['app 400', { ...base, forward: forward({ status: 'response', statusCode: 400, headers: {}, body: '', bodyTruncated: false }) }, { ok: 0, failed: 1, rejected: 0, appFailures: { 'the app answered 400': 1 } }],
    ['app 200 that said otherwise', { ...base, forward: { ...forward({ status: 'response', statusCode: 200, headers: {}, body: '{"success":false}', bodyTruncated: false }), refusal: { source: 'body', quote: '{"success": false}' } } }, { ok: 0, failed: 1, rejected: 0, appFailures: { 'the app answered 200 but reported a failure': 1 } }],
    ['app down', { ...base, forward: forward({ status: 'failed', kind: 'connection-refused', message: 'x' }) }, { ok: 0, failed: 1, rejected: 0, appFailures: { 'the app could not be reached': 1 } }],
    ['rejected', { ...base, verified: false, status: 400, rejection: { reason: 'missing_header' as const, message: 'm' } }, { ok: 0, failed: 0, rejected: 1 }],
  ] as Array<[string, DeliveryRecord, { ok: number; failed: number; rejected: number; appFailures?: Record<string, number> }]>)('%s', (_name, record, expected) => {
    expect(countDelivery(emptyCounts(), record)).toEqual({ events: 1, ...expected });
  });

  it('adds up what the app did across deliveries', () => {
    const answered = (statusCode: number) => ({ ...base, forward: forward({ status: 'response', statusCode, headers: {}, body: '', bodyTruncated: false }) });
    const counts = [answered(400), answered(400), answered(200), answered(500)].reduce(countDelivery, emptyCounts());
    expect(counts).toEqual({ events: 4, ok: 1, failed: 3, rejected: 0, appFailures: { 'the app answered 400': 2, 'the app answered 500': 1 } });
  });
});
