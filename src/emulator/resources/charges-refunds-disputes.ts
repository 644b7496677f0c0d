/**
 * Charges and disputes to read back, and `POST /v1/refunds`, which refunds a charge (named
 * directly or through its payment intent) and sends charge.refunded then refund.created.
 */
import { deepMerge } from '../deep-merge.js';
import type { StoredObject } from '../object-store.js';
import { createObjectContext } from '../objects/object-context.js';
import { refund as refundObject } from '../objects/payments.js';
import { invalidRequest, type ApiResponse } from '../stripe-errors.js';
import { optionalInteger, optionalString, updateMetadata } from './params.js';
import type { ResourceRoute, ResourceScope } from './resource-scope.js';
import { findObject, saveChanges, updateStoredMetadata } from './stored.js';

export function chargeRefundDisputeRoutes(): ResourceRoute[] {
  const read = (type: string, label = type): ResourceRoute['handle'] => (scope) => findObject(scope, type, scope.request.params.id ?? '', { label });
  return [
    { method: 'GET', path: '/v1/charges/:id', handle: read('charge') },
    { method: 'POST', path: '/v1/refunds', handle: createRefund },
    { method: 'GET', path: '/v1/refunds/:id', handle: read('refund') },
    { method: 'POST', path: '/v1/refunds/:id', handle: updateRefund },
    { method: 'GET', path: '/v1/disputes', handle: listDisputes },
    { method: 'GET', path: '/v1/disputes/:id', handle: read('dispute') },
    { method: 'POST', path: '/v1/disputes/:id', handle: updateDispute },
    { method: 'POST', path: '/v1/disputes/:id/close', handle: closeDispute },
  ];
}

function chargeToRefund(scope: ResourceScope): StoredObject {
  const { form } = scope.request;
  const chargeId = optionalString(form, 'charge');
  if (chargeId !== undefined) return findObject(scope, 'charge', chargeId, { param: 'charge' });
  const paymentIntentId = optionalString(form, 'payment_intent');
  if (paymentIntentId === undefined) throw invalidRequest('One of the following params should be provided for this request: payment_intent or charge.');
  const paymentIntent = findObject(scope, 'payment_intent', paymentIntentId, { param: 'payment_intent' });
  if (typeof paymentIntent.latest_charge !== 'string' || paymentIntent.status !== 'succeeded') {
    throw invalidRequest(`This PaymentIntent (${paymentIntentId}) does not have a successful charge to refund.`, { code: 'charge_not_refundable', param: 'payment_intent' });
  }
  return findObject(scope, 'charge', paymentIntent.latest_charge);
}

function createRefund(scope: ResourceScope): StoredObject {
  const charge = chargeToRefund(scope);
  const refundable = (charge.amount_captured as number) - (charge.amount_refunded as number);
  const amount = optionalInteger(scope.request.form, 'amount') ?? refundable;
  if (amount <= 0 || amount > refundable) {
    throw invalidRequest(`Refund amount ($${(amount / 100).toFixed(2)}) is greater than unrefunded amount on charge ($${(refundable / 100).toFixed(2)})`, { param: 'amount' });
  }
  const ctx = createObjectContext(scope.created, { ch: charge.id, ...(typeof charge.payment_intent === 'string' ? { pi: charge.payment_intent } : {}) });
  const refund = scope.store.put(
    deepMerge(refundObject(ctx), {
      amount,
      currency: charge.currency,
      metadata: updateMetadata({}, scope.request.form.metadata).metadata,
      payment_intent: charge.payment_intent ?? null,
      reason: optionalString(scope.request.form, 'reason') ?? null,
    }) as StoredObject,
  );
  const refunded = saveChanges(scope, charge, { amount_refunded: (charge.amount_refunded as number) + amount, refunded: amount === refundable });
  scope.emit('charge.refunded', refunded, { amount_refunded: charge.amount_refunded, refunded: charge.refunded });
  scope.emit('refund.created', refund);
  return refund;
}

/** Only metadata changes: charge.refund.updated (the older name) and refund.updated, both sent. */
function updateRefund(scope: ResourceScope): StoredObject {
  return updateStoredMetadata(scope, findObject(scope, 'refund', scope.request.params.id ?? ''), ['charge.refund.updated', 'refund.updated']);
}

/** Newest first, filtered by `charge` or `payment_intent` as the API allows. */
function listDisputes(scope: ResourceScope): ApiResponse {
  const { query } = scope.request;
  const charge = query.get('charge');
  const paymentIntent = query.get('payment_intent');
  const limit = Math.min(Math.max(Number(query.get('limit') ?? 10) || 10, 1), 100);
  const matching = scope.store.list('dispute').filter((dispute) => (charge === null || dispute.charge === charge) && (paymentIntent === null || dispute.payment_intent === paymentIntent));
  // A top-level list has no total_count (only embedded lists such as subscription items carry one).
  return { status: 200, body: { object: 'list', data: matching.slice(0, limit), has_more: matching.length > limit, url: '/v1/disputes' } };
}

function updateDispute(scope: ResourceScope): StoredObject {
  const dispute = findObject(scope, 'dispute', scope.request.params.id ?? '');
  if (isClosed(dispute)) throw invalidRequest(`This dispute is already closed (status ${String(dispute.status)}); it can no longer be updated.`);
  return updateStoredMetadata(scope, dispute, ['charge.dispute.updated']);
}

/**
 * Closing concedes the dispute: a chargeback is lost, an inquiry closes without one
 * (warning_closed). Sends charge.dispute.closed.
 */
function closeDispute(scope: ResourceScope): StoredObject {
  const dispute = findObject(scope, 'dispute', scope.request.params.id ?? '');
  if (isClosed(dispute)) throw invalidRequest(`This dispute is already closed (status ${String(dispute.status)}).`);
  const inquiry = String(dispute.status).startsWith('warning_');
  const closed = saveChanges(scope, dispute, { is_charge_refundable: false, status: inquiry ? 'warning_closed' : 'lost' });
  scope.emit('charge.dispute.closed', closed, { status: dispute.status });
  return closed;
}

function isClosed(dispute: StoredObject): boolean {
  return ['won', 'lost', 'warning_closed'].includes(String(dispute.status));
}
