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
import { createInvoice, finalizeInvoice, invoicePaymentMethod, payInvoice } from './invoices.js';
import { optionalBoolean, optionalInteger, optionalList, optionalString, requiredString, updateMetadata } from './params.js';
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

interface ItemInput {
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
function subscriptionLine(ctx: ObjectContext, index: number, item: Record<string, unknown>, productName: string): Record<string, unknown> {
  const price = item.price as Record<string, unknown>;
  const quantity = item.quantity as number;
  const amount = (price.unit_amount as number) * quantity;
  return deepMerge(invoiceLine(ctx), {
    id: ctx.id(`il:${index}`),
    amount,
    currency: price.currency,
    description: `${quantity} × ${productName} (at $${((price.unit_amount as number) / 100).toFixed(2)} / ${String((price.recurring as { interval?: string } | null)?.interval ?? 'month')})`,
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
  const inputs = itemInputs(scope, form);
  const behavior = optionalString(form, 'payment_behavior') ?? 'allow_incomplete';
  const reference = optionalString(form, 'default_payment_method');
  const ctx = createObjectContext(scope.created, { cus: customer.id });
  const subscriptionId = ctx.id('sub');
  const items = inputs.map(({ price, quantity }) => subscriptionItem(createObjectContext(scope.created, { sub: subscriptionId }), asPrice(price), quantity));
  const base = subscriptionObject(ctx, 'incomplete');
  const created = scope.store.put(
    deepMerge(base, {
      currency: inputs[0]!.price.currency,
      default_payment_method: null,
      description: optionalString(form, 'description') ?? null,
      items: list(`/v1/subscription_items?subscription=${subscriptionId}`, items),
      metadata: updateMetadata({}, form.metadata).metadata,
      payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: 'off' },
    }) as StoredObject,
  );
  scope.emit('customer.subscription.created', created);
  const draft = createInvoice(scope, { ctx, customer, lines: items.map((item, index) => subscriptionLine(ctx, index, item, productName(scope, inputs[index]!.price))), billingReason: 'subscription_create', autoAdvance: true, subscription: created });
  const invoice = finalizeInvoice(scope, draft);
  if (behavior === 'default_incomplete') {
    createPaymentIntent(scope, { amount: invoice.amount_due as number, currency: String(invoice.currency), customer: customer.id, description: 'Subscription creation', paymentMethodTypes: ['card'] });
    return created;
  }
  const method = invoicePaymentMethod(scope, invoice, reference);
  const withMethod = reference === undefined ? created : saveChanges(scope, created, { default_payment_method: method.paymentMethod.id });
  const payment = payInvoice(scope, invoice, method);
  if (!payment.ok) return behavior === 'error_if_incomplete' ? payment.error : withMethod;
  const active = saveChanges(scope, withMethod, { status: 'active' });
  scope.emit('customer.subscription.updated', active, { status: 'incomplete' });
  return active;
}

function updateSubscription(scope: ResourceScope): StoredObject {
  const subscription = findSubscription(scope);
  const { form } = scope.request;
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
  const subscription = findSubscription(scope);
  if (subscription.status === 'canceled') throw invalidRequest(`No such subscription: '${subscription.id}'`, { code: 'resource_missing', param: 'id' });
  const canceled = saveChanges(scope, subscription, {
    canceled_at: scope.created,
    cancellation_details: { comment: null, feedback: null, reason: 'cancellation_requested' },
    ended_at: scope.created,
    status: 'canceled',
  });
  scope.emit('customer.subscription.deleted', canceled);
  return canceled;
}
