import type Stripe from 'stripe';
import { newId, randomAlnum } from '../ids.js';

/**
 * What every object builder gets: one id per prefix (so the charge built for an event names the
 * same `pi_` as the payment intent built for it) and the moment the objects were made.
 */
export interface ObjectContext {
  /** The id for `key` within this context; the same key always gives the same id. */
  id(key: string): string;
  /** Unix seconds. */
  created: number;
}

/**
 * Keys are prefixes (`pi`, `ch`) or prefix:label (`il:2`) when one event needs two objects of a
 * kind. Checkout Session ids are longer than most, as in Stripe.
 */
export function createObjectContext(created: number, known: Record<string, string> = {}): ObjectContext {
  // `known` ties a builder to objects that already exist: the API resources pass the ids of the
  // customer, payment intent… a new object must link to.
  const issued = new Map<string, string>(Object.entries(known));
  return {
    created,
    id(key) {
      let id = issued.get(key);
      if (id === undefined) {
        const prefix = key.split(':')[0] ?? key;
        id = newId(prefix, prefix === 'cs_test' ? 58 : 24);
        issued.set(key, id);
      }
      return id;
    },
  };
}

export const TEST_CUSTOMER = { name: 'Jenny Rosen', email: 'jenny.rosen@example.com' } as const;

/** Unix seconds one calendar month after `created`: Stripe's monthly periods follow the calendar. */
export function oneMonthLater(created: number): number {
  const date = new Date(created * 1000);
  date.setUTCMonth(date.getUTCMonth() + 1);
  return Math.floor(date.getTime() / 1000);
}

export function emptyAddress(): { city: null; country: null; line1: null; line2: null; postal_code: null; state: null } {
  return { city: null, country: null, line1: null, line2: null, postal_code: null, state: null };
}

export interface BillingDetailsFields {
  address: Stripe.Address;
  email: string | null;
  name: string | null;
  phone: string | null;
  tax_id: string | null;
}

export function billingDetails(): BillingDetailsFields {
  return { address: { ...emptyAddress(), country: 'US', postal_code: '94103' }, email: TEST_CUSTOMER.email, name: TEST_CUSTOMER.name, phone: null, tax_id: null };
}

export interface TestCardFields {
  brand: string;
  country: string;
  exp_month: number;
  exp_year: number;
  fingerprint: string;
  funding: string;
  last4: string;
}

/** The Visa test card 4242 4242 4242 4242, expiring two years after the object was made. */
export function testCard(created: number): TestCardFields {
  return {
    brand: 'visa',
    country: 'US',
    exp_month: 12,
    exp_year: new Date(created * 1000).getUTCFullYear() + 2,
    fingerprint: 'Xt5EWLLDS7FJjR1c',
    funding: 'credit',
    last4: '4242',
  };
}

export function clientSecret(id: string): string {
  return `${id}_secret_${randomAlnum(25)}`;
}

export function emptyList(url: string): Record<string, unknown> {
  return { object: 'list', data: [], has_more: false, total_count: 0, url };
}

/** Stripe's JSON gives embedded lists (subscription items, invoice lines) a `total_count` that stripe-node's ApiList type leaves out. */
export function list<T>(url: string, data: T[]): { object: 'list'; data: T[]; has_more: false; total_count: number; url: string } {
  return { object: 'list', data, has_more: false, total_count: data.length, url };
}
