import { redactSecrets } from '../secrets.js';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

const MAX_DEPTH = 20;

/**
 * A copy of a handler's return value that JSON.stringify cannot choke on and that says what it
 * dropped: BigInt → decimal string, cycles → "[Circular]", functions → "[Function name]",
 * symbols → their description, Map → object, Set → array, errors → { name, message }, NaN and
 * Infinity → null (as JSON itself does). Strings are redacted: a handler may return its env.
 */
export function toJsonSafe(value: unknown): JsonValue {
  return convert(value, new Set(), 0);
}

function convert(value: unknown, ancestors: Set<object>, depth: number): JsonValue {
  switch (typeof value) {
    case 'undefined':
      return null;
    case 'string':
      return redactSecrets(value);
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'symbol':
      return value.toString();
    case 'function':
      return `[Function ${value.name === '' ? '(anonymous)' : value.name}]`;
    default:
      return value === null ? null : convertObject(value as object, ancestors, depth);
  }
}

function convertObject(value: object, ancestors: Set<object>, depth: number): JsonValue {
  // Only ancestors count as cycles: the same object twice side by side is shared, not circular.
  if (ancestors.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Too deep]';
  ancestors.add(value);
  try {
    return convertKnown(value, ancestors, depth + 1);
  } catch {
    // Getters and toJSON methods are user code and may throw.
    return '[Unserializable]';
  } finally {
    ancestors.delete(value);
  }
}

function convertKnown(value: object, ancestors: Set<object>, depth: number): JsonValue {
  if (value instanceof Error) return { name: value.name, message: redactSecrets(value.message) };
  if (Array.isArray(value)) return value.map((item) => convert(item, ancestors, depth));
  if (value instanceof Map) {
    return convertEntries([...value.entries()].map(([key, item]) => [String(key), item]), ancestors, depth);
  }
  if (value instanceof Set) return [...value].map((item) => convert(item, ancestors, depth));
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return convert(toJSON.call(value), ancestors, depth);
  return convertProperties(value as Record<string, unknown>, ancestors, depth);
}

/** convertEntries for an object's own properties, without the arrays: every handler result goes through here, twice per event. */
function convertProperties(value: Record<string, unknown>, ancestors: Set<object>, depth: number): JsonValue {
  const result: { [key: string]: JsonValue } = {};
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (item === undefined) continue;
    // Assigned, "__proto__" would set the copy's prototype instead of becoming a key.
    if (key === '__proto__') Object.defineProperty(result, key, { value: convert(item, ancestors, depth), enumerable: true, writable: true, configurable: true });
    else result[key] = convert(item, ancestors, depth);
  }
  return result;
}

function convertEntries(entries: Array<[string, unknown]>, ancestors: Set<object>, depth: number): JsonValue {
  // Like JSON.stringify: properties holding undefined disappear rather than becoming null.
  // Object.fromEntries defines own properties, so a key named "__proto__" stays a plain key.
  return Object.fromEntries(
    entries.filter(([, item]) => item !== undefined).map(([key, item]) => [key, convert(item, ancestors, depth)]),
  ) as { [key: string]: JsonValue };
}
