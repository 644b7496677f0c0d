/** The Stripe CLI gives up on a forwarded event after 30 s; webhook-dev matches it by default. */
export const DEFAULT_FORWARD_TIMEOUT_MS = 30_000;

/** Enough of an app's answer to show and diagnose; the rest is discarded unread into memory. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

/** The variable Stripe's samples read the signing secret from. */
export const DEFAULT_SECRET_ENV_NAME = 'STRIPE_WEBHOOK_SECRET';
