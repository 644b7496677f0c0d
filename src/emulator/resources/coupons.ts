/**
 * `/v1/coupons` and `/v1/promotion_codes`, and coupons applied to customers (the discount events).
 * The Stripe CLI's fixtures still pass `coupon` where today's API versions take
 * `promotion[coupon]`; both are accepted, as Stripe accepts the old parameter at older versions.
 */
import type Stripe from 'stripe';
import type { FormObject } from '../form-body.js';
import { randomAlnum } from '../ids.js';
import type { StoredObject } from '../object-store.js';
import { coupon as couponObject, customerDiscount, promotionCode as promotionCodeObject, type CouponTerms } from '../objects/coupons.js';
import { createObjectContext } from '../objects/object-context.js';
import type { Wire } from '../objects/wire.js';
import { invalidRequest, missingParam } from '../stripe-errors.js';
import { optionalInteger, optionalObject, optionalString, updateMetadata } from './params.js';
import type { ResourceRoute, ResourceScope } from './resource-scope.js';
import { findObject, saveChanges } from './stored.js';
import { deleteObject, updateObject } from './update-object.js';

export function couponRoutes(): ResourceRoute[] {
  return [
    { method: 'POST', path: '/v1/coupons', handle: createCoupon },
    { method: 'GET', path: '/v1/coupons/:id', handle: (scope) => findCoupon(scope, scope.request.params.id ?? '', 'id', true) },
    { method: 'POST', path: '/v1/coupons/:id', handle: updateCoupon },
    { method: 'DELETE', path: '/v1/coupons/:id', handle: (scope) => deleteObject(scope, findCoupon(scope, scope.request.params.id ?? ''), 'coupon.deleted') },
    { method: 'POST', path: '/v1/promotion_codes', handle: createPromotionCode },
    { method: 'GET', path: '/v1/promotion_codes/:id', handle: (scope) => findObject(scope, 'promotion_code', scope.request.params.id ?? '') },
    { method: 'POST', path: '/v1/promotion_codes/:id', handle: updatePromotionCode },
  ];
}

function findCoupon(scope: ResourceScope, id: string, param = 'id', allowDeleted = false): StoredObject {
  return findObject(scope, 'coupon', id, { param, allowDeleted });
}

const DURATIONS = ['forever', 'once', 'repeating'] as const;

function couponTerms(form: FormObject): CouponTerms {
  const percentOff = optionalString(form, 'percent_off');
  const amountOff = optionalInteger(form, 'amount_off');
  if ((percentOff === undefined) === (amountOff === undefined)) throw invalidRequest('You must pass exactly one of `percent_off` or `amount_off`.');
  const currency = optionalString(form, 'currency')?.toLowerCase() ?? null;
  if (amountOff !== undefined && currency === null) throw missingParam('currency');
  const duration = optionalString(form, 'duration') ?? 'once';
  if (!(DURATIONS as readonly string[]).includes(duration)) throw invalidRequest(`Invalid duration: must be one of ${DURATIONS.join(', ')}`, { param: 'duration' });
  const durationInMonths = optionalInteger(form, 'duration_in_months') ?? null;
  if (duration === 'repeating' && durationInMonths === null) throw missingParam('duration_in_months');
  return {
    percentOff: percentOff === undefined ? null : percentage(percentOff),
    amountOff: amountOff ?? null,
    currency: amountOff === undefined ? null : currency,
    duration: duration as CouponTerms['duration'],
    durationInMonths: duration === 'repeating' ? durationInMonths : null,
    name: optionalString(form, 'name') ?? null,
    maxRedemptions: optionalInteger(form, 'max_redemptions') ?? null,
    redeemBy: optionalInteger(form, 'redeem_by') ?? null,
    metadata: updateMetadata({}, form.metadata).metadata,
  };
}

function percentage(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || value > 100) throw invalidRequest('percent_off must be greater than 0 and at most 100.', { param: 'percent_off' });
  return value;
}

function createCoupon(scope: ResourceScope): StoredObject {
  const { form } = scope.request;
  const id = optionalString(form, 'id') ?? randomAlnum(8);
  const existing = scope.store.get('coupon', id);
  if (existing !== undefined && existing.deleted !== true) throw invalidRequest('Coupon already exists.', { code: 'resource_already_exists', param: 'id' });
  const created = scope.store.put(couponObject(createObjectContext(scope.created), couponTerms(form), id) as StoredObject);
  scope.emit('coupon.created', created);
  return created;
}

/** Only the name and metadata of a coupon can change; its terms are fixed once made. */
function updateCoupon(scope: ResourceScope): StoredObject {
  const coupon = findCoupon(scope, scope.request.params.id ?? '');
  const name = optionalString(scope.request.form, 'name');
  return updateObject(scope, coupon, { changes: { name: name === '' ? null : name }, metadata: scope.request.form.metadata, eventType: 'coupon.updated' });
}

function couponParam(form: FormObject): { id: string; param: string } | undefined {
  const promotion = optionalObject(form, 'promotion');
  const nested = promotion === undefined ? undefined : optionalString(promotion, 'coupon');
  if (nested !== undefined) return { id: nested, param: 'promotion[coupon]' };
  const legacy = optionalString(form, 'coupon');
  return legacy === undefined ? undefined : { id: legacy, param: 'coupon' };
}

function createPromotionCode(scope: ResourceScope): StoredObject {
  const { form } = scope.request;
  const reference = couponParam(form);
  if (reference === undefined) throw missingParam('promotion[coupon]');
  const coupon = findCoupon(scope, reference.id, reference.param);
  // Stripe makes up an uppercase code when none is given.
  const code = optionalString(form, 'code') ?? randomAlnum(8).toUpperCase();
  const created = scope.store.put(
    promotionCodeObject(createObjectContext(scope.created), coupon as unknown as Wire<Stripe.Coupon>, code, updateMetadata({}, form.metadata).metadata) as StoredObject,
  );
  scope.emit('promotion_code.created', created);
  return created;
}

function updatePromotionCode(scope: ResourceScope): StoredObject {
  const code = findObject(scope, 'promotion_code', scope.request.params.id ?? '');
  const { form } = scope.request;
  const active = optionalString(form, 'active');
  return updateObject(scope, code, { changes: { active: active === undefined ? undefined : active === 'true' }, metadata: form.metadata, eventType: 'promotion_code.updated' });
}

/**
 * A customer's `coupon` parameter: a new coupon makes a discount (customer.discount.created), a
 * different one replaces it (customer.discount.updated), an empty one removes it
 * (customer.discount.deleted). Returns the customer's new `discount`.
 */
export function applyCustomerCoupon(scope: ResourceScope, customer: StoredObject, couponId: string | undefined): StoredObject {
  if (couponId === undefined) return customer;
  const current = (customer.discount ?? null) as Wire<Stripe.Discount> | null;
  if (couponId === '') {
    if (current === null) return customer;
    scope.emit('customer.discount.deleted', current);
    return saveChanges(scope, customer, { discount: null });
  }
  const coupon = findCoupon(scope, couponId, 'coupon') as unknown as Wire<Stripe.Coupon>;
  if (current?.source.coupon === coupon.id) return customer;
  const discount = customerDiscount(createObjectContext(scope.created, { cus: customer.id }), coupon);
  if (current === null) scope.emit('customer.discount.created', discount);
  else scope.emit('customer.discount.updated', { ...discount, id: current.id }, { source: current.source, start: current.start });
  return saveChanges(scope, customer, { discount: current === null ? discount : { ...discount, id: current.id } });
}
