/**
 * `/v1/payment_intents`: create (optionally confirming at once), retrieve, update, confirm,
 * capture and cancel, with the events each sends.
 */
import { deepMerge } from '../deep-merge.js';
import type { FormObject } from '../form-body.js';
import type { StoredObject } from '../object-store.js';
import { createObjectContext } from '../objects/object-context.js';
import { paymentIntent as paymentIntentObject } from '../objects/payments.js';
import { invalidRequest, type ApiResponse } from '../stripe-errors.js';
import { optionalBoolean, optionalInteger, optionalObject, optionalString, requiredInteger, requiredString, stringList, toShipping, updateMetadata } from './params.js';
import { payPaymentIntent, paymentContext } from './payment-flow.js';
import { findPaymentMethod, paymentMethodFromData, resolvePaymentMethod, type ResolvedPaymentMethod } from './payment-methods.js';
import type { ResourceRoute, ResourceScope } from './resource-scope.js';
import { findObject, saveChanges } from './stored.js';

export function paymentIntentRoutes(): ResourceRoute[] {
  return [
    { method: 'POST', path: '/v1/payment_intents', handle: createPaymentIntentRoute },
    { method: 'GET', path: '/v1/payment_intents/:id', handle: (scope) => findIntent(scope) },
    { method: 'POST', path: '/v1/payment_intents/:id', handle: updatePaymentIntent },
    { method: 'POST', path: '/v1/payment_intents/:id/confirm', handle: (scope) => confirm(scope, findIntent(scope), scope.request.form) },
    { method: 'POST', path: '/v1/payment_intents/:id/capture', handle: capture },
    { method: 'POST', path: '/v1/payment_intents/:id/cancel', handle: cancel },
  ];
}

function findIntent(scope: ResourceScope): StoredObject {
  return findObject(scope, 'payment_intent', scope.request.params.id ?? '', { label: 'payment_intent' });
}

export interface NewPaymentIntent {
  amount: number;
  currency: string;
  customer?: string | null;
  description?: string | null;
  metadata?: Record<string, string>;
  captureMethod?: string;
  paymentMethodTypes?: string[];
  shipping?: Record<string, unknown> | null;
  receiptEmail?: string | null;
  setupFutureUsage?: string | null;
  paymentMethod?: ResolvedPaymentMethod;
}

/** Stores a new intent and sends payment_intent.created; invoices and Checkout make theirs here too. */
export function createPaymentIntent(scope: ResourceScope, input: NewPaymentIntent): StoredObject {
  const base = paymentIntentObject(createObjectContext(scope.created), input.paymentMethod === undefined ? 'requires_payment_method' : 'requires_confirmation');
  const paymentIntent = deepMerge(base, {
    amount: input.amount,
    automatic_payment_methods: input.paymentMethodTypes === undefined ? { allow_redirects: 'always', enabled: true } : null,
    capture_method: input.captureMethod ?? 'automatic_async',
    currency: input.currency,
    customer: input.customer ?? null,
    description: input.description ?? null,
    metadata: input.metadata ?? {},
    payment_method: input.paymentMethod?.paymentMethod.id ?? null,
    payment_method_types: input.paymentMethodTypes ?? ['card'],
    receipt_email: input.receiptEmail ?? null,
    setup_future_usage: input.setupFutureUsage ?? null,
    shipping: input.shipping ?? null,
  }) as StoredObject;
  scope.store.put(paymentIntent);
  scope.emit('payment_intent.created', paymentIntent);
  return paymentIntent;
}

function createPaymentIntentRoute(scope: ResourceScope): StoredObject | ApiResponse {
  const { form } = scope.request;
  const amount = requiredInteger(form, 'amount');
  const currency = requiredString(form, 'currency').toLowerCase();
  const customer = optionalString(form, 'customer');
  if (customer !== undefined) findObject(scope, 'customer', customer, { param: 'customer' });
  const reference = optionalString(form, 'payment_method');
  const methodData = optionalObject(form, 'payment_method_data');
  const paymentMethod = reference !== undefined ? resolvePaymentMethod(scope, reference) : methodData !== undefined ? paymentMethodFromData(scope, methodData) : undefined;
  const paymentMethodTypes = stringList(form, 'payment_method_types');
  const paymentIntent = createPaymentIntent(scope, {
    amount,
    currency,
    customer: customer ?? null,
    description: optionalString(form, 'description') ?? null,
    metadata: updateMetadata({}, form.metadata).metadata,
    captureMethod: optionalString(form, 'capture_method') ?? 'automatic_async',
    ...(paymentMethodTypes === undefined ? {} : { paymentMethodTypes }),
    shipping: toShipping(form.shipping),
    receiptEmail: optionalString(form, 'receipt_email') ?? null,
    setupFutureUsage: optionalString(form, 'setup_future_usage') ?? null,
    ...(paymentMethod === undefined ? {} : { paymentMethod }),
  });
  if (optionalBoolean(form, 'confirm') !== true) return paymentIntent;
  return confirmWith(scope, paymentIntent, paymentMethod);
}

