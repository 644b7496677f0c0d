import { describe, expect, it } from 'vitest';
import { meterErrorEnvelope, meterErrorReportTriggered, meterNoMeterFound } from '../../src/emulator/thin-events.js';
import { toEventRecord } from '../../src/render/json-records.js';
import { summarizeEvent } from '../../src/render/summarize-event.js';
import type { StripeEventLike } from '../../src/types.js';

const NOW = Date.parse('2026-11-30T12:00:00.000Z');

describe('thin (v2) meter error events', () => {
  it('group the events Stripe could not record by error code, with samples', () => {
    const event = meterErrorReportTriggered({
      meter: { id: 'mtr_1' },
      now: NOW,
      errors: [
        { code: 'meter_event_no_customer_defined', message: 'a', identifier: 'i1' },
        { code: 'meter_event_customer_not_found', message: 'b', identifier: 'i2' },
        { code: 'meter_event_no_customer_defined', message: 'c', identifier: 'i3' },
      ],
    });
    expect(event.id).toMatch(/^evt_test_[A-Za-z0-9]{44}$/);
    expect(event.created).toBe('2026-11-30T12:00:00.000Z');
    expect(event.data).toEqual({
      developer_message_summary: 'There are 3 invalid events',
      reason: {
        error_count: 3,
        error_types: [
          { code: 'meter_event_no_customer_defined', error_count: 2, sample_errors: [{ error_message: 'a', request: { identifier: 'i1' } }, { error_message: 'c', request: { identifier: 'i3' } }] },
          { code: 'meter_event_customer_not_found', error_count: 1, sample_errors: [{ error_message: 'b', request: { identifier: 'i2' } }] },
        ],
      },
      validation_end: '2026-11-30T12:00:00.000Z',
      validation_start: '2026-11-30T11:59:00.000Z',
    });
  });

  it('deliver an envelope without data; only the meter error names its meter', () => {
    const errors = [{ code: 'no_meter', message: 'x', identifier: 'i' }] as const;
    const withMeter = meterErrorReportTriggered({ meter: { id: 'mtr_1' }, errors, now: NOW, id: 'evt_test_a' });
    expect(meterErrorEnvelope(withMeter)).toEqual({
      id: 'evt_test_a', object: 'v2.core.event', type: 'v1.billing.meter.error_report_triggered', livemode: false, created: '2026-11-30T12:00:00.000Z',
      related_object: { id: 'mtr_1', type: 'billing.meter', url: '/v1/billing/meters/mtr_1' },
    });
    const noMeter = meterNoMeterFound({ errors, now: NOW, id: 'evt_test_b' });
    expect(Object.keys(meterErrorEnvelope(noMeter))).toEqual(['id', 'object', 'type', 'livemode', 'created']);
  });

  it('show in the output as what they are: ISO created as unix seconds, the related object as the object', () => {
    const envelope = meterErrorEnvelope(meterErrorReportTriggered({ meter: { id: 'mtr_1' }, errors: [], now: NOW, id: 'evt_test_a' })) as unknown as StripeEventLike;
    expect(toEventRecord({ event: envelope, receivedAt: new Date(NOW), attempt: 1, status: 200, verified: true, durationMs: 1 }).event).toEqual({
      id: 'evt_test_a', type: 'v1.billing.meter.error_report_triggered', created: NOW / 1000, livemode: false, account: null, objectId: 'mtr_1',
    });
    expect(summarizeEvent(envelope)).toEqual({ objectId: 'mtr_1', objectType: 'billing.meter', fields: [] });
  });
});
