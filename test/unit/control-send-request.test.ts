import { describe, expect, it } from 'vitest';
import { parseSendRequest, payloadEventId } from '../../src/control/send-request.js';

describe('parseSendRequest', () => {
  it('accepts a payload, with or without a tamper mode', () => {
    expect(parseSendRequest('{"payload":"{}"}')).toEqual({ payload: '{}' });
    expect(parseSendRequest('{"payload":"{}","tamper":null}')).toEqual({ payload: '{}' });
    expect(parseSendRequest('{"payload":"{}","tamper":{"kind":"stale","seconds":600}}')).toEqual({ payload: '{}', tamper: { kind: 'stale', seconds: 600 } });
    for (const kind of ['bad-signature', 'no-signature', 'wrong-secret']) expect(parseSendRequest(JSON.stringify({ payload: '{}', tamper: { kind } }))).toEqual({ payload: '{}', tamper: { kind } });
  });

  it('carries where the payload came from, send or replay', () => {
    expect(parseSendRequest('{"payload":"{}","source":"replay"}')).toEqual({ payload: '{}', source: 'replay' });
    expect(parseSendRequest('{"payload":"{}","source":"send","tamper":{"kind":"no-signature"}}')).toEqual({ payload: '{}', source: 'send', tamper: { kind: 'no-signature' } });
  });

  it.each([
    ['{"payload":"{}","source":"stripe-cli"}', '"source"'],
    ['{"payload":"{}","source":"recovered"}', '"source"'],
    ['not json', 'must be JSON'],
    ['42', 'JSON object'],
    ['{}', '"payload"'],
    ['{"payload":""}', '"payload"'],
    ['{"payload":{}}', '"payload"'],
    ['{"payload":"{}","tamper":{"kind":"stale"}}', 'tamper.seconds'],
    ['{"payload":"{}","tamper":{"kind":"stale","seconds":-1}}', 'tamper.seconds'],
    ['{"payload":"{}","tamper":{"kind":"replay"}}', 'tamper.kind'],
  ])('%s is refused with a reason', (body, words) => {
    const result = parseSendRequest(body);
    expect(typeof result).toBe('string');
    expect(result).toContain(words);
  });
});

describe('payloadEventId', () => {
  it('is the id of a JSON event, and undefined for anything else', () => {
    expect(payloadEventId('{"id":"evt_1"}')).toBe('evt_1');
    expect(payloadEventId('{"id":1}')).toBeUndefined();
    expect(payloadEventId('{}')).toBeUndefined();
    expect(payloadEventId('null')).toBeUndefined();
    expect(payloadEventId('{')).toBeUndefined();
  });
});
