/**
 * Invoice items and invoices: create a draft (taking the customer's pending items), finalize,
 * pay. Paying goes through a payment intent like any card payment, then marks the invoice paid
 * (invoice.paid, invoice.payment_succeeded, invoice_payment.paid) or failed
 * (invoice.payment_failed). Subscriptions make and pay their first invoice with the same steps.
 */
import { deepMerge } from '../deep-merge.js';
import type { StoredObject } from '../object-store.js';
import { invoice as invoiceObject, invoiceItem as invoiceItemObject, invoiceLine, invoicePayment } from '../objects/billing.js';
import { createObjectContext, list, type ObjectContext } from '../objects/object-context.js';
import { invalidRequest, stripeError, type ApiResponse } from '../stripe-errors.js';
import { optionalBoolean, optionalInteger, optionalString, requiredString, updateMetadata } from './params.js';
import { payPaymentIntent } from './payment-flow.js';
import { createPaymentIntent } from './payment-intents.js';
import { findPaymentMethod, resolvePaymentMethod, type ResolvedPaymentMethod } from './payment-methods.js';
import type { ResourceRoute, ResourceScope } from './resource-scope.js';
import { defaultSourceMethod } from './customer-sources.js';
import { findObject, saveChanges } from './stored.js';
import { updateObject } from './update-object.js';
import type { FormObject } from '../form-body.js';

export function invoiceRoutes(): ResourceRoute[] {
  return [
    { method: 'POST', path: '/v1/invoiceitems', handle: createInvoiceItem },
    { method: 'GET', path: '/v1/invoiceitems/:id', handle: (scope) => findObject(scope, 'invoiceitem', scope.request.params.id ?? '', { allowDeleted: true }) },
    { method: 'DELETE', path: '/v1/invoiceitems/:id', handle: deleteInvoiceItem },
    { method: 'POST', path: '/v1/invoices', handle: createInvoiceRoute },
    { method: 'GET', path: '/v1/invoices/:id', handle: (scope) => findObject(scope, 'invoice', scope.request.params.id ?? '', { allowDeleted: true }) },
    { method: 'DELETE', path: '/v1/invoices/:id', handle: deleteInvoice },
    { method: 'POST', path: '/v1/invoices/:id/finalize', handle: (scope) => finalizeInvoice(scope, draftInvoice(scope, 'finalized')) },
    { method: 'POST', path: '/v1/invoices/:id/pay', handle: payInvoiceRoute },
    { method: 'POST', path: '/v1/invoices/:id', handle: updateInvoice },
    { method: 'POST', path: '/v1/invoices/:id/send', handle: sendInvoice },
    { method: 'POST', path: '/v1/invoices/:id/void', handle: (scope) => closeOpenInvoice(scope, 'void') },
    { method: 'POST', path: '/v1/invoices/:id/mark_uncollectible', handle: (scope) => closeOpenInvoice(scope, 'uncollectible') },
  ];
}

function findInvoice(scope: ResourceScope): StoredObject {
  return findObject(scope, 'invoice', scope.request.params.id ?? '');
}

function draftInvoice(scope: ResourceScope, action: string): StoredObject {
  const invoice = findInvoice(scope);
  if (invoice.status !== 'draft') throw invalidRequest(`This invoice is ${String(invoice.status)}; only a draft invoice can be ${action}.`, { code: 'invoice_not_editable' });
  return invoice;
}

