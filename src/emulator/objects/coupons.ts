/**
 * Coupons, promotion codes and the discounts they make, in the shape stripe-node's types give
 * them at the API version the events claim.
 */
import type Stripe from 'stripe';
import type { ObjectContext } from './object-context.js';
import type { Wire } from './wire.js';

export interface CouponTerms {
  percentOff: number | null;
  amountOff: number | null;
  currency: string | null;
  duration: 'forever' | 'once' | 'repeating';
  durationInMonths: number | null;
  name: string | null;
  maxRedemptions: number | null;
  redeemBy: number | null;
  metadata: Record<string, string>;
}

/** Coupons made by the API get a random 8-character id unless the request names one. */
export function coupon(ctx: ObjectContext, terms: CouponTerms, id: string): Wire<Stripe.Coupon> {
  return {
    id,
    object: 'coupon',
    amount_off: terms.amountOff,
    created: ctx.created,
    currency: terms.currency,
    duration: terms.duration,
    duration_in_months: terms.durationInMonths,
    livemode: false,
    max_redemptions: terms.maxRedemptions,
    metadata: terms.metadata,
    name: terms.name,
    percent_off: terms.percentOff,
    redeem_by: terms.redeemBy,
    times_redeemed: 0,
    valid: true,
  } satisfies Wire<Stripe.Coupon>;
}

export function promotionCode(ctx: ObjectContext, couponObject: Wire<Stripe.Coupon>, code: string, metadata: Record<string, string>): Wire<Stripe.PromotionCode> {
  return {
    id: ctx.id('promo'),
    object: 'promotion_code',
    active: true,
    code,
    created: ctx.created,
    customer: null,
    customer_account: null,
    expires_at: null,
    livemode: false,
    max_redemptions: null,
    metadata,
    promotion: { coupon: couponObject.id, type: 'coupon' },
    restrictions: { first_time_transaction: false, minimum_amount: null, minimum_amount_currency: null },
    times_redeemed: 0,
  } satisfies Wire<Stripe.PromotionCode>;
}

/** A coupon applied to a customer: `end` follows the coupon's duration. */
export function customerDiscount(ctx: ObjectContext, couponObject: Wire<Stripe.Coupon>): Wire<Stripe.Discount> {
  return {
    id: ctx.id('di'),
    object: 'discount',
    checkout_session: null,
    customer: ctx.id('cus'),
    customer_account: null,
    end: discountEnd(ctx.created, couponObject),
    invoice: null,
    invoice_item: null,
    promotion_code: null,
    source: { coupon: couponObject.id, type: 'coupon' },
    start: ctx.created,
    subscription: null,
    subscription_item: null,
  } satisfies Wire<Stripe.Discount>;
}

function discountEnd(start: number, couponObject: Wire<Stripe.Coupon>): number | null {
  if (couponObject.duration !== 'repeating' || couponObject.duration_in_months === null) return null;
  const date = new Date(start * 1000);
  date.setUTCMonth(date.getUTCMonth() + couponObject.duration_in_months);
  return Math.floor(date.getTime() / 1000);
}
