/**
 * Error bodies shaped like the Stripe API's, so the Stripe CLI (and anything else that prints
 * Stripe errors) shows something familiar. Keys are masked: these bodies end up in CLI output.
 */
import { maskSecret } from '../secrets.js';

export type StripeErrorType = 'invalid_request_error' | 'api_error' | 'card_error' | 'idempotency_error';

export interface ApiResponse {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export function stripeError(status: number, type: StripeErrorType, message: string, extra: Record<string, unknown> = {}): ApiResponse {
  return { status, body: { error: { ...extra, message, type } } };
}

export function missingApiKey(): ApiResponse {
  return stripeError(
    401,
    'invalid_request_error',
    "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
  );
}

export function invalidApiKey(apiKey: string): ApiResponse {
  return stripeError(401, 'invalid_request_error', `Invalid API Key provided: ${maskSecret(apiKey)}`);
}

export function unrecognizedRequest(method: string, path: string): ApiResponse {
  return stripeError(
    404,
    'invalid_request_error',
    `Unrecognized request URL (${method}: ${path}). webhook-dev's offline emulator does not support this request.`,
  );
}

export function resourceMissing(kind: string, id: string, param = 'id'): ApiResponse {
  return stripeError(404, 'invalid_request_error', `No such ${kind}: '${id}'`, { code: 'resource_missing', param });
}