function createInvoiceItem(scope: ResourceScope): StoredObject {
  const { form } = scope.request;
  const customer = findObject(scope, 'customer', requiredString(form, 'customer'), { param: 'customer' });
  const amount = optionalInteger(form, 'amount');
  const priceId = optionalString(form, 'price') ?? optionalString(form, 'pricing[price]');
  const price = priceId === undefined ? undefined : findObject(scope, 'price', priceId, { param: 'price' });
  const quantity = optionalInteger(form, 'quantity') ?? 1;
  const total = amount ?? ((price?.unit_amount as number | undefined) ?? 0) * quantity;
  if (amount === undefined && price === undefined) throw invalidRequest('You must specify either `amount` or `price` for an invoice item.');
  const item = scope.store.put(
    deepMerge(invoiceItemObject(createObjectContext(scope.created, { cus: customer.id })), {
      amount: total,
      currency: (optionalString(form, 'currency') ?? (price?.currency as string | undefined) ?? 'usd').toLowerCase(),
      description: optionalString(form, 'description') ?? null,
      metadata: updateMetadata({}, form.metadata).metadata,
      net_amount: total,
      pricing: price === undefined ? null : { price_details: { price: price.id, product: price.product }, type: 'price_details', unit_amount_decimal: String(price.unit_amount) },
      quantity,
      quantity_decimal: String(quantity),
    }) as StoredObject,
  );
  scope.emit('invoiceitem.created', item);
  return item;
}

/** Only an item not yet on a finalized invoice can go; it leaves a `deleted: true` stub. */
function deleteInvoiceItem(scope: ResourceScope): StoredObject {
  const item = findObject(scope, 'invoiceitem', scope.request.params.id ?? '');
  const invoice = typeof item.invoice === 'string' ? scope.store.get('invoice', item.invoice) : undefined;
  if (invoice !== undefined && invoice.status !== 'draft') throw invalidRequest('Invoice items on finalized invoices cannot be deleted.', { code: 'invoice_not_editable' });
  const stub = scope.store.put({ id: item.id, object: 'invoiceitem', deleted: true });
  scope.emit('invoiceitem.deleted', item);
  return stub;
}

/** Only drafts can be deleted. */
function deleteInvoice(scope: ResourceScope): StoredObject {
  const invoice = draftInvoice(scope, 'deleted');
  const stub = scope.store.put({ id: invoice.id, object: 'invoice', deleted: true });
  scope.emit('invoice.deleted', invoice);
  return stub;
}

export interface NewInvoice {
  ctx: ObjectContext;
  customer: StoredObject;
  lines: Record<string, unknown>[];
  billingReason: string;
  description?: string | null;
  autoAdvance: boolean;
  subscription?: StoredObject;
  /** `send_invoice` invoices are emailed and due `days_until_due` days after finalizing. */
  collectionMethod?: 'charge_automatically' | 'send_invoice';
  daysUntilDue?: number | null;
}

/** Stores a draft and sends invoice.created. `ctx` must know `cus` (and `sub` for a subscription's). */
export function createInvoice(scope: ResourceScope, { ctx, customer, lines, billingReason, description = null, autoAdvance, subscription, collectionMethod = 'charge_automatically', daysUntilDue = null }: NewInvoice): StoredObject {
  const id = ctx.id('in');
  const total = lines.reduce((sum, line) => sum + (line.amount as number), 0);
  const invoice = scope.store.put(
    deepMerge(invoiceObject(ctx, 'draft'), {
      amount_due: total,
      amount_paid: 0,
      amount_remaining: total,
      auto_advance: autoAdvance,
      billing_reason: billingReason,
      collection_method: collectionMethod,
      currency: lines[0]?.currency ?? 'usd',
      customer_email: customer.email ?? null,
      customer_name: customer.name ?? null,
      description,
      due_date: daysUntilDue === null ? null : scope.created + daysUntilDue * DAY,
      lines: list(`/v1/invoices/${id}/lines`, lines),
      parent: subscription === undefined ? null : { quote_details: null, subscription_details: { metadata: subscription.metadata ?? {}, subscription: subscription.id }, type: 'subscription_details' },
      subtotal: total,
      subtotal_excluding_tax: total,
      total,
      total_excluding_tax: total,
    }) as StoredObject,
  );
  scope.emit('invoice.created', invoice);
  return invoice;
}

