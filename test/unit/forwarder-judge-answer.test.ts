import { describe, expect, it } from 'vitest';
import { forwardFailed, judgeAnswer, refusalInBody } from '../../src/forwarder/judge-answer.js';
import { isFailureLine } from '../../src/forwarder/failure-patterns.js';
import type { AttributedLine, ForwardOutcome } from '../../src/types.js';

type AppResponse = Extract<ForwardOutcome, { status: 'response' }>;
const response = (statusCode: number, body = ''): AppResponse => ({ status: 'response', statusCode, headers: {}, body, bodyTruncated: false });
const line = (text: string, how: AttributedLine['how'] = 'in-flight'): AttributedLine => ({ stream: 'stdout', line: text, how });

describe('refusalInBody', () => {
  it.each([
    ['{"success": false}', '{"success": false}'],
    ['{"ok":false,"reason":"x"}', '{"ok": false}'],
    ['{"received": false}', '{"received": false}'],
    ['{"error": "Webhook Error: bad"}', '{"error": "Webhook Error: bad"}'],
    ['{"error": {"message": "nope"}}', '{"error": {"message":"nope"}}'],
  ])('finds a refusal in %s', (body, quote) => {
    expect(refusalInBody(response(200, body))).toEqual({ source: 'body', quote });
  });

  it.each([['{"received": true}'], ['{"success": true, "error": null}'], ['{"error": ""}'], ['{"error": false}'], ['[]'], ['ok'], [''], ['{not json'], ['{"data": {"success": false}}']])('accepts %s', (body) => {
    expect(refusalInBody(response(200, body))).toBeUndefined();
  });
});

describe('judgeAnswer', () => {
  it('judges only 2xx answers: the status already fails the others', () => {
    expect(judgeAnswer(response(400, '{"success": false}'))).toBeUndefined();
    expect(judgeAnswer(response(302, '{"error": "x"}'))).toBeUndefined();
  });

  it("prefers the app's own words to the body, and quotes them", () => {
    const said = '⚠️  Webhook signature verification failed.No signatures found matching the expected signature for payload';
    expect(judgeAnswer(response(200, '{"success": false}'), [line('Received event'), line(said)])).toEqual({ source: 'app-output', quote: said });
  });

  it('fails a 2xx on an exception the app printed for that delivery', () => {
    expect(judgeAnswer(response(200, ''), [line('TypeError: Cannot read properties of undefined (reading "id")', 'event-id')])).toMatchObject({ source: 'app-output' });
    expect(judgeAnswer(response(200, ''), [line('Traceback (most recent call last):')])).toMatchObject({ source: 'app-output' });
  });

  it('counts a shared line only when it reports a verification failure, which hits every event alike', () => {
    expect(judgeAnswer(response(200, ''), [line('TypeError: boom', 'shared')])).toBeUndefined();
    expect(judgeAnswer(response(200, ''), [line('Webhook signature verification failed.', 'shared')])).toMatchObject({ source: 'app-output' });
  });

  it('accepts a 2xx whose lines and body are healthy', () => {
    expect(judgeAnswer(response(200, '{"received":true}'), [line('✅ Success: evt_1'), line('127.0.0.1 - - "POST /webhook HTTP/1.1" 200 -')])).toBeUndefined();
  });

  it('cuts a long quote', () => {
    const quote = judgeAnswer(response(200, ''), [line(`Error: ${'x'.repeat(500)}`)])?.quote ?? '';
    expect(Array.from(quote)).toHaveLength(200);
    expect(quote.endsWith('…')).toBe(true);
  });
});

describe('isFailureLine', () => {
  it.each([
    'Webhook Error: No signatures found matching the expected signature for payload',
    '⚠️  Webhook signature verification failed. Timestamp outside the tolerance zone',
    'No webhook payload was provided.',
    'TypeError: x is not a function',
    'Uncaught Error: boom',
    '[Nest] 123  - 11/30/2026, 4:00:00 PM   ERROR [ExceptionsHandler] Cannot read properties of undefined',
    '[2026-11-30 16:00:00,000] ERROR in app: Exception on /webhook [POST]',
    'Unhandled promise rejection: x',
  ])('sees a failure in %s', (text) => {
    expect(isFailureLine(text)).toBe(true);
  });

  it.each(['listening on 3000', '✅ Success: evt_1', 'Unhandled event type charge.updated', 'Payment for 2000 succeeded', 'no Error: here', ' * Debugger is active!'])('sees none in %s', (text) => {
    expect(isFailureLine(text)).toBe(false);
  });
});

describe('forwardFailed', () => {
  it('fails unreachable apps, statuses over 299 and refused 2xx', () => {
    const base = { url: 'http://x/', durationMs: 1 };
    expect(forwardFailed({ ...base, outcome: { status: 'failed', kind: 'reset', message: 'x' } })).toBe(true);
    expect(forwardFailed({ ...base, outcome: response(301) })).toBe(true);
    expect(forwardFailed({ ...base, outcome: response(200), refusal: { source: 'body', quote: '{"ok": false}' } })).toBe(true);
    expect(forwardFailed({ ...base, outcome: response(204) })).toBe(false);
  });
});
