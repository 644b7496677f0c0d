import { describe, expect, it } from 'vitest';
import { createTriggerEventCollector } from '../../src/trigger/collect-trigger-events.js';
import { handlerLoadReports, judgeTrigger, VERDICT_EXIT_CODE, worstVerdict } from '../../src/trigger/trigger-verdict.js';
import { HandlerLoadError } from '../../src/errors.js';
import { escapeXml, toJunitXml } from '../../src/trigger/junit-report.js';
import type { DeliveryRecord, ForwardResult, HandlerOutcome } from '../../src/types.js';

function delivery(type: string, outcome?: HandlerOutcome, rejected = false): DeliveryRecord {
  return {
    receivedAt: new Date(0),
    status: rejected ? 400 : outcome?.status === 'error' || outcome?.status === 'timeout' ? 500 : 200,
    verified: !rejected,
    ...(rejected ? { rejection: { reason: 'signature_mismatch' as const, message: 'Signature mismatch' } } : {}),
    event: { id: `evt_${type}`, object: 'event', type, created: 1, livemode: false, data: { object: {} } },
    attempt: 1,
    ...(outcome ? { handler: { outcome, durationMs: 1, logs: [] } } : {}),
    durationMs: 1,
  };
}
const ok: HandlerOutcome = { status: 'ok', value: 1 };
const thrown: HandlerOutcome = { status: 'error', error: { name: 'Error', message: 'boom', location: 'src/h.ts:3:9', sourceLine: "throw new Error('boom')" } };

describe('createTriggerEventCollector', () => {
  it('is complete once every expected type has arrived, whatever else comes', () => {
    const collector = createTriggerEventCollector(['payment_intent.succeeded']);
    collector.add(delivery('payment_intent.created', ok));
    expect(collector.complete()).toBe(false);
    expect(collector.missing()).toEqual(['payment_intent.succeeded']);
    collector.add(delivery('payment_intent.succeeded', ok));
    expect(collector.complete()).toBe(true);
    expect(collector.deliveries().map((d) => d.event?.type)).toEqual(['payment_intent.created', 'payment_intent.succeeded']);
  });
});

describe('judgeTrigger on forwarded deliveries', () => {
  const base = { stripeOk: true, missing: [], timeoutMs: 30_000 };
  const said = '⚠️  Webhook signature verification failed.No signatures found matching the expected signature for payload';
  const diagnosis = { cause: 'secret-mismatch-or-parsed-body' as const, summary: 'The app used another secret.', hints: ['Read STRIPE_WEBHOOK_SECRET.'] };
  const forwarded = (type: string, statusCode: number, extra: Partial<ForwardResult> = {}): DeliveryRecord => ({
    ...delivery(type),
    status: statusCode,
    forward: { url: 'http://127.0.0.1:4242/webhook', outcome: { status: 'response', statusCode, headers: {}, body: '{"success":false}', bodyTruncated: false }, durationMs: 3, ...extra },
  });

  it("fails a 2xx that said otherwise, quoting the app (Stripe's Flask sample)", () => {
    const result = judgeTrigger({ ...base, deliveries: [forwarded('payment_intent.succeeded', 200, { refusal: { source: 'app-output', quote: said }, diagnosis })] });
    expect(result.verdict).toBe('handler-failed');
    expect(VERDICT_EXIT_CODE[result.verdict]).toBe(20);
    expect(result.failures[0]?.message).toBe(`the app answered 200 for payment_intent.succeeded but said: ${said}`);
    expect(result.failures[0]?.details).toEqual(['The app used another secret.', 'Read STRIPE_WEBHOOK_SECRET.']);
  });

  it('gives the full diagnosis once per cause, a one-line reference after', () => {
    const result = judgeTrigger({ ...base, deliveries: [forwarded('a', 400, { diagnosis }), forwarded('b', 400, { diagnosis })] });
    expect(result.failures.map((failure) => failure.details)).toEqual([['The app used another secret.', 'Read STRIPE_WEBHOOK_SECRET.'], ['The app used another secret. (see above)']]);
  });

  it('passes such a 2xx with statusOnly, and still fails a 400', () => {
    const refused = forwarded('a', 200, { refusal: { source: 'body', quote: '{"success": false}' }, diagnosis });
    expect(judgeTrigger({ ...base, statusOnly: true, deliveries: [refused] })).toEqual({ verdict: 'passed', failures: [] });
    expect(judgeTrigger({ ...base, statusOnly: true, deliveries: [forwarded('a', 400, { diagnosis })] }).verdict).toBe('handler-failed');
  });
});

