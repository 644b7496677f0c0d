// An example handler for `webhook-dev listen --handler examples/webhooks.ts`.
// Each key is a Stripe event type; `event` is typed for it (under 'payment_intent.succeeded',
// event.data.object is a Stripe.PaymentIntent). webhook-dev subscribes the Stripe CLI to exactly
// these types, shows what each handler returned or threw, and reloads this file when you save it.
import { defineHandlers } from 'webhook-dev';

const fulfilled = new Set<string>();

export default defineHandlers({
  'payment_intent.succeeded': async (event, { log }) => {
    const intent = event.data.object;
    // Stripe may deliver an event more than once: make fulfilment idempotent.
    if (fulfilled.has(intent.id)) return { duplicate: true };
    fulfilled.add(intent.id);
    log.info(`fulfilling order for ${intent.amount} ${intent.currency}`);
    return { fulfilled: intent.id };
  },

  'payment_intent.payment_failed': (event, { log }) => {
    const intent = event.data.object;
    log.warn(`payment failed: ${intent.last_payment_error?.message ?? 'unknown reason'}`);
    return { notified: intent.customer ?? 'no customer' };
  },

  'checkout.session.completed': (event) => {
    const session = event.data.object;
    if (session.payment_status !== 'paid') return { waiting: session.payment_status };
    return { order: session.client_reference_id ?? session.id };
  },

  'customer.subscription.created': (event) => {
    const subscription = event.data.object;
    const price = subscription.items.data[0]?.price;
    if (!price) throw new Error(`subscription ${subscription.id} has no price`);
    return { plan: price.id, status: subscription.status };
  },
});
