import { describe, expect, it } from 'vitest';
import type { ApiRequest } from '../../src/emulator/api-router.js';
import { eventEnvelope } from '../../src/emulator/event-templates.js';
import { ObjectStore } from '../../src/emulator/object-store.js';
import { offlineTriggers } from '../../src/emulator/offline-triggers.js';
import { toShipping, updateMetadata } from '../../src/emulator/resources/params.js';
import { toApiRoutes, type EmittedEvent, type ResourceRoute } from '../../src/emulator/resources/resource-scope.js';
import { testCardFor } from '../../src/emulator/resources/test-cards.js';
import { ApiFailure, stripeError } from '../../src/emulator/stripe-errors.js';

describe('updateMetadata', () => {
  it('adds, changes and deletes keys and reports the old values as previous_attributes does', () => {
    expect(updateMetadata({ keep: '1', change: 'a', drop: 'x' }, { change: 'b', drop: '', added: 'new' })).toEqual({
      metadata: { keep: '1', change: 'b', added: 'new' },
      previous: { change: 'a', drop: 'x', added: null },
    });
  });

  it('reports no change when nothing changes, and clears everything for an empty string', () => {
    expect(updateMetadata({ a: '1' }, { a: '1' })).toEqual({ metadata: { a: '1' }, previous: undefined });
    expect(updateMetadata({ a: '1' }, undefined)).toEqual({ metadata: { a: '1' }, previous: undefined });
    expect(updateMetadata({ a: '1', b: '2' }, '')).toEqual({ metadata: {}, previous: { a: '1', b: '2' } });
  });
});

describe('toShipping', () => {
  it('fills the shipping object with nulls for what the form left out', () => {
    expect(toShipping({ name: 'Jenny Rosen', address: { line1: '510 Townsend St', country: 'US' } })).toEqual({
      address: { city: null, country: 'US', line1: '510 Townsend St', line2: null, postal_code: null, state: null },
      carrier: null,
      name: 'Jenny Rosen',
      phone: null,
      tracking_number: null,
    });
    expect(toShipping(undefined)).toBeNull();
  });
});

describe('testCardFor', () => {
  it('knows the test payment methods and tokens the trigger fixtures use', () => {
    expect(testCardFor('pm_card_visa')).toMatchObject({ brand: 'visa', last4: '4242', outcome: 'succeed' });
    expect(testCardFor('tok_visa')).toEqual(testCardFor('pm_card_visa'));
    expect(testCardFor('pm_card_chargeDeclined')).toMatchObject({ last4: '0002', outcome: 'decline', declineCode: 'generic_decline' });
    expect(testCardFor('pm_card_visa_chargeDeclined')).toMatchObject({ outcome: 'decline' });
    expect(testCardFor('pm_card_chargeCustomerFail')).toMatchObject({ last4: '0341', outcome: 'decline_after_attach' });
    expect(testCardFor('pm_card_createDisputeInquiry')).toMatchObject({ outcome: 'dispute_inquiry' });
    expect(testCardFor('pm_card_bypassPending')).toMatchObject({ availableAtOnce: true });
  });

  it('returns undefined for real ids and unknown names', () => {
    expect(testCardFor('pm_1AbcDefGhi')).toBeUndefined();
    expect(testCardFor('pm_card_doesNotExist')).toBeUndefined();
    expect(testCardFor('visa')).toBeUndefined();
  });
});

