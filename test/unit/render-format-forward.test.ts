import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { formatDelivery } from '../../src/render/format-delivery.js';
import type { DeliveryRecord, ForwardResult } from '../../src/types.js';

const options = { colors: new Chalk({ level: 0 }), cwd: '/home/dev/shop', timeZone: 'UTC' };

function forwarded(forward: Partial<ForwardResult> & Pick<ForwardResult, 'outcome'>): DeliveryRecord {
  return {
    receivedAt: new Date('2026-11-30T13:04:05Z'),
    status: forward.outcome.status === 'response' ? forward.outcome.statusCode : 502,
    verified: true,
    event: { id: 'evt_2', object: 'event', type: 'charge.succeeded', created: 1, livemode: false, data: { object: {} } },
    attempt: 1,
    forward: { url: 'http://127.0.0.1:4242/webhook', durationMs: 4, ...forward },
    durationMs: 5,
  };
}
const answer = (statusCode: number, body: string) => ({ status: 'response' as const, statusCode, headers: { 'content-type': 'application/json' }, body, bodyTruncated: false });
const diagnosis = { cause: 'secret-mismatch-or-parsed-body' as const, summary: 'The app used another secret (HTTP 200, yet it reported a failure).', hints: ['Read STRIPE_WEBHOOK_SECRET.', 'Flask: verify request.get_data().'] };

describe('formatDelivery for a forward', () => {
  it('shows a 2xx that said otherwise as failed, with what gave it away and the full diagnosis', () => {
    const said = '⚠️  Webhook signature verification failed.No signatures found matching the expected signature for payload';
    const lines = formatDelivery(forwarded({ outcome: answer(200, '{"success": false}'), refusal: { source: 'app-output', quote: said }, diagnosis }), options);
    expect(lines.slice(1)).toEqual([
      '          ✗ app 200 4 ms  http://127.0.0.1:4242/webhook',
      '            │ {',
      '            │   "success": false',
      '            │ }',
      `            a 2xx, yet the app said: ${said}`,
      '            likely cause: The app used another secret (HTTP 200, yet it reported a failure).',
      '              • Read STRIPE_WEBHOOK_SECRET.',
      '              • Flask: verify request.get_data().',
    ]);
  });

  it('gives a repeated cause one line that points back at the first event', () => {
    const lines = formatDelivery(forwarded({ outcome: answer(400, 'Bad Request'), diagnosis: { ...diagnosis, repeatOf: 'evt_1' } }), options);
    expect(lines.at(-1)).toBe('            likely cause: The app used another secret (HTTP 200, yet it reported a failure). (same as evt_1 above)');
    expect(lines.join('\n')).not.toContain('•');
  });

  it('keeps a healthy 2xx green and quiet', () => {
    const lines = formatDelivery(forwarded({ outcome: answer(200, '{"received":true}') }), options);
    expect(lines.slice(1)).toEqual(['          ✓ app 200 4 ms  http://127.0.0.1:4242/webhook', '            │ {', '            │   "received": true', '            │ }']);
  });
});
