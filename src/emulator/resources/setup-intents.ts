/**
 * `/v1/setup_intents`: save a card for later. setup_intent.created, then on confirmation
 * setup_intent.succeeded (and payment_method.attached when it names a customer) or, for a card
 * that declines, setup_intent.setup_failed and a 402.
 */
import { deepMerge } from '../deep-merge.js';
import type { StoredObject } from '../object-store.js';
import { createObjectContext } from '../objects/object-context.js';
import { setupIntent as setupIntentObject } from '../objects/payments.js';
import { invalidRequest, type ApiResponse } from '../stripe-errors.js';
import { optionalBoolean, optionalString, stringList, updateMetadata } from './params.js';
import { cardError, threeDSecureAction } from './payment-flow.js';
import { attachPaymentMethod, findPaymentMethod, resolvePaymentMethod, type ResolvedPaymentMethod } from './payment-methods.js';
import type { ResourceRoute, ResourceScope } from './resource-scope.js';
import { findObject, saveChanges } from './stored.js';

export function setupIntentRoutes(): ResourceRoute[] {
  return [
    { method: 'POST', path: '/v1/setup_intents', handle: createSetupIntent },
    { method: 'GET', path: '/v1/setup_intents/:id', handle: (scope) => findSetupIntent(scope) },
    { method: 'POST', path: '/v1/setup_intents/:id/confirm', handle: confirmRoute },
    { method: 'POST', path: '/v1/setup_intents/:id/cancel', handle: cancelSetupIntent },
  ];
}

function findSetupIntent(scope: ResourceScope): StoredObject {
  return findObject(scope, 'setup_intent', scope.request.params.id ?? '', { label: 'setupintent' });
}

function createSetupIntent(scope: ResourceScope): StoredObject | ApiResponse {
  const { form } = scope.request;
  const customer = optionalString(form, 'customer');
  if (customer !== undefined) findObject(scope, 'customer', customer, { param: 'customer' });
  const reference = optionalString(form, 'payment_method');
  const method = reference === undefined ? undefined : resolvePaymentMethod(scope, reference);
  const types = stringList(form, 'payment_method_types');
  const setupIntent = scope.store.put(
    deepMerge(setupIntentObject(createObjectContext(scope.created), method === undefined ? 'requires_payment_method' : 'requires_confirmation'), {
      automatic_payment_methods: types === undefined ? { allow_redirects: 'always', enabled: true } : null,
      customer: customer ?? null,
      description: optionalString(form, 'description') ?? null,
      metadata: updateMetadata({}, form.metadata).metadata,
      payment_method: method?.paymentMethod.id ?? null,
      payment_method_types: types ?? ['card'],
      usage: optionalString(form, 'usage') ?? 'off_session',
    }) as StoredObject,
  );
  scope.emit('setup_intent.created', setupIntent);
  return optionalBoolean(form, 'confirm') === true ? confirm(scope, setupIntent, method) : setupIntent;
}

function confirmRoute(scope: ResourceScope): StoredObject | ApiResponse {
  const setupIntent = findSetupIntent(scope);
  const reference = optionalString(scope.request.form, 'payment_method');
  const method = reference !== undefined
    ? resolvePaymentMethod(scope, reference)
    : typeof setupIntent.payment_method === 'string' ? findPaymentMethod(scope, setupIntent.payment_method) : undefined;
  return confirm(scope, setupIntent, method);
}

function confirm(scope: ResourceScope, setupIntent: StoredObject, method: ResolvedPaymentMethod | undefined): StoredObject | ApiResponse {
  if (method === undefined) throw invalidRequest("You cannot confirm this SetupIntent because it's missing a payment method. To confirm it with a test card, pass payment_method=pm_card_visa.", { code: 'setup_intent_unexpected_state' });
  const ctx = createObjectContext(scope.created, { seti: setupIntent.id, pm: method.paymentMethod.id });
  if (method.card.outcome === 'decline') {
    const failedShape = setupIntentObject(ctx, 'setup_failed');
    const lastSetupError = { ...(failedShape.last_setup_error as Record<string, unknown>), decline_code: method.card.declineCode ?? 'generic_decline', payment_method: method.paymentMethod };
    const failed = saveChanges(scope, setupIntent, { last_setup_error: lastSetupError, latest_attempt: failedShape.latest_attempt, payment_method: null, status: 'requires_payment_method' });
    scope.emit('setup_intent.setup_failed', failed);
    return cardError(scope, lastSetupError, { setup_intent: failed });
  }
  if (method.card.outcome === 'authenticate') {
    // The bank wants 3D Secure before the card may be saved: nothing is attached yet.
    const waiting = saveChanges(scope, setupIntent, { next_action: threeDSecureAction(ctx), payment_method: method.paymentMethod.id, status: 'requires_action' });
    scope.emit('setup_intent.requires_action', waiting);
    return waiting;
  }
  if (typeof setupIntent.customer === 'string') attachPaymentMethod(scope, method, setupIntent.customer);
  const succeeded = saveChanges(scope, setupIntent, { latest_attempt: ctx.id('setatt'), payment_method: method.paymentMethod.id, status: 'succeeded' });
  scope.emit('setup_intent.succeeded', succeeded);
  return succeeded;
}

function cancelSetupIntent(scope: ResourceScope): StoredObject {
  const setupIntent = findSetupIntent(scope);
  if (setupIntent.status === 'succeeded' || setupIntent.status === 'canceled') {
    throw invalidRequest(`You cannot cancel this SetupIntent because it has a status of ${String(setupIntent.status)}.`, { code: 'setup_intent_unexpected_state' });
  }
  const canceled = saveChanges(scope, setupIntent, { cancellation_reason: optionalString(scope.request.form, 'cancellation_reason') ?? null, status: 'canceled' });
  scope.emit('setup_intent.canceled', canceled);
  return canceled;
}
