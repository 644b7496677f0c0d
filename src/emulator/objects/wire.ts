/**
 * Stripe objects as they travel in JSON. stripe-node's types describe what its client hands to
 * code after parsing, where decimal strings (`unit_amount_decimal: "2000"`) become `Decimal`
 * objects; on the wire, and in a webhook body, they are strings. `satisfies Wire<Stripe.Coupon>`
 * holds a builder to every field stripe-node's type requires (null where Stripe sends null) and to
 * no field the type lacks, so a `stripe` upgrade that changes a shape fails the typecheck.
 */
import type Stripe from 'stripe';

export type Wire<T> = T extends string | number | boolean | bigint | symbol | null | undefined
  ? T
  : T extends Stripe.Decimal
  ? string
  : T extends readonly (infer Item)[]
    ? Wire<Item>[]
    : T extends (...args: never[]) => unknown
      ? T
      : T extends object
        ? { [Key in keyof T]: Wire<T[Key]> }
        : T;
