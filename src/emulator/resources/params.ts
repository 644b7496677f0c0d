/**
 * Reading form parameters the way the API does: required ones fail with Stripe's
 * `parameter_missing`, numbers must be integers, and metadata updates merge key by key.
 */
import type { FormObject, FormValue } from '../form-body.js';
import { invalidRequest, missingParam } from '../stripe-errors.js';

export function optionalString(form: FormObject, name: string): string | undefined {
  const value = form[name];
  return typeof value === 'string' ? value : undefined;
}

export function requiredString(form: FormObject, name: string): string {
  const value = optionalString(form, name);
  if (value === undefined || value === '') throw missingParam(name);
  return value;
}

export function optionalInteger(form: FormObject, name: string): number | undefined {
  const value = optionalString(form, name);
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw invalidRequest(`Invalid integer: ${value}`, { param: name });
  return Number(value);
}

export function requiredInteger(form: FormObject, name: string): number {
  const value = optionalInteger(form, name);
  if (value === undefined) throw missingParam(name);
  return value;
}

export function optionalBoolean(form: FormObject, name: string): boolean | undefined {
  const value = optionalString(form, name);
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false') throw invalidRequest(`Invalid boolean: ${value}`, { param: name });
  return value === 'true';
}

export function optionalObject(form: FormObject, name: string): FormObject | undefined {
  const value = form[name];
  return value !== undefined && typeof value !== 'string' && !Array.isArray(value) ? value : undefined;
}

/** `items[0][price]` and `items[][price]` both parse to arrays; Stripe also accepts `items[0]` as a map key. */
export function optionalList(form: FormObject, name: string): FormValue[] | undefined {
  const value = form[name];
  if (Array.isArray(value)) return value.filter((item) => item !== undefined);
  if (value !== undefined && typeof value !== 'string') return Object.values(value);
  return undefined;
}

export function stringList(form: FormObject, name: string): string[] | undefined {
  return optionalList(form, name)?.filter((item): item is string => typeof item === 'string');
}

export interface MetadataChange {
  metadata: Record<string, string>;
  /** Old values of the changed keys (null for new ones), as `previous_attributes.metadata` shows them. */
  previous: Record<string, string | null> | undefined;
}

/** An empty string deletes a key; `metadata=` clears them all. */
export function updateMetadata(current: Record<string, string>, update: FormValue | undefined): MetadataChange {
  if (update === undefined) return { metadata: current, previous: undefined };
  const metadata = { ...current };
  const previous: Record<string, string | null> = {};
  const entries = typeof update === 'string' ? (update === '' ? Object.keys(current).map((key) => [key, ''] as const) : []) : Object.entries(update);
  for (const [key, value] of entries) {
    if (typeof value !== 'string') continue;
    const old = current[key];
    if (value === '') delete metadata[key];
    else metadata[key] = value;
    if ((old ?? '') !== value) previous[key] = old ?? null;
  }
  return { metadata, previous: Object.keys(previous).length === 0 ? undefined : previous };
}

export interface Address {
  city: string | null;
  country: string | null;
  line1: string | null;
  line2: string | null;
  postal_code: string | null;
  state: string | null;
}

export function toAddress(value: FormValue | undefined): Address {
  const form = value !== undefined && typeof value !== 'string' && !Array.isArray(value) ? value : {};
  const field = (name: string): string | null => optionalString(form, name) ?? null;
  return { city: field('city'), country: field('country'), line1: field('line1'), line2: field('line2'), postal_code: field('postal_code'), state: field('state') };
}

/** `shipping[name]`, `shipping[address][…]` → the shipping object payment intents and charges carry. */
export function toShipping(value: FormValue | undefined): Record<string, unknown> | null {
  if (value === undefined || typeof value === 'string' || Array.isArray(value)) return null;
  return {
    address: toAddress(value.address),
    carrier: optionalString(value, 'carrier') ?? null,
    name: optionalString(value, 'name') ?? null,
    phone: optionalString(value, 'phone') ?? null,
    tracking_number: optionalString(value, 'tracking_number') ?? null,
  };
}
