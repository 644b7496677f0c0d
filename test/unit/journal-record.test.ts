import { describe, expect, it } from 'vitest';
import { fromJournalDelivery, journalBody, serializeJournalLine, toIndexEntry, toJournalDelivery, toJournalSettled, type JournalDelivery, type JournalSettled } from '../../src/journal/journal-record.js';
import type { DeliveryRecord, ForwardResult } from '../../src/types.js';

const body = Buffer.from('{"id":"evt_1","object":"event","type":"charge.succeeded","created":1,"livemode":false,"data":{"object":{"id":"ch_1"}}}');
const record: DeliveryRecord = {
  receivedAt: new Date('2026-11-30T12:00:00.000Z'),
  status: 200,
  verified: true,
  attempt: 1,
  event: JSON.parse(body.toString()),
  handler: { outcome: { status: 'ok', value: { key: 'sk_test_abcdefghijklmnop1234' } }, durationMs: 1.5, logs: [{ level: 'info', message: 'secret whsec_abcdefghijklmnop5678', elapsedMs: 0.1 }] },
  durationMs: 2.345,
};
const headers = { 'stripe-signature': 't=1,v1=abc', authorization: 'Bearer sk_test_abcdefghijklmnopqrst', 'content-type': 'application/json' };
const context = { seq: 3, session: '20261130-120000-42', source: 'stripe-cli' as const };

function roundTrip(line: string): JournalDelivery {
  expect(line.endsWith('\n')).toBe(true);
  expect(line.indexOf('\n')).toBe(line.length - 1);
  return JSON.parse(line) as JournalDelivery;
}

describe('journal records', () => {
  it('keeps the body byte for byte and the signature, and masks every secret elsewhere', () => {
    const line = serializeJournalLine(toJournalDelivery(record, { raw: body, headers }, context));
    expect(line).not.toMatch(/whsec_abcdefghijklmnop5678|sk_test_abcdefghijklmnop/);
    const parsed = roundTrip(line);
    expect(journalBody(parsed).equals(body)).toBe(true);
    expect(parsed.request).toMatchObject({ encoding: 'utf8', redacted: false, headers: { 'stripe-signature': 't=1,v1=abc', authorization: '[masked]' } });
    expect(parsed).toMatchObject({ kind: 'delivery', v: 1, seq: 3, session: context.session, source: 'stripe-cli' });
  });

  it('journals what the session marked as sent or replayed under that source, and masks the marking key', () => {
    for (const origin of ['send', 'replay'] as const) {
      const line = serializeJournalLine(toJournalDelivery({ ...record, origin }, { raw: body, headers: { ...headers, 'webhook-dev-origin': `${origin} the-session-key` } }, context));
      expect(line).not.toContain('the-session-key');
      const parsed = roundTrip(line);
      expect(parsed.source).toBe(origin);
      expect(parsed.request.headers['webhook-dev-origin']).toBe('[masked]');
    }
  });

  it('turns back into the record listen showed', () => {
    const back = fromJournalDelivery(roundTrip(serializeJournalLine(toJournalDelivery(record, { raw: body, headers }, context))));
    expect(back.receivedAt).toEqual(record.receivedAt);
    expect(back.event?.id).toBe('evt_1');
    expect(back.handler?.logs[0]?.message).toMatch(/^secret whsec_…5678$/);
    expect(back.status).toBe(200);
  });

  it('stores a body that is not UTF-8 as base64, exactly', () => {
    const raw = Buffer.from([0xff, 0xfe, 0x00, 0x41]);
    const parsed = roundTrip(serializeJournalLine(toJournalDelivery({ ...record, verified: false, status: 400 }, { raw, headers: {} }, context)));
    expect(parsed.request.encoding).toBe('base64');
    expect(journalBody(parsed).equals(raw)).toBe(true);
  });

  it('masks a secret inside the body and says the bytes are no longer exact', () => {
    const raw = Buffer.from('{"leak":"whsec_abcdefghijklmnopqrstu"}');
    const line = serializeJournalLine(toJournalDelivery(record, { raw, headers: {} }, context));
    expect(line).not.toContain('whsec_abcdefghijklmnopqrstu');
    expect(roundTrip(line).request.redacted).toBe(true);
  });

  it('indexes what the list shows, and a settled line changes the outcome', () => {
    expect(toIndexEntry(record, context, 10, 20)).toEqual({ i: 3, o: 10, l: 20, t: record.receivedAt.getTime(), ty: 'charge.succeeded', e: 'evt_1', verified: true, out: 'ok', d: 2.35, s: context.session });
    const forward: ForwardResult = { url: 'http://app', outcome: { status: 'response', statusCode: 400, headers: {}, body: 'no', bodyTruncated: false }, durationMs: 3 };
    const settled = JSON.parse(serializeJournalLine(toJournalSettled({ ...record, forward }, context))) as JournalSettled;
    const merged = fromJournalDelivery(roundTrip(serializeJournalLine(toJournalDelivery(record, { raw: body, headers: {} }, context))), settled);
    expect(merged.forward?.outcome).toMatchObject({ statusCode: 400 });
    expect(toIndexEntry({ ...record, forward }, context, 0, 0, true)).toMatchObject({ k: 's', out: 'app-failed' });
  });
});
