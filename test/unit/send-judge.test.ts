import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { judgeSend } from '../../src/send/judge-send.js';
import type { Tamper } from '../../src/signature/delivery-headers.js';
import type { DeliveryRecord, ForwardResult, HandlerOutcome } from '../../src/types.js';

const event = { id: 'evt_1', object: 'event' as const, type: 'payment_intent.succeeded', created: 1, livemode: false, data: { object: {} } };

/** What send makes of the app's answer: a delivery whose forward is the answer. */
function appAnswer(statusCode: number, body = '', extra: Partial<ForwardResult> = {}): DeliveryRecord {
  const forward: ForwardResult = { url: 'http://127.0.0.1:3000/webhook', outcome: { status: 'response', statusCode, headers: {}, body, bodyTruncated: false }, durationMs: 3, ...extra };
  return { receivedAt: new Date(0), status: statusCode, verified: true, event, attempt: 1, forward, durationMs: 3 };
}

function sessionRecord({ rejected = false, outcome }: { rejected?: boolean; outcome?: HandlerOutcome } = {}): DeliveryRecord {
  return {
    receivedAt: new Date(0),
    status: rejected ? 400 : outcome?.status === 'error' ? 500 : 200,
    verified: !rejected,
    ...(rejected ? { rejection: { reason: 'signature_mismatch' as const, message: 'No signature matches the body' } } : {}),
    event,
    attempt: 1,
    ...(outcome ? { handler: { outcome, durationMs: 1, logs: [] } } : {}),
    durationMs: 1,
  };
}

const tampers: Tamper[] = [{ kind: 'stale', seconds: 600 }, { kind: 'bad-signature' }, { kind: 'no-signature' }, { kind: 'wrong-secret' }];

describe('judgeSend, a well-signed delivery', () => {
  it('passes when the app answers 2xx', () => {
    expect(judgeSend({ target: 'app', record: appAnswer(200, '{"received":true}') })).toEqual({ expected: 'accept', passed: true, exitCode: 0, message: 'the app accepted it: 200', details: [] });
  });

  it("fails with trigger's exit code 20 and the forwarder's diagnosis when the app refuses it", () => {
    const diagnosis = { cause: 'parsed-body' as const, summary: 'The app parsed the body first.', hints: ['Use express.raw'] };
    const verdict = judgeSend({ target: 'app', record: appAnswer(400, 'Webhook Error', { diagnosis }) });
    expect(verdict).toMatchObject({ expected: 'accept', passed: false, exitCode: ExitCode.TRIGGER_HANDLER_FAILED, message: 'the app answered 400 for payment_intent.succeeded' });
    expect(verdict.details).toEqual(['The app parsed the body first.', 'Use express.raw']);
  });

  it('fails a 2xx whose body says it failed, unless --status-only', () => {
    const refused = appAnswer(200, '{"success": false}', { refusal: { source: 'body', quote: '{"success": false}' } });
    expect(judgeSend({ target: 'app', record: refused })).toMatchObject({ passed: false, exitCode: 20 });
    expect(judgeSend({ target: 'app', record: refused, statusOnly: true })).toMatchObject({ passed: true, exitCode: 0 });
  });

  it('through the session: 21 when its receiver rejects it, 20 when the handler throws', () => {
    expect(judgeSend({ target: 'session', record: sessionRecord({ rejected: true }) })).toMatchObject({ passed: false, exitCode: ExitCode.TRIGGER_VERIFICATION_FAILED });
    const thrown: HandlerOutcome = { status: 'error', error: { name: 'Error', message: 'boom', location: 'webhooks.ts:3:9' } };
    expect(judgeSend({ target: 'session', record: sessionRecord({ outcome: thrown }) })).toMatchObject({ passed: false, exitCode: 20, details: ['at webhooks.ts:3:9'] });
    expect(judgeSend({ target: 'session', record: sessionRecord({ outcome: { status: 'ok', value: 1 } }) })).toMatchObject({ passed: true, message: 'the session accepted it: 200, handled' });
  });

  it('a timestamp within the default 300 s tolerance must be accepted, and the message says why', () => {
    const verdict = judgeSend({ target: 'app', tamper: { kind: 'stale', seconds: 300 }, record: appAnswer(400, 'Timestamp outside the tolerance zone') });
    expect(verdict).toMatchObject({ expected: 'accept', passed: false, exitCode: 20 });
    expect(verdict.message).toContain("within Stripe's default 300 s tolerance");
  });
});

describe('judgeSend, a tampered delivery', () => {
  it.each(tampers)('%j: a 4xx from the app passes', (tamper) => {
    const verdict = judgeSend({ target: 'app', tamper, record: appAnswer(400, 'Webhook Error: No signatures found\nmore') });
    expect(verdict).toMatchObject({ expected: 'refuse', passed: true, exitCode: 0, details: [] });
    expect(verdict.message).toMatch(/^the app refused a delivery with .+, as it should: 400 Webhook Error: No signatures found$/);
  });

  it.each(tampers)('%j: a 2xx from the app fails with exit 29 and says what is wrong', (tamper) => {
    const verdict = judgeSend({ target: 'app', tamper, record: appAnswer(200, '{"received":true}') });
    expect(verdict).toMatchObject({ expected: 'refuse', passed: false, exitCode: ExitCode.SEND_TAMPERED_ACCEPTED });
    expect(verdict.message).toMatch(/^the app accepted a delivery with .+ \(200\): it would act on a forged event$/);
    expect(verdict.details.join('\n')).toMatch(tamper.kind === 'stale' ? /replayed/ : /constructEvent/);
  });

  it('a 5xx is a refusal Stripe would retry: exit 20', () => {
    const verdict = judgeSend({ target: 'app', tamper: { kind: 'no-signature' }, record: appAnswer(500) });
    expect(verdict).toMatchObject({ passed: false, exitCode: 20, message: 'the app answered 500 to a delivery with no Stripe-Signature header: it should refuse it with a 4xx' });
    expect(verdict.details[0]).toContain('retries');
  });

  it('a 2xx whose body refuses it passes, with advice to answer 400', () => {
    const verdict = judgeSend({ target: 'app', tamper: { kind: 'bad-signature' }, record: appAnswer(200, '{"success": false}', { refusal: { source: 'body', quote: '{"success": false}' } }) });
    expect(verdict).toMatchObject({ passed: true, exitCode: 0 });
    expect(verdict.details[0]).toContain('answer 400');
  });

  it('an unreachable app fails with exit 20', () => {
    const record: DeliveryRecord = { ...appAnswer(0), status: 502, forward: { url: 'http://127.0.0.1:1/webhook', outcome: { status: 'failed', kind: 'connection-refused', message: 'Connection refused' }, durationMs: 1 } };
    expect(judgeSend({ target: 'app', tamper: { kind: 'wrong-secret' }, record })).toMatchObject({ passed: false, exitCode: 20, message: 'the app could not be reached (Connection refused)' });
  });

  it('through the session: its rejection passes; a session that verified it fails with exit 29', () => {
    expect(judgeSend({ target: 'session', tamper: { kind: 'stale', seconds: 900 }, record: sessionRecord({ rejected: true }) })).toMatchObject({ passed: true, message: expect.stringContaining('the session refused') });
    expect(judgeSend({ target: 'session', tamper: { kind: 'stale', seconds: 900 }, record: sessionRecord() })).toMatchObject({ passed: false, exitCode: 29 });
  });
});
