import { toJsonSafe } from './to-json-safe.js';

/**
 * JSON text for a record that carries a payload, which no payload can make throw. JSON.stringify
 * recurses: a validly signed event nested 100,000 levels deep overflows the stack with a RangeError
 * (V8 parses such JSON fine, so it does reach us). That one record is then sent degraded: the same
 * shape, with what lies deeper than toJsonSafe's bound replaced by "[Too deep]". The common case
 * pays nothing extra.
 */
export function stringifyRecord(record: unknown): string {
  try {
    return JSON.stringify(record);
  } catch {
    return JSON.stringify(toJsonSafe(record));
  }
}
