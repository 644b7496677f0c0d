/**
 * The events the emulator can publish: each type names the object builder that makes its
 * `data.object`. Ids are fresh per event and consistent within it (the charge's payment_intent is
 * the payment intent's id), so handlers that follow links behave as they would against Stripe.
 */
import type { StripeEventLike } from '../types.js';
import { deepMerge, type PlainObject } from './deep-merge.js';
import { newIdempotencyKey, newId, randomAlnum } from './ids.js';
import { customer, invoice, subscription } from './objects/billing.js';
import { checkoutSession } from './objects/checkout.js';
import { createObjectContext, type ObjectContext } from './objects/object-context.js';
import { balance, charge, dispute, paymentIntent, paymentMethod } from './objects/payments.js';

interface TemplateResult {
  object: PlainObject;
  previousAttributes?: PlainObject;
  /** Events Stripe raises on its own (balance changes) carry a null request. */
  automatic?: boolean;
}

type Template = (ctx: ObjectContext) => TemplateResult;

const templates = {
  'payment_intent.created': (ctx): TemplateResult => ({ object: paymentIntent(ctx, 'requires_payment_method') }),
  'payment_intent.succeeded': (ctx): TemplateResult => ({ object: paymentIntent(ctx, 'succeeded') }),
  'payment_intent.payment_failed': (ctx): TemplateResult => ({ object: paymentIntent(ctx, 'payment_failed') }),
  'charge.succeeded': (ctx): TemplateResult => ({ object: charge(ctx, 'succeeded') }),
  'charge.failed': (ctx): TemplateResult => ({ object: charge(ctx, 'failed') }),
  'charge.dispute.created': (ctx): TemplateResult => ({ object: dispute(ctx) }),
  'checkout.session.completed': (ctx): TemplateResult => ({ object: checkoutSession(ctx) }),
  'customer.created': (ctx): TemplateResult => ({ object: customer(ctx) }),
  'customer.subscription.created': (ctx): TemplateResult => ({ object: subscription(ctx) }),
  'customer.subscription.updated': (ctx): TemplateResult => ({
    object: { ...subscription(ctx), cancel_at_period_end: true },
    previousAttributes: { cancel_at_period_end: false },
  }),
  'customer.subscription.deleted': (ctx): TemplateResult => ({ object: subscription(ctx, 'canceled') }),
  'invoice.paid': (ctx): TemplateResult => ({ object: invoice(ctx, 'paid') }),
  'invoice.payment_succeeded': (ctx): TemplateResult => ({ object: invoice(ctx, 'paid') }),
  'invoice.payment_failed': (ctx): TemplateResult => ({ object: invoice(ctx, 'payment_failed') }),
  'balance.available': (): TemplateResult => ({ object: balance(), automatic: true }),
  'payment_method.attached': (ctx): TemplateResult => ({ object: paymentMethod(ctx) }),
} satisfies Record<string, Template>;

export type SupportedEventType = keyof typeof templates;

export const supportedEventTypes: readonly string[] = Object.freeze(Object.keys(templates).sort());

export function isSupportedEventType(type: string): type is SupportedEventType {
  return Object.hasOwn(templates, type);
}

export class UnknownEventTypeError extends Error {
  readonly type: string;
  constructor(type: string) {
    super(`Unknown event type "${type}". The offline emulator can publish: ${supportedEventTypes.join(', ')}.`);
    this.name = 'UnknownEventTypeError';
    this.type = type;
  }
}

export interface BuildEventOptions {
  /** Deep-merged over the template's `data.object` (objects merge, arrays replace). */
  object?: Record<string, unknown>;
  /** Makes it a Connect event: `account: "acct_…"`. */
  account?: string;
  apiVersion: string;
  /** Milliseconds, as Date.now(). */
  now: number;
}

export function buildEvent(type: string, { object, account, apiVersion, now }: BuildEventOptions): StripeEventLike {
  if (!isSupportedEventType(type)) throw new UnknownEventTypeError(type);
  const created = Math.floor(now / 1000);
  const template: Template = templates[type];
  const result = template(createObjectContext(created));
  return eventEnvelope({
    type,
    object: deepMerge(result.object, object),
    ...(result.previousAttributes === undefined ? {} : { previousAttributes: result.previousAttributes }),
    ...(account === undefined ? {} : { account }),
    apiVersion,
    created,
    request: result.automatic === true ? AUTOMATIC_REQUEST : { id: `req_${randomAlnum(14)}`, idempotency_key: newIdempotencyKey() },
  });
}

export interface EventRequest {
  id: string | null;
  idempotency_key: string | null;
}

/** Events Stripe raises on its own (balance changes, async captures) name no request. */
export const AUTOMATIC_REQUEST: EventRequest = Object.freeze({ id: null, idempotency_key: null });

export interface EnvelopeInput {
  type: string;
  object: PlainObject;
  previousAttributes?: PlainObject;
  account?: string;
  apiVersion: string;
  /** Unix seconds. */
  created: number;
  request: EventRequest;
}

/** The event around a data.object, keys in the order Stripe sends them; shared by templates and API resources. */
export function eventEnvelope({ type, object, previousAttributes, account, apiVersion, created, request }: EnvelopeInput): StripeEventLike {
  const data: StripeEventLike['data'] = { object };
  if (previousAttributes !== undefined) data.previous_attributes = previousAttributes;
  return {
    id: newId('evt'),
    object: 'event',
    ...(account === undefined ? {} : { account }),
    api_version: apiVersion,
    created,
    data,
    livemode: false,
    pending_webhooks: 1,
    request: { ...request },
    type,
  };
}
