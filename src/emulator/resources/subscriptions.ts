/**
 * `/v1/subscriptions`. Creating one starts it `incomplete`, makes, finalizes and pays its first
 * invoice with the customer's default payment method, then makes it `active`
 * (customer.subscription.updated with `previous_attributes.status: incomplete`), which is the
 * sequence Stripe sends for the default `payment_behavior=allow_incomplete`.
 */
import { deepMerge } from '../deep-merge.js';
import type { FormObject } from '../form-body.js';
import type { StoredObject } from '../object-store.js';
import { invoiceLine, subscription as subscriptionObject, subscriptionItem } from '../objects/billing.js';
import { createObjectContext, list, oneMonthLater, type ObjectContext } from '../objects/object-context.js';
import { invalidRequest, missingParam, type ApiResponse } from '../stripe-errors.js';
import { createInvoice, finalizeInvoice, invoicePaymentMethod, markInvoicePaid, payInvoice } from './invoices.js';
import { optionalBoolean, optionalInteger, optionalList, optionalObject, optionalString, requiredString, updateMetadata } from './params.js';
import { createPaymentIntent } from './payment-intents.js';
import type { ResourceRoute, ResourceScope } from './resource-scope.js';
import { asPrice, findObject, previousValues, saveChanges } from './stored.js';

export function subscriptionRoutes(): ResourceRoute[] {
  return [
    { method: 'POST', path: '/v1/subscriptions', handle: createSubscriptionRoute },
    { method: 'GET', path: '/v1/subscriptions/:id', handle: (scope) => findSubscription(scope) },
    { method: 'POST', path: '/v1/subscriptions/:id', handle: updateSubscription },
    { method: 'DELETE', path: '/v1/subscriptions/:id', handle: cancelSubscription },
  ];
}

function findSubscription(scope: ResourceScope): StoredObject {
  return findObject(scope, 'subscription', scope.request.params.id ?? '');
}

export interface ItemInput {
  price: StoredObject;
  quantity: number;
}

function itemInputs(scope: ResourceScope, form: FormObject): ItemInput[] {
  const items = optionalList(form, 'items') ?? [];
  if (items.length === 0) throw missingParam('items');
  return items.map((item, index) => {
    const fields = typeof item === 'object' && !Array.isArray(item) ? item : {};
    const price = findObject(scope, 'price', requiredString(fields, 'price'), { param: `items[${index}][price]` });
    if (price.type !== 'recurring') throw invalidRequest(`The price specified is set to \`type=one_time\` but this field only accepts prices with \`type=recurring\`.`, { param: `items[${index}][price]` });
    return { price, quantity: optionalInteger(fields, 'quantity') ?? 1 };
  });
}

/** A subscription line of the first invoice, tied to its subscription item. */
function subscriptionLine(ctx: ObjectContext, index: number, item: Record<string, unknown>, productName: string, trialing = false): Record<string, unknown> {
  const price = item.price as Record<string, unknown>;
  const quantity = item.quantity as number;
  const amount = trialing ? 0 : (price.unit_amount as number) * quantity;
  return deepMerge(invoiceLine(ctx), {
    id: ctx.id(`il:${index}`),
    amount,
    currency: price.currency,
    description: trialing
      ? `Trial period for ${productName}`
      : `${quantity} × ${productName} (at $${((price.unit_amount as number) / 100).toFixed(2)} / ${String((price.recurring as { interval?: string } | null)?.interval ?? 'month')})`,
    parent: { subscription_item_details: { subscription_item: item.id } },
    period: { end: item.current_period_end, start: item.current_period_start },
    pricing: { price_details: { price: price.id, product: price.product }, type: 'price_details', unit_amount_decimal: String(price.unit_amount) },
    quantity,
    quantity_decimal: String(quantity),
    subtotal: amount,
  });
}

function createSubscriptionRoute(scope: ResourceScope): StoredObject | ApiResponse {
  const { form } = scope.request;
  const customer = findObject(scope, 'customer', requiredString(form, 'customer'), { param: 'customer' });
  const started = startSubscription(scope, {
    customer,
    inputs: itemInputs(scope, form),
    behavior: optionalString(form, 'payment_behavior') ?? 'allow_incomplete',
    paymentMethod: optionalString(form, 'default_payment_method'),
    description: optionalString(form, 'description') ?? null,
    metadata: updateMetadata({}, form.metadata).metadata,
    trial: trialTerms(scope, form),
  });
  return started.error ?? started.subscription;
}