describe('judgeTrigger', () => {
  const base = { stripeOk: true, missing: [], timeoutMs: 30_000 };
  it('passes when everything arrived and every handler succeeded', () => {
    expect(judgeTrigger({ ...base, deliveries: [delivery('a', ok), delivery('b', { status: 'unhandled' })] })).toEqual({ verdict: 'passed', failures: [] });
  });
  it('names a handler failure with the user line', () => {
    const result = judgeTrigger({ ...base, deliveries: [delivery('a', thrown)] });
    expect(result.verdict).toBe('handler-failed');
    expect(result.failures[0]).toMatchObject({ message: 'a handler threw Error: boom', details: ['at src/h.ts:3:9', "throw new Error('boom')"], eventType: 'a' });
  });
  it('counts a handler timeout as a handler failure', () => {
    expect(judgeTrigger({ ...base, deliveries: [delivery('a', { status: 'timeout', timeoutMs: 10 })] }).verdict).toBe('handler-failed');
  });
  it('a rejected delivery is a verification failure, worse than a handler failure', () => {
    expect(judgeTrigger({ ...base, deliveries: [delivery('a', thrown), delivery('b', undefined, true)] }).verdict).toBe('verification-failed');
  });
  it('missing expected events are a timeout', () => {
    const result = judgeTrigger({ ...base, missing: ['invoice.paid'], deliveries: [] });
    expect(result).toMatchObject({ verdict: 'timeout', failures: [{ message: 'no invoice.paid event within 30 s' }] });
  });
  it('a failed stripe trigger wins and does not also report the events it never caused', () => {
    const result = judgeTrigger({ ...base, stripeOk: false, stripeMessage: 'Request failed, status=404', missing: ['x'], deliveries: [] });
    expect(result.verdict).toBe('trigger-failed');
    expect(result.failures).toHaveLength(1);
  });
  it('maps verdicts to distinct exit codes, and the worst of several wins', () => {
    expect(new Set(Object.values(VERDICT_EXIT_CODE)).size).toBe(6);
    expect(worstVerdict(['passed', 'timeout', 'handler-failed'])).toBe('handler-failed');
    expect(worstVerdict(['trigger-failed', 'handler-load'])).toBe('handler-load');
    expect(worstVerdict([])).toBe('passed');
  });
});

describe('handlerLoadReports', () => {
  it('fails every planned trigger once as handler-load, with the load error and its location', () => {
    const error = new HandlerLoadError('Could not load the handler h.ts: Unexpected ";"', { details: ['at h.ts:1:44'] });
    const reports = handlerLoadReports([{ trigger: 'payment_intent.succeeded', expected: ['payment_intent.succeeded'] }], error);
    expect(reports).toEqual([
      expect.objectContaining({ verdict: 'handler-load', deliveries: [], missing: ['payment_intent.succeeded'], failures: [{ verdict: 'handler-load', message: error.message, details: ['at h.ts:1:44'] }] }),
    ]);
    expect(VERDICT_EXIT_CODE['handler-load']).toBe(11);
  });

  it('leaves other errors alone', () => {
    expect(handlerLoadReports([{ trigger: 'x', expected: ['x'] }], new Error('boom'))).toBeUndefined();
  });
});

