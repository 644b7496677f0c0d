import type Stripe from 'stripe';
import type { ObjectContext } from './object-context.js';
import type { Wire } from './wire.js';

type TestClock = Wire<Stripe.TestHelpers.TestClock>;

/** Stripe deletes a test clock 30 days after it was made. */
const LIFETIME_SECONDS = 30 * 24 * 60 * 60;

export function testClock(ctx: ObjectContext, frozenTime: number, name: string | null): TestClock {
  return {
    id: ctx.id('clock'),
    object: 'test_helpers.test_clock',
    created: ctx.created,
    deletes_after: ctx.created + LIFETIME_SECONDS,
    frozen_time: frozenTime,
    livemode: false,
    name,
    status: 'ready',
    status_details: {},
  } satisfies TestClock;
}
