import type { IncomingHttpHeaders } from 'node:http';
import Stripe from 'stripe';
import { expect } from 'vitest';
import type { StripeEventLike } from '../../src/types.js';
import { waitFor } from './wait-for.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = Record<string, any>;

/** The events of one trigger, by type (the last one of a type wins) and in order. */
export class TriggerEvents {
  constructor(readonly list: StripeEventLike[]) {}
  types(): string[] {
    return this.list.map((event) => event.type);
  }
  all(type: string): StripeEventLike[] {
    return this.list.filter((event) => event.type === type);
  }
  event(type: string): StripeEventLike {
    const found = this.all(type).at(-1);
    if (found === undefined) throw new Error(`no ${type} event`);
    return found;
  }
  object(type: string): Obj {
    return this.event(type).data.object as Obj;
  }
}

export interface ReceivedDelivery {
  body: string;
  headers: IncomingHttpHeaders;
  path?: string;
}

const stripe = new Stripe('sk_test_x');

/**
 * Through the real `stripe listen`: each event of the trigger arrives byte for byte as the emulator
 * published it, signed with its secret (checked by stripe-node), and an update says what changed.
 */
export async function expectDeliveredAsPublished(
  name: string,
  events: TriggerEvents,
  { deliveries, secret, pathOf }: { deliveries: ReadonlyMap<string, ReceivedDelivery>; secret: string; pathOf?: (event: StripeEventLike) => string },
): Promise<void> {
  await waitFor(() => events.list.every((event) => deliveries.has(event.id)), { timeoutMs: 10_000, description: `the ${name} events at the receiver` });
  for (const event of events.list) {
    const delivery = deliveries.get(event.id)!;
    const verified = stripe.webhooks.constructEvent(delivery.body, delivery.headers['stripe-signature'] as string, secret);
    expect(verified.id).toBe(event.id);
    expect(JSON.parse(delivery.body)).toEqual(event);
    if (pathOf) expect(delivery.path).toBe(pathOf(event));
    if (event.type.endsWith('.updated')) expect(event.data.previous_attributes).toBeDefined();
  }
}