describe('toApiRoutes', () => {
  const request = (overrides: Partial<ApiRequest> = {}): ApiRequest => ({
    method: 'POST',
    path: '/v1/things',
    params: {},
    query: new URLSearchParams(),
    form: {},
    apiKey: 'sk_test_x',
    requestId: 'req_abc',
    ...overrides,
  });

  function run(route: ResourceRoute['handle'], apiRequest = request()) {
    const published: EmittedEvent[] = [];
    const [apiRoute] = toApiRoutes([{ method: 'POST', path: '/v1/things', handle: route }], {
      state: { store: new ObjectStore(), cards: new Map() },
      now: () => 1_700_000_000_500,
      publish: (event) => published.push(event),
    });
    let outcome: unknown;
    try {
      outcome = apiRoute!.handler(apiRequest);
    } catch (error) {
      outcome = error;
    }
    return { published, outcome };
  }

  it('publishes the request\'s own events first, naming the request, then the automatic ones', () => {
    const { published, outcome } = run((scope) => {
      const thing = { id: 'thing_1', object: 'thing', n: 1 };
      scope.emitLater('thing.settled', thing);
      scope.emit('thing.created', thing);
      thing.n = 2; // later changes do not leak into an event already raised
      scope.emit('thing.updated', thing, { n: 1 });
      return thing;
    });
    expect(outcome).toEqual({ status: 200, body: { id: 'thing_1', object: 'thing', n: 2 } });
    expect(published.map((event) => event.type)).toEqual(['thing.created', 'thing.updated', 'thing.settled']);
    expect(published[0]).toMatchObject({ object: { n: 1 }, created: 1_700_000_000, request: { id: 'req_abc' } });
    expect(published[0]!.request.idempotency_key).toMatch(/^[0-9a-f-]{36}$/);
    expect(published[1]!.request).toEqual(published[0]!.request);
    expect(published[1]!.previousAttributes).toEqual({ n: 1 });
    expect(published[2]!.request).toEqual({ id: null, idempotency_key: null });
  });

  it('uses the Idempotency-Key sent, none for a DELETE, and the Stripe-Account as the event account', () => {
    const emitOne: ResourceRoute['handle'] = (scope) => {
      scope.emit('thing.created', { id: 'thing_1', object: 'thing' });
      return { id: 'thing_1', object: 'thing' };
    };
    expect(run(emitOne, request({ idempotencyKey: 'key-1', stripeAccount: 'acct_1' })).published[0]).toMatchObject({ request: { id: 'req_abc', idempotency_key: 'key-1' }, account: 'acct_1' });
    expect(run(emitOne, request({ method: 'DELETE' })).published[0]!.request).toEqual({ id: 'req_abc', idempotency_key: null });
  });

  it('passes an error response through and still publishes what already happened', () => {
    const declined = stripeError(402, 'card_error', 'Your card was declined.');
    expect(run(() => declined).outcome).toEqual(declined);
    const { published, outcome } = run((scope) => {
      scope.emitLater('thing.settled', { id: 'thing_1', object: 'thing' });
      throw new ApiFailure(declined);
    });
    expect(outcome).toBeInstanceOf(ApiFailure);
    expect(published.map((event) => event.type)).toEqual(['thing.settled']);
  });
});

describe('eventEnvelope', () => {
  it('wraps an object in Stripe\'s event keys, in Stripe\'s order', () => {
    const event = eventEnvelope({
      type: 'customer.updated',
      object: { id: 'cus_1', object: 'customer' },
      previousAttributes: { metadata: { foo: null } },
      account: 'acct_1',
      apiVersion: '2026-10-28.endive',
      created: 1_700_000_000,
      request: { id: 'req_1', idempotency_key: 'k' },
    });
    expect(Object.keys(event)).toEqual(['id', 'object', 'account', 'api_version', 'created', 'data', 'livemode', 'pending_webhooks', 'request', 'type']);
    expect(event.id).toMatch(/^evt_/);
    expect(event.data).toEqual({ object: { id: 'cus_1', object: 'customer' }, previous_attributes: { metadata: { foo: null } } });
  });
});

describe('offlineTriggers', () => {
  it('is a sorted, frozen list of trigger names', () => {
    expect(Object.isFrozen(offlineTriggers)).toBe(true);
    expect([...offlineTriggers]).toEqual([...offlineTriggers].sort());
    for (const name of offlineTriggers) expect(name).toMatch(/^[a-z][a-z0-9_]*(\.[a-z_]+)+$/);
  });
});
