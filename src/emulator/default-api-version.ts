/** Used when the installed stripe library cannot be read; the version stripe@23 pins. */
export const FALLBACK_API_VERSION = '2026-10-28.endive';

/**
 * The API version the installed `stripe` library pins, so offline events look like the ones the
 * user's own SDK expects. Loaded lazily: the emulator should not fail when the library is absent.
 */
export async function defaultApiVersion(): Promise<string> {
  try {
    const { default: Stripe } = await import('stripe');
    const version: unknown = (Stripe as unknown as { API_VERSION?: unknown }).API_VERSION;
    return typeof version === 'string' && version !== '' ? version : FALLBACK_API_VERSION;
  } catch {
    return FALLBACK_API_VERSION;
  }
}