/** A line for a pending invoice item. */
function itemLine(ctx: ObjectContext, index: number, item: StoredObject): Record<string, unknown> {
  return deepMerge(invoiceLine(ctx), {
    id: ctx.id(`il:${index}`),
    amount: item.amount,
    currency: item.currency,
    description: item.description,
    metadata: item.metadata,
    parent: {
      invoice_item_details: { invoice_item: item.id, proration: false, proration_details: { credited_items: null }, subscription: null },
      subscription_item_details: null,
      type: 'invoice_item_details',
    },
    period: item.period,
    pricing: item.pricing,
    quantity: item.quantity,
    quantity_decimal: item.quantity_decimal,
    subscription: null,
    subtotal: item.amount,
  });
}

function createInvoiceRoute(scope: ResourceScope): StoredObject {
  const { form } = scope.request;
  const customer = findObject(scope, 'customer', requiredString(form, 'customer'), { param: 'customer' });
  const ctx = createObjectContext(scope.created, { cus: customer.id });
  // Since 2022 the API leaves pending items out unless asked to include them.
  const include = optionalString(form, 'pending_invoice_items_behavior') === 'include';
  const pending = include ? scope.store.list('invoiceitem').filter((item) => item.customer === customer.id && item.invoice === null).reverse() : [];
  const invoice = createInvoice(scope, {
    ctx,
    customer,
    lines: pending.map((item, index) => itemLine(ctx, index, item)),
    billingReason: 'manual',
    description: optionalString(form, 'description') ?? null,
    autoAdvance: optionalBoolean(form, 'auto_advance') ?? false,
    ...collectionTerms(scope, form),
  });
  for (const item of pending) saveChanges(scope, item, { invoice: invoice.id });
  return saveChanges(scope, invoice, { metadata: updateMetadata({}, form.metadata).metadata });
}

/** draft → open: the invoice gets its number and hosted page; sends invoice.finalized. */
export function finalizeInvoice(scope: ResourceScope, invoice: StoredObject): StoredObject {
  const open = invoiceObject(createObjectContext(scope.created, { in: invoice.id, cus: String(invoice.customer) }), 'open');
  const picked = Object.fromEntries(['effective_at', 'hosted_invoice_url', 'invoice_pdf', 'number', 'status', 'status_transitions', 'webhooks_delivered_at'].map((key) => [key, open[key]]));
  const finalized = saveChanges(scope, invoice, picked);
  scope.emit('invoice.finalized', finalized);
  return finalized;
}

export type InvoicePayment = { ok: true; invoice: StoredObject; paymentIntent?: StoredObject } | { ok: false; invoice: StoredObject; paymentIntent: StoredObject; error: ApiResponse };

/** Finalizes a draft first, as Stripe does, then charges the amount due through a payment intent. */
export function payInvoice(scope: ResourceScope, draftOrOpen: StoredObject, method: ResolvedPaymentMethod): InvoicePayment {
  const invoice = draftOrOpen.status === 'draft' ? finalizeInvoice(scope, draftOrOpen) : draftOrOpen;
  const amountDue = invoice.amount_due as number;
  if (amountDue === 0) return { ok: true, invoice: markInvoicePaid(scope, invoice, undefined) };
  const subscriptionCreate = invoice.billing_reason === 'subscription_create';
  const paymentIntent = createPaymentIntent(scope, {
    amount: amountDue,
    currency: String(invoice.currency),
    customer: String(invoice.customer),
    description: subscriptionCreate ? 'Subscription creation' : null,
    paymentMethodTypes: ['card'],
    paymentMethod: method,
    setupFutureUsage: null,
  });
  const outcome = payPaymentIntent(scope, paymentIntent, method);
  if (outcome.ok === 'pending') return awaitAction(scope, invoice, outcome.paymentIntent);
  if (outcome.ok) return { ok: true, invoice: markInvoicePaid(scope, invoice, outcome.paymentIntent), paymentIntent: outcome.paymentIntent };
  const failed = saveChanges(scope, invoice, {
    attempt_count: (invoice.attempt_count as number) + 1,
    attempted: true,
    // Subscriptions retry on Stripe's schedule; a one-off invoice paid by hand waits for the next try.
    next_payment_attempt: invoice.parent === null ? null : scope.created + 3 * 24 * 60 * 60,
  });
  scope.emit('invoice.payment_failed', failed);
  return { ok: false, invoice: failed, paymentIntent: outcome.paymentIntent, error: outcome.error };
}

