/**
 * The API version the `stripe` library webhook-dev depends on pins (`Stripe.API_VERSION`), so
 * offline events look like the ones the user's own SDK expects. A constant rather than an import:
 * loading the whole library to read one string cost ~70 ms of every offline start. The test
 * test/unit/emulator-default-api-version.test.ts fails when a stripe upgrade changes it.
 */
export const DEFAULT_API_VERSION = '2026-10-28.endive';