function confirm(scope: ResourceScope, paymentIntent: StoredObject, form: FormObject): StoredObject | ApiResponse {
  const reference = optionalString(form, 'payment_method');
  const paymentMethod = reference !== undefined
    ? resolvePaymentMethod(scope, reference)
    : typeof paymentIntent.payment_method === 'string' ? findPaymentMethod(scope, paymentIntent.payment_method) : undefined;
  return confirmWith(scope, paymentIntent, paymentMethod);
}

function confirmWith(scope: ResourceScope, paymentIntent: StoredObject, paymentMethod: ResolvedPaymentMethod | undefined): StoredObject | ApiResponse {
  if (!['requires_payment_method', 'requires_confirmation'].includes(String(paymentIntent.status))) {
    throw invalidRequest(`This PaymentIntent's status is ${String(paymentIntent.status)}, so it cannot be confirmed.`, { code: 'payment_intent_unexpected_state' });
  }
  if (paymentMethod === undefined) {
    throw invalidRequest("You cannot confirm this PaymentIntent because it's missing a payment method. To confirm the PaymentIntent with a test card, pass payment_method=pm_card_visa.", { code: 'payment_intent_unexpected_state' });
  }
  const outcome = payPaymentIntent(scope, paymentIntent, paymentMethod);
  return outcome.ok ? outcome.paymentIntent : outcome.error;
}

function updatePaymentIntent(scope: ResourceScope): StoredObject {
  const paymentIntent = findIntent(scope);
  const { form } = scope.request;
  const changes: Record<string, unknown> = {};
  const description = optionalString(form, 'description');
  if (description !== undefined) changes.description = description === '' ? null : description;
  const amount = optionalInteger(form, 'amount');
  if (amount !== undefined) changes.amount = amount;
  const { metadata, previous } = updateMetadata(paymentIntent.metadata as Record<string, string>, form.metadata);
  if (previous !== undefined) changes.metadata = metadata;
  // Stripe has no payment_intent.updated event: updates are silent.
  return saveChanges(scope, paymentIntent, changes);
}

/** Capturing a held charge: charge.captured, then payment_intent.succeeded. */
function capture(scope: ResourceScope): StoredObject {
  const paymentIntent = findIntent(scope);
  if (paymentIntent.status !== 'requires_capture') {
    throw invalidRequest(`This PaymentIntent could not be captured because it has a status of ${String(paymentIntent.status)}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`, { code: 'payment_intent_unexpected_state' });
  }
  const amount = optionalInteger(scope.request.form, 'amount_to_capture') ?? (paymentIntent.amount as number);
  const charge = findObject(scope, 'charge', String(paymentIntent.latest_charge));
  const { paymentMethod } = findPaymentMethod(scope, String(paymentIntent.payment_method));
  const ctx = paymentContext(scope, paymentIntent, paymentMethod);
  const captured = saveChanges(scope, charge, { amount_captured: amount, balance_transaction: ctx.id('txn'), captured: true });
  scope.emit('charge.captured', captured, { amount_captured: 0, balance_transaction: null, captured: false });
  const succeeded = saveChanges(scope, paymentIntent, { amount_capturable: 0, amount_received: amount, status: 'succeeded' });
  scope.emit('payment_intent.succeeded', succeeded);
  return succeeded;
}

function cancel(scope: ResourceScope): StoredObject {
  const paymentIntent = findIntent(scope);
  if (['succeeded', 'canceled'].includes(String(paymentIntent.status))) {
    throw invalidRequest(`You cannot cancel this PaymentIntent because it has a status of ${String(paymentIntent.status)}. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.`, { code: 'payment_intent_unexpected_state' });
  }
  const canceled = saveChanges(scope, paymentIntent, {
    amount_capturable: 0,
    canceled_at: scope.created,
    cancellation_reason: optionalString(scope.request.form, 'cancellation_reason') ?? null,
    status: 'canceled',
  });
  scope.emit('payment_intent.canceled', canceled);
  return canceled;
}
