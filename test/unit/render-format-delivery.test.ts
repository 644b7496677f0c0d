import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatClock, formatDelivery } from '../../src/render/format-delivery.js';
import type { DeliveryRecord, HandlerResult, StripeEventLike } from '../../src/types.js';

const plain = new Chalk({ level: 0 });
const colored = new Chalk({ level: 1 });
const options = { colors: plain, cwd: '/home/dev/shop', timeZone: 'UTC' };

function sampleEvent(overrides: Partial<StripeEventLike> = {}): StripeEventLike {
  return {
    id: 'evt_123',
    object: 'event',
    type: 'payment_intent.succeeded',
    created: 1_700_000_000,
    livemode: false,
    data: { object: { id: 'pi_123', object: 'payment_intent', amount: 2000, currency: 'usd', status: 'succeeded', customer: 'cus_123' } },
    ...overrides,
  };
}

function sampleRecord(handler?: Partial<HandlerResult>, overrides: Partial<DeliveryRecord> = {}): DeliveryRecord {
  return {
    receivedAt: new Date('2024-05-06T13:04:05.678Z'),
    status: 200,
    verified: true,
    event: sampleEvent(),
    attempt: 1,
    durationMs: 15,
    ...(handler === undefined ? {} : { handler: { outcome: { status: 'ok', value: undefined }, durationMs: 12, logs: [], ...handler } }),
    ...overrides,
  };
}

const HEADER = '13:04:05  payment_intent.succeeded  evt_123';
const OBJECT = '          pi_123  amount $20.00  status succeeded  customer cus_123';

