import { expect, test } from 'vitest';
import { expectedEvent } from '../../src/trigger/expected-event.js';

test.each([
  ['payment_intent.succeeded', 'payment_intent.succeeded'],
  ['issuing_card.created.eu', 'issuing_card.created'],
  ['issuing_authorization.request.gb', 'issuing_authorization.request'],
  ['issuing_authorization.request', 'issuing_authorization.request'],
  ['subscription.payment_failed', 'invoice.payment_failed'],
  ['subscription.payment_succeeded', 'invoice.payment_succeeded'],
  ['v1.billing.meter.no_meter_found', 'v1.billing.meter.no_meter_found'],
])('%s waits for %s', (trigger, event) => expect(expectedEvent(trigger)).toBe(event));
