import { describe, expect, it } from 'vitest';
import { fromJournalDelivery, journalBody, journalDeliveryBytes, parseJournalRecord, readRecordAt, serializeSettledLine, toIndexEntry, toJournalSettled, type JournalDelivery, type JournalSettled } from '../../src/journal/journal-record.js';
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

/** Writes a delivery as the journal does, and reads it back as `events` does. */
function roundTrip(bytes: Buffer): JournalDelivery {
  expect(readRecordAt(bytes, 0)).toMatchObject({ end: bytes.length });
  const parsed = parseJournalRecord(bytes);
  expect(parsed?.kind).toBe('delivery');
  return parsed as JournalDelivery;
}

const written = (...args: Parameters<typeof journalDeliveryBytes>) => Buffer.concat(journalDeliveryBytes(...args));

describe('journal records', () => {
  it('keeps the body byte for byte and the signature, and masks every secret elsewhere', () => {
    const bytes = written(record, { raw: body, headers }, context);
    expect(bytes.toString('latin1')).not.toMatch(/whsec_abcdefghijklmnop5678|sk_test_abcdefghijklmnop/);
    // The head is one JSON line; the body follows it untouched (not escaped into the JSON).
    const headEnd = bytes.indexOf(10);
    expect(JSON.parse(bytes.subarray(0, headEnd).toString())).toMatchObject({ v: 2, request: { bytes: body.length } });
    expect(bytes.subarray(headEnd + 1, headEnd + 1 + body.length).equals(body)).toBe(true);
    const parsed = roundTrip(bytes);
    expect(journalBody(parsed).equals(body)).toBe(true);
    expect(parsed.request).toMatchObject({ redacted: false, headers: { 'stripe-signature': 't=1,v1=abc', authorization: '[masked]' } });
    expect(parsed).toMatchObject({ kind: 'delivery', v: 2, seq: 3, session: context.session, source: 'stripe-cli' });
  });

  it('journals what the session marked as sent or replayed under that source, and masks the marking key', () => {
    for (const origin of ['send', 'replay'] as const) {
      const bytes = written({ ...record, origin }, { raw: body, headers: { ...headers, 'webhook-dev-origin': `${origin} the-session-key` } }, context);
      expect(bytes.toString()).not.toContain('the-session-key');
      const parsed = roundTrip(bytes);
      expect(parsed.source).toBe(origin);
      expect(parsed.request.headers['webhook-dev-origin']).toBe('[masked]');
    }
  });

  it('turns back into the record listen showed', () => {
    const back = fromJournalDelivery(roundTrip(written(record, { raw: body, headers }, context)));
    expect(back.receivedAt).toEqual(record.receivedAt);
    expect(back.event?.id).toBe('evt_1');
    expect(back.handler?.logs[0]?.message).toMatch(/^secret whsec_…5678$/);
    expect(back.handler?.outcome).toEqual({ status: 'ok', value: { key: 'sk_test_…1234' } });
    expect(back.status).toBe(200);
  });

  it('keeps a body that is not UTF-8, or holds newlines, exactly', () => {
    for (const raw of [Buffer.from([0xff, 0xfe, 0x00, 0x0a, 0x41, 0x0a]), Buffer.from('{\n  "id": "evt_1"\n}\n'), Buffer.alloc(0)]) {
      const parsed = roundTrip(written({ ...record, verified: false, status: 400 }, { raw, headers: {} }, context));
      expect(journalBody(parsed).equals(raw)).toBe(true);
    }
  });

  it('masks a secret inside the body and says the bytes are no longer exact, keeping the other bytes', () => {
    const raw = Buffer.concat([Buffer.from('{"leak":"whsec_abcdefghijklmnopqrstu","x":"'), Buffer.from([0xe9, 0xff]), Buffer.from('"}')]);
    const bytes = written(record, { raw, headers: {} }, context);
    expect(bytes.toString('latin1')).not.toContain('whsec_abcdefghijklmnopqrstu');
    const parsed = roundTrip(bytes);
    expect(parsed.request.redacted).toBe(true);
    expect(journalBody(parsed)).toEqual(Buffer.concat([Buffer.from('{"leak":"whsec_…rstu","x":"'), Buffer.from([0xe9, 0xff]), Buffer.from('"}')]));
  });

  it('finds the secret the same way in the text the receiver decoded, invalid UTF-8 around it included', () => {
    const raw = Buffer.concat([Buffer.from([0xff]), Buffer.from('sk_test_abcdefghijklmnop'), Buffer.from([0xe9]), Buffer.from('"}')]);
    const parsed = roundTrip(written(record, { raw, headers: {}, text: raw.toString('utf8') }, context));
    expect(parsed.request.redacted).toBe(true);
    expect(journalBody(parsed)).toEqual(Buffer.concat([Buffer.from([0xff]), Buffer.from('sk_test_…mnop'), Buffer.from([0xe9]), Buffer.from('"}')]));
    const clean = Buffer.from('{"id":"evt_1"}');
    expect(journalBody(roundTrip(written(record, { raw: clean, headers: {}, text: clean.toString('utf8') }, context)))).toEqual(clean);
  });

  it('still reads a delivery written as one JSON line (format 1, .jsonl segments)', () => {
    const v1 = `${JSON.stringify({ kind: 'delivery', v: 1, seq: 1, session: context.session, source: 'stripe-cli', request: { headers: {}, body: Buffer.from([0xff, 0x41]).toString('base64'), encoding: 'base64', redacted: false }, record: { receivedAt: record.receivedAt.toISOString(), status: 400, verified: false, attempt: 1, durationMs: 1 } })}\n`;
    const parsed = roundTrip(Buffer.from(v1));
    expect(parsed).toMatchObject({ v: 1, seq: 1 });
    expect(journalBody(parsed).equals(Buffer.from([0xff, 0x41]))).toBe(true);
  });

  it('tells a torn record from a whole one', () => {
    const bytes = written(record, { raw: body, headers }, context);
    for (const cut of [5, bytes.indexOf(10), bytes.indexOf(10) + 1, bytes.length - 1]) {
      expect(parseJournalRecord(bytes.subarray(0, cut))).toBeUndefined();
      expect(readRecordAt(bytes.subarray(0, cut), 0)).toBe('incomplete');
    }
    expect(readRecordAt(Buffer.from('not json\n{"kind":'), 0)).toBeUndefined();
    // A whole record followed by the next one's start: the first ends where it should.
    expect(readRecordAt(Buffer.concat([bytes, bytes.subarray(0, 10)]), 0)).toMatchObject({ end: bytes.length });
  });

  it('indexes what the list shows, and a settled line changes the outcome', () => {
    expect(toIndexEntry(record, context, 10, 20)).toEqual({ i: 3, o: 10, l: 20, t: record.receivedAt.getTime(), ty: 'charge.succeeded', e: 'evt_1', verified: true, out: 'ok', d: 2.35, s: context.session });
    const forward: ForwardResult = { url: 'http://app', outcome: { status: 'response', statusCode: 400, headers: {}, body: 'no', bodyTruncated: false }, durationMs: 3 };
    const settled = parseJournalRecord(Buffer.from(serializeSettledLine(toJournalSettled({ ...record, forward }, context)))) as JournalSettled;
    expect(settled.kind).toBe('settled');
    const merged = fromJournalDelivery(roundTrip(written(record, { raw: body, headers: {} }, context)), settled);
    expect(merged.forward?.outcome).toMatchObject({ statusCode: 400 });
    expect(toIndexEntry({ ...record, forward }, context, 0, 0, true)).toMatchObject({ k: 's', out: 'app-failed' });
  });
});