/**
 * The card wants 3D Secure: the attempt counts, the invoice stays open, Stripe sends
 * invoice.payment_action_required and the request fails with a card_error naming the intent the
 * customer must confirm.
 */
function awaitAction(scope: ResourceScope, invoice: StoredObject, paymentIntent: StoredObject): InvoicePayment {
  const waiting = saveChanges(scope, invoice, { attempt_count: (invoice.attempt_count as number) + 1, attempted: true });
  scope.emit('invoice.payment_action_required', waiting);
  const error = stripeError(402, 'card_error', 'This payment requires additional user action before it can be completed successfully. Payment can be completed using the PaymentIntent associated with the invoice. For more details see: https://stripe.com/docs/billing/subscriptions/overview#requires-action', {
    code: 'invoice_payment_intent_requires_action',
    payment_intent: paymentIntent,
  });
  return { ok: false, invoice: waiting, paymentIntent, error };
}

export function markInvoicePaid(scope: ResourceScope, invoice: StoredObject, paymentIntent: StoredObject | undefined): StoredObject {
  const paid = saveChanges(scope, invoice, {
    amount_paid: invoice.amount_due,
    amount_remaining: 0,
    attempt_count: (invoice.attempt_count as number) + 1,
    attempted: true,
    auto_advance: false,
    next_payment_attempt: null,
    status: 'paid',
    status_transitions: { ...(invoice.status_transitions as object), paid_at: scope.created },
  });
  scope.emit('invoice.paid', paid);
  scope.emit('invoice.payment_succeeded', paid);
  if (paymentIntent !== undefined) {
    const ctx = createObjectContext(scope.created, { in: invoice.id, pi: paymentIntent.id });
    const payment = scope.store.put(deepMerge(invoicePayment(ctx), { amount_paid: invoice.amount_due, amount_requested: invoice.amount_due, currency: invoice.currency }) as StoredObject);
    scope.emit('invoice_payment.paid', payment);
  }
  return paid;
}

function payInvoiceRoute(scope: ResourceScope): StoredObject | ApiResponse {
  const invoice = findInvoice(scope);
  if (invoice.status === 'paid') throw invalidRequest('Invoice is already paid', { code: 'invoice_already_paid' });
  if (invoice.status !== 'draft' && invoice.status !== 'open') throw invalidRequest(`You can only pay an open invoice; this one is ${String(invoice.status)}.`, { code: 'invoice_not_editable' });
  const method = invoicePaymentMethod(scope, invoice, optionalString(scope.request.form, 'payment_method'));
  const result = payInvoice(scope, invoice, method);
  return result.ok ? result.invoice : result.error;
}

/** The payment method passed, else the customer's default, else Stripe's error for neither. */
export function invoicePaymentMethod(scope: ResourceScope, invoice: StoredObject, reference: string | undefined): ResolvedPaymentMethod {
  if (reference !== undefined) return resolvePaymentMethod(scope, reference);
  const customer = findObject(scope, 'customer', String(invoice.customer), { param: 'customer' });
  const fallback = (customer.invoice_settings as { default_payment_method?: unknown } | undefined)?.default_payment_method;
  if (typeof fallback === 'string') return findPaymentMethod(scope, fallback);
  const source = defaultSourceMethod(scope, customer);
  if (source !== undefined) return source;
  throw invalidRequest('This customer has no attached payment source or default payment method. Please consider adding a default payment method.');
}

const DAY = 24 * 60 * 60;

