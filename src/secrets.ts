/**
 * Secrets never leave the process unmasked unless the user asks (--show-secret). Masking keeps the
 * prefix and the last four characters so two secrets can still be told apart (is it stable? #361).
 */
export function maskSecret(secret: string): string {
  const match = /^(whsec_|sk_test_|sk_live_|rk_test_|rk_live_|sk_|rk_)/.exec(secret);
  const prefix = match?.[1] ?? '';
  const rest = secret.slice(prefix.length);
  if (rest.length <= 8) return `${prefix}…`;
  return `${prefix}…${rest.slice(-4)}`;
}

const SECRET_PATTERN = /\b(whsec_|sk_(?:test|live)_|rk_(?:test|live)_)[A-Za-z0-9_]{4,}/g;

/** Masks every secret-looking token in free text (child output, error messages) before it is shown. */
export function redactSecrets(text: string): string {
  return text.replace(SECRET_PATTERN, (token) => maskSecret(token));
}

/** Whether text holds anything secret-looking (what redactSecrets would mask). */
export function containsSecret(text: string): boolean {
  SECRET_PATTERN.lastIndex = 0;
  return SECRET_PATTERN.test(text);
}
