export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Merges `override` into a copy of `base`. Objects merge key by key; arrays and scalars replace
 * (merging `items.data[0]` by index would surprise more than it helps); `undefined` leaves the base
 * value alone while `null` sets it, as Stripe objects use null for "not set".
 */
export function deepMerge<T extends PlainObject>(base: T, override: PlainObject | undefined): T {
  if (override === undefined) return structuredClone(base);
  const out: PlainObject = structuredClone(base);
  for (const [key, value] of Object.entries(override)) {
    // A JSON body can carry an own `__proto__` key; assigning it would swap out's prototype.
    if (value === undefined || key === '__proto__') continue;
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : structuredClone(value);
  }
  return out as T;
}
