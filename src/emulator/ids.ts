import { randomBytes, randomUUID } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Random base62 text, unbiased: bytes that would favour the first letters are skipped. */
export function randomAlnum(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 62 * 4; 248–255 would wrap onto the first eight letters.
      if (byte >= 248) continue;
      out += ALPHABET[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/**
 * A Stripe-looking object id: `pi_3Q…`. Real ids are 24 base62 characters after the prefix for
 * most objects; handlers only ever check the prefix, so matching that is what matters.
 */
export function newId(prefix: string, length = 24): string {
  return `${prefix}_${randomAlnum(length)}`;
}

/** Stripe's signing secrets are `whsec_` plus 32 base62 characters in test mode. */
export function newSigningSecret(): string {
  return newId('whsec', 32);
}

/** Idempotency keys Stripe generates for dashboard/API requests are UUIDs. */
export function newIdempotencyKey(): string {
  return randomUUID();
}

/**
 * The key webhook-dev hands the Stripe CLI for an offline session: random, so that it proves the
 * caller belongs to the session. The CLI wants at least 12 characters, `sk_` or `rk_` first and at
 * least three `_`-separated parts (its pkg/validators APIKey); `sk_test_` also keeps it test-mode
 * to every Stripe library, and redactSecrets masks it like any other key.
 */
export function newOfflineApiKey(): string {
  return `sk_test_offline${randomAlnum(32)}`;
}
