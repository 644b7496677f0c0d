/**
 * The emulated Stripe API: a table of (method, path pattern) → handler with Stripe's error
 * conventions; who may call it is decided before, in request-guard.ts. Adding an endpoint (the fixtures `stripe trigger` posts)
 * is adding a row.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, readBody } from '../receiver/read-body.js';
import { parseStripeForm, type FormObject } from './form-body.js';
import { randomAlnum } from './ids.js';
import { sendJson } from '../server/send-json.js';
import { ApiFailure, stripeError, unrecognizedRequest, type ApiResponse } from './stripe-errors.js';

export interface ApiRequest {
  method: string;
  path: string;
  /** Named segments of the matched pattern: `/v1/events/:id` gives `{ id }`. */
  params: Record<string, string>;
  query: URLSearchParams;
  form: FormObject;
  apiKey: string;
  /** `req_…`: sent back as Request-Id and named in the events this request causes. */
  requestId: string;
  /** The Idempotency-Key header, when the client sent one. */
  idempotencyKey?: string;
  /** The Stripe-Account header: the request acts on a connected account. */
  stripeAccount?: string;
}

export type ApiHandler = (request: ApiRequest) => ApiResponse | Promise<ApiResponse>;

export interface ApiRoute {
  method: 'GET' | 'POST' | 'DELETE';
  /** Literal segments and `:name` placeholders, e.g. `/v1/payment_pages/:id/confirm`. */
  path: string;
  handler: ApiHandler;
}

const MAX_BODY_BYTES = 1024 * 1024;

export function matchRoute(routes: readonly ApiRoute[], method: string, path: string): { route: ApiRoute; params: Record<string, string> } | undefined {
  const actual = path.split('/');
  for (const route of routes) {
    if (route.method !== method) continue;
    const expected = route.path.split('/');
    if (expected.length !== actual.length) continue;
    const params: Record<string, string> = {};
    const matches = expected.every((segment, index) => {
      const value = actual[index] ?? '';
      if (!segment.startsWith(':')) return segment === value;
      const decoded = safeDecode(value);
      if (decoded === undefined || decoded === '') return false;
      params[segment.slice(1)] = decoded;
      return true;
    });
    if (matches) return { route, params };
  }
  return undefined;
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Stripe takes the key as a Bearer token or as the Basic-auth user name (curl -u sk_test_…:). */
export function extractApiKey(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const [scheme, credentials = ''] = authorization.trim().split(/\s+/, 2);
  if (scheme?.toLowerCase() === 'bearer') return credentials || undefined;
  if (scheme?.toLowerCase() === 'basic') {
    const user = Buffer.from(credentials, 'base64').toString('utf8').split(':')[0];
    return user || undefined;
  }
  return undefined;
}

export interface ApiRouterOptions {
  routes: readonly ApiRoute[];
  /** Named in the 404 for a request the emulator does not know. */
  supportedTriggers?: readonly string[];
}

export function createApiRouter({ routes, supportedTriggers = [] }: ApiRouterOptions) {
  return async function handleApiRequest(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    // Every Stripe response names its request; the CLI prints it in verbose mode.
    const requestId = `req_${randomAlnum(14)}`;
    const result = await answer(request, url, requestId).catch(toErrorResponse);
    sendJson(response, result.status, result.body, { 'Request-Id': requestId, ...result.headers });
  };

  async function answer(request: IncomingMessage, url: URL, requestId: string): Promise<ApiResponse> {
    const method = request.method ?? 'GET';
    // The key was checked at the emulator's door (request-guard.ts), before any route.
    const apiKey = extractApiKey(request.headers.authorization) ?? '';
    const matched = matchRoute(routes, method, url.pathname);
    if (matched === undefined) return unrecognizedRequest(method, url.pathname, supportedTriggers);
    const body = await readBody(request, MAX_BODY_BYTES);
    // GET and DELETE carry their parameters in the query string, as the Stripe CLI sends them.
    const form = parseStripeForm(body.length > 0 ? body.toString('utf8') : url.search.slice(1));
    const idempotencyKey = headerValue(request, 'idempotency-key');
    const stripeAccount = headerValue(request, 'stripe-account');
    return matched.route.handler({
      method,
      path: url.pathname,
      params: matched.params,
      query: url.searchParams,
      form,
      apiKey,
      requestId,
      ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
      ...(stripeAccount === undefined ? {} : { stripeAccount }),
    });
  }
}

function toErrorResponse(error: unknown): ApiResponse {
  if (error instanceof ApiFailure) return error.response;
  if (error instanceof BodyTooLargeError) return { ...stripeError(413, 'invalid_request_error', error.message), headers: { Connection: 'close' } };
  return stripeError(500, 'api_error', `The offline emulator failed: ${error instanceof Error ? error.message : String(error)}`);
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  const text = Array.isArray(value) ? value[0] : value;
  return text === undefined || text === '' ? undefined : text;
}
