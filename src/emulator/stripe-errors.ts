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

/**
 * A request the emulator does not know fails at once, naming itself and what does work offline:
 * `stripe trigger` prints this body and exits 1 instead of waiting on a request nobody answers.
 */
export function unrecognizedRequest(method: string, path: string, supportedTriggers: readonly string[] = []): ApiResponse {
  const triggers = supportedTriggers.length === 0 ? '' : ` Triggers that work offline: ${supportedTriggers.join(', ')}.`;
  return stripeError(
    404,
    'invalid_request_error',
    `Unrecognized request URL (${method}: ${path}). webhook-dev's offline emulator does not support ${method} ${path}.${triggers}`,
  );
}

export function resourceMissing(kind: string, id: string, param = 'id'): ApiResponse {
  return stripeError(404, 'invalid_request_error', `No such ${kind}: '${id}'`, { code: 'resource_missing', param });
}

/** Thrown by an API resource to answer with a Stripe error instead of its result. */
export class ApiFailure extends Error {
  readonly response: ApiResponse;
  constructor(response: ApiResponse) {
    const body = response.body as { error?: { message?: string } } | undefined;
    super(body?.error?.message ?? `Stripe error ${response.status}`);
    this.name = 'ApiFailure';
    this.response = response;
  }
}

export function missingParam(param: string): ApiFailure {
  return new ApiFailure(stripeError(400, 'invalid_request_error', `Missing required param: ${param}.`, { code: 'parameter_missing', param }));
}

export function invalidRequest(message: string, extra: Record<string, unknown> = {}): ApiFailure {
  return new ApiFailure(stripeError(400, 'invalid_request_error', message, extra));
}