export interface SubscriptionStart {
  customer: StoredObject;
  inputs: ItemInput[];
  /** `payment_behavior`. */
  behavior: string;
  /** `default_payment_method`, when given. */
  paymentMethod?: string | undefined;
  description: string | null;
  metadata: Record<string, string>;
  trial?: Trial | undefined;
  /** The schedule that made it. */
  schedule?: string;
}

interface Trial {
  /** Unix seconds. */
  end: number;
  missingPaymentMethod: 'cancel' | 'create_invoice' | 'pause';
}

/** Stripe sends customer.subscription.trial_will_end three days before a trial ends, or at once for a shorter trial. */
const TRIAL_WILL_END_NOTICE = 3 * 24 * 60 * 60;

function trialTerms(scope: ResourceScope, form: FormObject): Trial | undefined {
  const days = optionalInteger(form, 'trial_period_days');
  const endText = optionalString(form, 'trial_end');
  const behavior = optionalString(optionalObject(optionalObject(form, 'trial_settings') ?? {}, 'end_behavior') ?? {}, 'missing_payment_method') ?? 'create_invoice';
  if (behavior !== 'cancel' && behavior !== 'create_invoice' && behavior !== 'pause') throw invalidRequest('Invalid trial_settings[end_behavior][missing_payment_method]: must be one of cancel, create_invoice or pause', { param: 'trial_settings[end_behavior][missing_payment_method]' });
  if (days !== undefined && days > 0) return { end: scope.created + days * 24 * 60 * 60, missingPaymentMethod: behavior };
  if (endText !== undefined && endText !== 'now') {
    const end = optionalInteger(form, 'trial_end')!;
    if (end <= scope.created) throw invalidRequest('Invalid timestamp: must be an integer Unix timestamp in the future.', { param: 'trial_end' });
    return { end, missingPaymentMethod: behavior };
  }
  return undefined;
}

/**
 * Makes a subscription and its first invoice. Without a trial the invoice is paid at once with the
 * payment method given, else the customer's default; with one the subscription is `trialing`, its
 * first invoice is for $0 and needs no payment method.
 */
export function startSubscription(scope: ResourceScope, start: SubscriptionStart): { subscription: StoredObject; error?: ApiResponse } {
  const { customer, inputs, behavior, trial } = start;
  const ctx = createObjectContext(scope.created, { cus: customer.id });
  const subscriptionId = ctx.id('sub');
  const items = inputs.map(({ price, quantity }) =>
    deepMerge(subscriptionItem(createObjectContext(scope.created, { sub: subscriptionId }), asPrice(price), quantity), trial === undefined ? {} : { current_period_end: trial.end }),
  );
  const created = scope.store.put(
    deepMerge(subscriptionObject(ctx, trial === undefined ? 'incomplete' : 'trialing'), {
      currency: inputs[0]!.price.currency,
      default_payment_method: null,
      description: start.description,
      items: list(`/v1/subscription_items?subscription=${subscriptionId}`, items),
      metadata: start.metadata,
      payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: 'off' },
      schedule: start.schedule ?? null,
      test_clock: customer.test_clock ?? null,
      ...(trial === undefined ? {} : { trial_end: trial.end, trial_settings: { end_behavior: { billing_cycle_anchor: null, missing_payment_method: trial.missingPaymentMethod } }, trial_start: scope.created }),
    }) as StoredObject,
  );
  scope.emit('customer.subscription.created', created);
  const lines = items.map((item, index) => subscriptionLine(ctx, index, item, productName(scope, inputs[index]!.price), trial !== undefined));
  const draft = createInvoice(scope, { ctx, customer, lines, billingReason: 'subscription_create', autoAdvance: true, subscription: created });
  const invoice = finalizeInvoice(scope, draft);
  if (trial !== undefined) {
    markInvoicePaid(scope, invoice, undefined);
    if (trial.end - scope.created <= TRIAL_WILL_END_NOTICE) scope.emitLater('customer.subscription.trial_will_end', created);
    return { subscription: created };
  }
  if (behavior === 'default_incomplete') {
    createPaymentIntent(scope, { amount: invoice.amount_due as number, currency: String(invoice.currency), customer: customer.id, description: 'Subscription creation', paymentMethodTypes: ['card'] });
    return { subscription: created };
  }
  const method = invoicePaymentMethod(scope, invoice, start.paymentMethod);
  const withMethod = start.paymentMethod === undefined ? created : saveChanges(scope, created, { default_payment_method: method.paymentMethod.id });
  const payment = payInvoice(scope, invoice, method);
  if (!payment.ok) return behavior === 'error_if_incomplete' ? { subscription: withMethod, error: payment.error } : { subscription: withMethod };
  const active = saveChanges(scope, withMethod, { status: 'active' });
  scope.emit('customer.subscription.updated', active, { status: 'incomplete' });
  return { subscription: active };
}