describe('toJunitXml', () => {
  it('writes one test case per trigger, failures and errors apart, escaped', () => {
    const xml = toJunitXml(
      [
        { trigger: 'customer.created', verdict: 'passed', durationMs: 1200, failures: [], eventLines: ['customer.created evt_1 ok'] },
        { trigger: 'charge.succeeded', verdict: 'handler-failed', durationMs: 800, failures: [{ verdict: 'handler-failed', message: 'charge.succeeded handler threw Error: <bad> & "worse"', details: ['at src/h.ts:3:9'] }], eventLines: [] },
        { trigger: 'issuing_card.created', verdict: 'trigger-failed', durationMs: 100, failures: [{ verdict: 'trigger-failed', message: 'stripe trigger failed: 404' }], eventLines: [] },
      ],
      { timestamp: new Date('2026-11-25T10:00:00Z') },
    );
    expect(xml).toContain('<testsuites name="webhook-dev trigger" tests="3" failures="1" errors="1" time="2.100">');
    expect(xml).toContain('<testcase classname="webhook-dev.trigger" name="customer.created" time="1.200">');
    expect(xml).toContain('<failure type="handler-failed" message="charge.succeeded handler threw Error: &lt;bad&gt; &amp; &quot;worse&quot;">');
    expect(xml).toContain('  at src/h.ts:3:9</failure>');
    expect(xml).toContain('<error type="trigger-failed" message="stripe trigger failed: 404">');
    expect(xml).toContain('<system-out>customer.created evt_1 ok</system-out>');
  });
  it('masks secrets and drops characters XML cannot carry', () => {
    expect(escapeXml('key sk_test_abcdefghijkl \u0001done')).toBe('key sk_test_…ijkl done');
  });
});

describe('judgeTrigger with forwarding', () => {
  it("an app that refuses the event fails the trigger like a handler, with the diagnosis", () => {
    const record = delivery('a', undefined);
    record.forward = {
      url: 'http://127.0.0.1:3000/hook',
      outcome: { status: 'response', statusCode: 400, headers: {}, body: 'Webhook Error', bodyTruncated: false },
      durationMs: 3,
      diagnosis: { cause: 'parsed-body', summary: 'the app parsed the body before verifying it', hints: ['use express.raw'] },
    };
    const result = judgeTrigger({ stripeOk: true, missing: [], timeoutMs: 1000, deliveries: [record] });
    expect(result).toMatchObject({ verdict: 'handler-failed', failures: [{ message: 'the app answered 400 for a', details: ['the app parsed the body before verifying it', 'use express.raw'] }] });
  });
});

describe('judgeTrigger with delivery quirks', () => {
  const base = { stripeOk: true, missing: [], timeoutMs: 30_000 };
  const attempt = (n: number, outcome: HandlerOutcome, quirks?: DeliveryRecord['quirks']): DeliveryRecord => ({ ...delivery('invoice.paid', outcome), attempt: n, ...(quirks ? { quirks } : {}) });

  it('passes an event whose retry succeeded, its failed attempts shown but not held against it', () => {
    const deliveries = [attempt(1, thrown), attempt(2, thrown, { retry: true }), attempt(3, ok, { retry: true })];
    expect(judgeTrigger({ ...base, deliveries })).toEqual({ verdict: 'passed', failures: [] });
  });

  it('fails an event given up on', () => {
    const deliveries = [attempt(1, thrown), attempt(2, thrown, { retry: true })];
    const verdict = judgeTrigger({ ...base, deliveries });
    expect(verdict.verdict).toBe('handler-failed');
    expect(verdict.failures).toHaveLength(2);
  });

  it('fails a duplicate copy the handler threw on, even once the original succeeded', () => {
    const deliveries = [attempt(1, ok), attempt(1, thrown, { duplicate: true })];
    expect(judgeTrigger({ ...base, deliveries }).verdict).toBe('handler-failed');
  });

  it('passes an event delivered twice when both went well', () => {
    const deliveries = [attempt(1, ok), attempt(1, ok, { duplicate: true })];
    expect(judgeTrigger({ ...base, deliveries })).toEqual({ verdict: 'passed', failures: [] });
  });
});
