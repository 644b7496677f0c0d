import { describe, expect, it } from 'vitest';
import { PayloadError, UsageError } from '../../src/errors.js';
import { supportedEventTypes } from '../../src/emulator/event-templates.js';
import { classifyPayloadArgument, loadPayload, parseEventJson } from '../../src/send/load-payload.js';
import { parseSetOverride } from '../../src/send/set-override.js';

const noStdin = () => Promise.reject(new Error('stdin not expected'));
const noFile = () => Promise.reject(new Error('file not expected'));

describe('classifyPayloadArgument', () => {
  it.each([
    ['-', { kind: 'stdin' }],
    ['payment_intent.succeeded', { kind: 'type', type: 'payment_intent.succeeded' }],
    ['customer.subscription.updated', { kind: 'type', type: 'customer.subscription.updated' }],
    ['order.json', { kind: 'file', path: 'order.json' }],
    ['./fixtures/event', { kind: 'file', path: './fixtures/event' }],
    ['Event.JSON', { kind: 'file', path: 'Event.JSON' }],
    ['payload', { kind: 'file', path: 'payload' }],
  ])('%s', (argument, source) => {
    expect(classifyPayloadArgument(argument)).toEqual(source);
  });
});

describe('loadPayload', () => {
  it('builds an event from the template of its type, with the overrides, serialised as Stripe does', async () => {
    const overrides = ['data.object.amount=5000', 'data.object.metadata.order=42'].map(parseSetOverride);
    const loaded = await loadPayload({ kind: 'type', type: 'payment_intent.succeeded' }, { overrides, readFile: noFile, readStdin: noStdin, now: 1_764_000_000_000 });
    expect(loaded.event).toMatchObject({ object: 'event', type: 'payment_intent.succeeded', created: 1_764_000_000, data: { object: { object: 'payment_intent', amount: 5000, metadata: { order: 42 } } } });
    expect(loaded.raw).toBe(JSON.stringify(loaded.event, null, 2));
    expect(loaded.from).toBe('payment_intent.succeeded (template)');
  });

  it('a type without a template is a usage error listing the types that have one, and suggesting a file', async () => {
    const error = await loadPayload({ kind: 'type', type: 'radar.early_fraud_warning.created' }, { readFile: noFile, readStdin: noStdin }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toContain(supportedEventTypes.join(', '));
    expect((error as UsageError).hint).toContain('webhook-dev send event.json');
  });

  it('sends a file byte for byte when nothing overrides it', async () => {
    const text = '{"id":"evt_1",  "type":"x.y"}\r\n';
    const loaded = await loadPayload({ kind: 'file', path: 'e.json' }, { readFile: async () => Buffer.from(text), readStdin: noStdin });
    expect(loaded).toEqual({ raw: text, event: { id: 'evt_1', type: 'x.y' }, from: 'e.json' });
  });

  it('re-serialises a file or stdin payload that --set changed', async () => {
    const loaded = await loadPayload({ kind: 'stdin' }, { overrides: [parseSetOverride('data.object.amount=1')], readFile: noFile, readStdin: async () => Buffer.from('{"id":"evt_1","data":{"object":{"amount":5}}}') });
    expect(JSON.parse(loaded.raw)).toEqual({ id: 'evt_1', data: { object: { amount: 1 } } });
    expect(loaded.from).toBe('stdin');
  });

  it('an unreadable file is a PayloadError naming the file and the reason', async () => {
    const missing = Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
    const error = await loadPayload({ kind: 'file', path: 'nope.json' }, { readFile: () => Promise.reject(missing), readStdin: noStdin }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayloadError);
    expect((error as PayloadError).message).toBe('Cannot read the payload file nope.json: ENOENT.');
    expect((error as PayloadError).exitCode).toBe(30);
  });
});

describe('parseEventJson', () => {
  it.each([
    ['', 'is empty'],
    ['  \n', 'is empty'],
    ['{"id": ', 'is not valid JSON'],
    ['[1, 2]', 'is a JSON array, not an object'],
    ['"evt"', 'is a JSON string, not an object'],
    ['null', 'is a JSON null, not an object'],
  ])('%j: %s', (text, words) => {
    expect(() => parseEventJson(text, 'e.json')).toThrow(PayloadError);
    expect(() => parseEventJson(text, 'e.json')).toThrow(words);
  });
});