function updateSubscription(scope: ResourceScope): StoredObject {
  const subscription = findSubscription(scope);
  const { form } = scope.request;
  if (optionalString(form, 'trial_end') === 'now') return endTrialNow(scope, subscription);
  const changes: Record<string, unknown> = {};
  const description = optionalString(form, 'description');
  if (description !== undefined) changes.description = description === '' ? null : description;
  const cancelAtPeriodEnd = optionalBoolean(form, 'cancel_at_period_end');
  if (cancelAtPeriodEnd !== undefined) {
    changes.cancel_at_period_end = cancelAtPeriodEnd;
    changes.cancel_at = cancelAtPeriodEnd ? periodEnd(subscription) : null;
    changes.canceled_at = cancelAtPeriodEnd ? scope.created : null;
  }
  const previous = previousValues(subscription, changes);
  const { metadata, previous: previousMetadata } = updateMetadata(subscription.metadata as Record<string, string>, form.metadata);
  if (previousMetadata !== undefined) {
    changes.metadata = metadata;
    previous.metadata = previousMetadata;
  }
  if (Object.keys(previous).length === 0) return subscription;
  const updated = saveChanges(scope, subscription, changes);
  scope.emit('customer.subscription.updated', updated, previous);
  return updated;
}

/**
 * `trial_end=now` on a trialing subscription whose customer has no payment method: the trial's
 * end behavior decides. `pause` pauses it (customer.subscription.updated, then
 * customer.subscription.paused), `cancel` cancels it (customer.subscription.deleted).
 */
function endTrialNow(scope: ResourceScope, subscription: StoredObject): StoredObject {
  if (subscription.status !== 'trialing') throw invalidRequest('trial_end=now applies only to a subscription in its trial.', { param: 'trial_end' });
  const behavior = (subscription.trial_settings as { end_behavior: { missing_payment_method: string } }).end_behavior.missing_payment_method;
  if (hasPaymentMethod(scope, subscription) || behavior === 'create_invoice') {
    throw invalidRequest("webhook-dev's offline emulator ends a trial early only for a customer without a payment method whose trial_settings[end_behavior][missing_payment_method] is pause or cancel.", { param: 'trial_end' });
  }
  const items = subscription.items as { data: Record<string, unknown>[] };
  const ended = { trial_end: scope.created, items: { ...items, data: items.data.map((item) => ({ ...item, current_period_end: scope.created })) } };
  if (behavior === 'cancel') {
    const canceled = saveChanges(scope, subscription, { ...ended, canceled_at: scope.created, cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: 'cancellation_requested' }, ended_at: scope.created, status: 'canceled' });
    scope.emit('customer.subscription.deleted', canceled);
    return canceled;
  }
  const paused = saveChanges(scope, subscription, { ...ended, status: 'paused' });
  scope.emit('customer.subscription.updated', paused, { status: 'trialing', trial_end: subscription.trial_end });
  scope.emit('customer.subscription.paused', paused);
  return paused;
}

function hasPaymentMethod(scope: ResourceScope, subscription: StoredObject): boolean {
  if (subscription.default_payment_method !== null || subscription.default_source !== null) return true;
  const customer = scope.store.get('customer', String(subscription.customer));
  const settings = customer?.invoice_settings as { default_payment_method?: unknown } | undefined;
  return typeof settings?.default_payment_method === 'string' || typeof customer?.default_source === 'string';
}

function productName(scope: ResourceScope, price: StoredObject): string {
  const product = scope.store.get('product', String(price.product));
  return typeof product?.name === 'string' ? product.name : String(price.product);
}

function periodEnd(subscription: StoredObject): number {
  const first = (subscription.items as { data?: { current_period_end?: number }[] }).data?.[0];
  return first?.current_period_end ?? oneMonthLater(subscription.created as number);
}

/** `DELETE` cancels at once: status canceled, customer.subscription.deleted. */
function cancelSubscription(scope: ResourceScope): StoredObject {
  return cancelSubscriptionNow(scope, findSubscription(scope));
}

export function cancelSubscriptionNow(scope: ResourceScope, subscription: StoredObject): StoredObject {
  if (subscription.status === 'canceled') throw invalidRequest(`No such subscription: '${subscription.id}'`, { code: 'resource_missing', param: 'id' });
  const canceled = saveChanges(scope, subscription, {
    canceled_at: scope.created,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: 'cancellation_requested' },
    ended_at: scope.created,
    status: 'canceled',
  });
  scope.emit('customer.subscription.deleted', canceled);
  return canceled;
}
