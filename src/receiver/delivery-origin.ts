import { timingSafeEqual } from 'node:crypto';

/** Where a delivery the session made itself came from: a payload given to its control `POST /send`. */
export type DeliveryOrigin = 'send' | 'replay';

/**
 * Marks a delivery the session makes for `POST /send` (`webhook-dev send` or `replay`, attached):
 * `<origin> <key>`, where the key lives only in the session's memory. Anyone else who can sign a
 * delivery (the Stripe CLI, a script with the secret) cannot mark it, so the journal's source says
 * truly where each delivery came from. The journal masks the header.
 */
export const ORIGIN_HEADER = 'webhook-dev-origin';

export function originHeaderValue(origin: DeliveryOrigin, key: string): string {
  return `${origin} ${key}`;
}

/** The origin a request's header proves with the session's key; undefined when absent or not proven. Pure. */
export function readOrigin(value: string | string[] | undefined, key: string): DeliveryOrigin | undefined {
  if (typeof value !== 'string') return undefined;
  const [origin, given, ...rest] = value.split(' ');
  if (rest.length > 0 || (origin !== 'send' && origin !== 'replay') || given === undefined) return undefined;
  const a = Buffer.from(given);
  const b = Buffer.from(key);
  return a.length === b.length && timingSafeEqual(a, b) ? origin : undefined;
}
