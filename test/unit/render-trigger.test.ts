import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { formatTriggerResult, formatTriggerStart, formatTriggerTotals } from '../../src/render/format-trigger.js';
import { toTriggerRecord } from '../../src/render/json-records.js';
import type { DeliveryRecord, TriggerReport } from '../../src/types.js';

const colors = new Chalk({ level: 0 });
const delivery: DeliveryRecord = {
  receivedAt: new Date(0),
  status: 500,
  verified: true,
  event: { id: 'evt_1', object: 'event', type: 'charge.succeeded', created: 1, livemode: false, data: { object: {} } },
  attempt: 1,
  handler: { outcome: { status: 'error', error: { name: 'Error', message: 'boom' } }, durationMs: 1, logs: [] },
  durationMs: 2,
};
const failed: TriggerReport = {
  trigger: 'charge.succeeded',
  expected: ['charge.succeeded'],
  verdict: 'handler-failed',
  failures: [{ verdict: 'handler-failed', message: 'charge.succeeded handler threw Error: boom with sk_test_abcdefghijkl', eventType: 'charge.succeeded', eventId: 'evt_1', details: ['at src/h.ts:3:9'] }],
  deliveries: [delivery],
  missing: [],
  stripe: { ok: true, exitCode: 0 },
  durationMs: 1234,
};
const passed: TriggerReport = { ...failed, trigger: 'customer.created', expected: ['customer.created'], verdict: 'passed', failures: [] };

describe('trigger formatting', () => {
  it('announces a trigger, naming expectations only when they differ from its name', () => {
    expect(formatTriggerStart('a.b', ['a.b'], { colors })).toBe('▶ trigger a.b');
    expect(formatTriggerStart('a.b', ['c.d'], { colors })).toBe('▶ trigger a.b  (expecting c.d)');
  });
  it('a passed trigger is one line; a failed one lists every reason with its location, secrets masked', () => {
    expect(formatTriggerResult(passed, { colors })).toEqual(['✓ trigger customer.created passed: 1 event in 1.2 s']);
    expect(formatTriggerResult(failed, { colors })).toEqual([
      '✗ trigger charge.succeeded failed, a handler failed: 1 event in 1.2 s',
      '    charge.succeeded handler threw Error: boom with sk_test_…ijkl',
      '      at src/h.ts:3:9',
    ]);
  });
  it('totals count passed and failed triggers', () => {
    expect(formatTriggerTotals([passed, failed], { colors })).toBe('2 triggers: 1 passed, 1 failed');
  });
});

describe('toTriggerRecord', () => {
  it('has every key, the events matched, and secrets masked', () => {
    expect(toTriggerRecord(failed)).toEqual({
      type: 'trigger',
      trigger: 'charge.succeeded',
      expected: ['charge.succeeded'],
      outcome: 'handler-failed',
      stripeExitCode: 0,
      stripeMessage: null,
      events: [{ id: 'evt_1', type: 'charge.succeeded', outcome: 'error' }],
      missing: [],
      failures: [{ verdict: 'handler-failed', message: 'charge.succeeded handler threw Error: boom with sk_test_…ijkl', eventType: 'charge.succeeded', eventId: 'evt_1', details: ['at src/h.ts:3:9'] }],
      durationMs: 1234,
    });
  });
});