describe('formatDelivery', () => {
  it('ok: header, object fields, duration and the returned value', () => {
    expect(formatDelivery(sampleRecord({ outcome: { status: 'ok', value: { received: true } } }), options)).toEqual([
      HEADER,
      OBJECT,
      '          ✓ 12 ms  → { received: true }',
    ]);
  });

  it('a delivery a quirk made or shaped says which in its header', () => {
    expect(formatDelivery(sampleRecord({}, { attempt: 3, quirks: { retry: true } }), options)[0]).toBe(`${HEADER}  attempt 3  retry`);
    expect(formatDelivery(sampleRecord({}, { quirks: { duplicate: true } }), options)[0]).toBe(`${HEADER}  duplicate copy`);
    expect(formatDelivery(sampleRecord({}, { quirks: { delayedMs: 250, reordered: true } }), options)[0]).toBe(`${HEADER}  delayed 250ms  reordered`);
  });

  it('ok without a return value shows no arrow', () => {
    expect(formatDelivery(sampleRecord({}), options)[2]).toBe('          ✓ 12 ms');
  });

  it('error: name, message, location relative to cwd and the source line', () => {
    const record = sampleRecord(
      {
        outcome: {
          status: 'error',
          error: {
            name: 'TypeError',
            message: "Cannot read properties of undefined (reading 'id')",
            location: '/home/dev/shop/src/webhooks.ts:14:11',
            sourceLine: 'const id = event.data.object.customer.id;',
          },
        },
        durationMs: 3,
      },
      { status: 500 },
    );
    expect(formatDelivery(record, options)).toEqual([
      HEADER,
      OBJECT,
      "          ✗ 3 ms  TypeError: Cannot read properties of undefined (reading 'id')",
      '            at src/webhooks.ts:14:11',
      '            │ const id = event.data.object.customer.id;',
    ]);
  });

  it('error without a user frame falls back to the first stack frames, and shows the code', () => {
    const stack = 'Error: nope\n    at a (/x/a.js:1:1)\n    at b (/x/b.js:2:2)\n    at c (/x/c.js:3:3)\n    at d (/x/d.js:4:4)';
    const lines = formatDelivery(sampleRecord({ outcome: { status: 'error', error: { name: 'Error', message: 'nope', code: 'E_DB', stack } } }), options);
    expect(lines.slice(2)).toEqual([
      '          ✗ 12 ms  Error [E_DB]: nope',
      '            at a (/x/a.js:1:1)',
      '            at b (/x/b.js:2:2)',
      '            at c (/x/c.js:3:3)',
    ]);
  });

  it('timeout', () => {
    const lines = formatDelivery(sampleRecord({ outcome: { status: 'timeout', timeoutMs: 5000 }, durationMs: 5001 }, { status: 500 }), options);
    expect(lines[2]).toBe('          ⏱ timed out after 5000 ms  answered 500');
  });

  it('unhandled: acknowledged with 200', () => {
    expect(formatDelivery(sampleRecord({ outcome: { status: 'unhandled' } }), options)[2]).toBe('          – no handler for this event type: acknowledged 200');
  });

  it('inspect mode (no handler): verified 200', () => {
    expect(formatDelivery(sampleRecord(), options)).toEqual([HEADER, OBJECT, '          ✓ verified 200  inspect mode: no handler']);
  });

  it('rejected with a parsed body names the event and the reason', () => {
    const record = sampleRecord(undefined, {
      status: 400,
      verified: false,
      rejection: { reason: 'signature_mismatch', message: 'No signature matches: was the body re-serialized?' },
    });
    expect(formatDelivery(record, options)).toEqual([HEADER, '          ✗ rejected 400  No signature matches: was the body re-serialized?']);
  });

  it('rejected without a parsed body', () => {
    const { event: _dropped, ...rest } = sampleRecord();
    const record: DeliveryRecord = { ...rest, status: 400, verified: false, rejection: { reason: 'invalid_json', message: 'The body is not JSON.' } };
    expect(formatDelivery(record, options)).toEqual(['13:04:05  (body is not a Stripe event)', '          ✗ rejected 400  The body is not JSON.']);
  });

  it('tags connect events, live mode and redeliveries in the header', () => {
    const record = sampleRecord({}, { attempt: 2, event: sampleEvent({ account: 'acct_9', livemode: true }) });
    expect(formatDelivery(record, options)[0]).toBe('13:04:05  payment_intent.succeeded  evt_123  connect acct_9  live  attempt 2');
  });

  it('tags a delivery the catch-up after a stall made as recovered', () => {
    const record = sampleRecord({}, { recovered: true });
    expect(formatDelivery(record, options)[0]).toBe('13:04:05  payment_intent.succeeded  evt_123  recovered');
  });

  it('tags what webhook-dev replay and send gave the session', () => {
    expect(formatDelivery(sampleRecord({}, { origin: 'replay', attempt: 2 }), options)[0]).toBe('13:04:05  payment_intent.succeeded  evt_123  attempt 2  replayed');
    expect(formatDelivery(sampleRecord({}, { origin: 'send' }), options)[0]).toBe('13:04:05  payment_intent.succeeded  evt_123  sent');
  });

  it('indents handler logs under the result, multi-line messages aligned, secrets masked', () => {
    const record = sampleRecord({
      logs: [
        { level: 'info', message: 'charged order 42', elapsedMs: 1 },
        { level: 'warn', message: 'retrying\nsecret was whsec_abcdefghijklmnopqrstu', elapsedMs: 2 },
      ],
    });
    expect(formatDelivery(record, options).slice(3)).toEqual([
      '            info  charged order 42',
      '            warn  retrying',
      '                  secret was whsec_…rstu',
    ]);
  });

  it('labels captured console lines by level and direct stream writes by stream', () => {
    const record = sampleRecord({
      logs: [
        { level: 'info', message: 'from console.log', elapsedMs: 1, source: 'console' },
        { level: 'info', message: 'raw write', elapsedMs: 2, source: 'stdout' },
        { level: 'error', message: 'raw error', elapsedMs: 3, source: 'stderr' },
      ],
    });
    expect(formatDelivery(record, options).slice(3)).toEqual(['            info  from console.log', '            out   raw write', '            err   raw error']);
  });

  it('masks secrets in error messages and source lines', () => {
    const record = sampleRecord({
      outcome: { status: 'error', error: { name: 'Error', message: 'bad key sk_test_abcdefghijklmnop', location: 'src/a.ts:1:1', sourceLine: "const s = 'whsec_abcdefghijklmnopqrst';" } },
    });
    const text = formatDelivery(record, options).join('\n');
    expect(text).not.toMatch(/sk_test_abcdefghijklmnop|whsec_abcdefghijklmnopqrst/);
    expect(text).toContain('sk_test_…mnop');
  });

  it('survives an event with odd fields', () => {
    const weird = { id: 5, type: undefined, data: { object: null } } as unknown as StripeEventLike;
    expect(formatDelivery(sampleRecord({}, { event: weird }), options)[0]).toBe('13:04:05  (no type)  (no id)');
  });

  it('uses ANSI colors when the colors allow it, none otherwise', () => {
    const failed = sampleRecord({ outcome: { status: 'error', error: { name: 'Error', message: 'x' } } });
    const withColor = formatDelivery(failed, { ...options, colors: colored }).join('\n');
    expect(withColor).toContain('\u001b[31m✗\u001b[39m');
    expect(withColor).toContain('\u001b[1mpayment_intent.succeeded\u001b[22m');
    expect(formatDelivery(failed, options).join('\n')).not.toContain('\u001b[');
  });
});

describe('formatClock', () => {
  it('local time without Intl agrees with the Intl en-GB 24-hour clock it replaces', () => {
    const intl = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    fc.assert(
      fc.property(fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }), (date) => {
        expect(formatClock(date)).toBe(intl.format(date));
      }),
    );
  });

  it('a named time zone is honoured, and an invalid date shows dashes', () => {
    expect(formatClock(new Date('2026-11-25T09:05:07Z'), 'UTC')).toBe('09:05:07');
    expect(formatClock(new Date('2026-11-25T09:05:07Z'), 'Asia/Tokyo')).toBe('18:05:07');
    expect(formatClock(new Date(Number.NaN))).toBe('--:--:--');
  });
});
