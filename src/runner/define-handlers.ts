/**
 * Typing helpers for handler modules. They do nothing at runtime (a handler file works without
 * them); they exist so that, under `'payment_intent.succeeded'`, `event.data.object` is a
 * `Stripe.PaymentIntent` and a misspelt event type is a compile error rather than a silent
 * "unhandled". The event union comes from the official `stripe` library, so it matches the API
 * version that library was generated for.
 */
import type Stripe from 'stripe';
import type { HandlerContext } from './handler-context.js';

/** Every snapshot event type the installed `stripe` library knows. */
export type StripeEventType = Stripe.Event['type'];

/** The event interface for one type, e.g. `Stripe.PaymentIntentSucceededEvent`. */
export type StripeEventOfType<T extends StripeEventType> = Extract<Stripe.Event, { type: T }>;

/** Every thin (v2) event type the installed `stripe` library knows, e.g. `v1.billing.meter.no_meter_found`. */
export type ThinEventType = Stripe.V2.Core.EventNotification['type'];

/**
 * What a handler gets for a thin event: the envelope exactly as delivered (id, type, created, the
 * related object's reference; no `data`). stripe-node's `parseEventNotification` adds
 * `fetchEvent()`/`fetchRelatedObject()` methods and parses `context`; the bare JSON has neither.
 * The full event is at `GET /v2/core/events/:id` (`stripe.v2.core.events.retrieve(event.id)`).
 */
export type ThinEventOfType<T extends ThinEventType> = Omit<Extract<Stripe.V2.Core.EventNotification, { type: T }>, 'fetchEvent' | 'fetchRelatedObject' | 'context'> & {
  context?: string;
};

/** A handler's return value is shown next to the event; a throw or rejection marks it failed. */
export type EventHandler<E = Stripe.Event> = (event: E, ctx: HandlerContext) => unknown;

/**
 * Keys are event types; `'*'` catches every event without its own key. Event types newer than the
 * installed `stripe` library are not accepted as keys: handle them under `'*'`.
 */
export type HandlerMap = { [T in StripeEventType]?: EventHandler<StripeEventOfType<T>> } & { [T in ThinEventType]?: EventHandler<ThinEventOfType<T>> } & {
  '*'?: EventHandler<Stripe.Event>;
};

/**
 * @example
 * export default defineHandlers({
 *   'payment_intent.succeeded': (event) => event.data.object.amount,
 *   '*': (event, { log }) => log.info('ignored', event.type),
 * });
 */
export function defineHandlers(handlers: HandlerMap): HandlerMap {
  return handlers;
}

/** One function for every event it receives; narrow with `switch (event.type)`. */
export function defineHandler(handler: EventHandler<Stripe.Event>): EventHandler<Stripe.Event> {
  return handler;
}
