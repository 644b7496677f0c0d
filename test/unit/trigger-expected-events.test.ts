import { describe, expect, test } from 'vitest';
import { expectedEventsOf } from '../../src/trigger/expected-events.js';

describe('expectedEventsOf', () => {
  test.each([
    ['payment_intent.succeeded', ['payment_intent.succeeded']],
    ['subscription.payment_succeeded', ['invoice.payment_succeeded']],
    ['subscription.payment_failed', ['invoice.payment_failed']],
    ['issuing_card.created.eu', ['issuing_card.created']],
    ['issuing_authorization.request.gb', ['issuing_authorization.request']],
    ['test_helpers.test_clock.ready', ['test_helpers.test_clock.ready']],
  ])('%s waits for %j', (trigger, expected) => {
    expect(expectedEventsOf(trigger)).toEqual(expected);
  });
});