function collectionTerms(scope: ResourceScope, form: FormObject): Pick<NewInvoice, 'collectionMethod' | 'daysUntilDue'> {
  const method = optionalString(form, 'collection_method') ?? 'charge_automatically';
  if (method !== 'charge_automatically' && method !== 'send_invoice') throw invalidRequest(`Invalid collection_method: must be one of charge_automatically or send_invoice`, { param: 'collection_method' });
  const days = optionalInteger(form, 'days_until_due');
  const dueDate = optionalInteger(form, 'due_date');
  if (method === 'send_invoice' && days === undefined && dueDate === undefined) throw invalidRequest('Invoices with `collection_method=send_invoice` need `days_until_due` or `due_date`.', { param: 'days_until_due' });
  if (method === 'charge_automatically' && (days !== undefined || dueDate !== undefined)) throw invalidRequest('`days_until_due` and `due_date` are only for invoices with `collection_method=send_invoice`.', { param: 'days_until_due' });
  return { collectionMethod: method, daysUntilDue: dueDate === undefined ? (days ?? null) : Math.ceil((dueDate - scope.created) / DAY) };
}

/** Description, footer and metadata change on any invoice; Stripe sends invoice.updated with what changed. */
function updateInvoice(scope: ResourceScope): StoredObject {
  const invoice = findInvoice(scope);
  const { form } = scope.request;
  const text = (name: string) => {
    const value = optionalString(form, name);
    return value === undefined ? undefined : value === '' ? null : value;
  };
  const draftOnly = { auto_advance: optionalBoolean(form, 'auto_advance') };
  if (invoice.status !== 'draft' && draftOnly.auto_advance !== undefined && invoice.status !== 'open') throw invalidRequest(`This invoice is ${String(invoice.status)}; auto_advance can change only on a draft or open invoice.`, { code: 'invoice_not_editable' });
  return updateObject(scope, invoice, { changes: { description: text('description'), footer: text('footer'), ...draftOnly }, metadata: form.metadata, eventType: 'invoice.updated' });
}

/**
 * Emails a `send_invoice` invoice (none leaves the emulator): a draft is finalized first, then
 * invoice.sent.
 */
function sendInvoice(scope: ResourceScope): StoredObject {
  const invoice = findInvoice(scope);
  if (invoice.collection_method !== 'send_invoice') throw invalidRequest('You can only manually send an invoice if its collection method is \'send_invoice\'.', { code: 'invoice_not_editable' });
  if (invoice.status !== 'draft' && invoice.status !== 'open') throw invalidRequest(`This invoice is ${String(invoice.status)}; only a draft or open invoice can be sent.`, { code: 'invoice_not_editable' });
  const open = invoice.status === 'draft' ? finalizeInvoice(scope, invoice) : invoice;
  scope.emit('invoice.sent', open);
  return open;
}

/** open → void (invoice.voided) or uncollectible (invoice.marked_uncollectible). */
function closeOpenInvoice(scope: ResourceScope, status: 'void' | 'uncollectible'): StoredObject {
  const invoice = findInvoice(scope);
  const allowed = status === 'void' ? ['open', 'uncollectible'] : ['open'];
  if (!allowed.includes(String(invoice.status))) throw invalidRequest(`This invoice is ${String(invoice.status)}; only an ${allowed.join(' or ')} invoice can be ${status === 'void' ? 'voided' : 'marked uncollectible'}.`, { code: 'invoice_not_editable' });
  const transitions = invoice.status_transitions as Record<string, unknown>;
  const closed = saveChanges(scope, invoice, {
    auto_advance: false,
    next_payment_attempt: null,
    status,
    status_transitions: { ...transitions, ...(status === 'void' ? { voided_at: scope.created } : { marked_uncollectible_at: scope.created }) },
    ...(status === 'void' ? { amount_remaining: 0 } : {}),
  });
  scope.emit(status === 'void' ? 'invoice.voided' : 'invoice.marked_uncollectible', closed);
  return closed;
}
