/**
 * webhook-dev's own door into the emulator, beside the fake Stripe API: publish an event, list the
 * types it can publish, check it is up. The emulator lets only its session's clients this far
 * (request-guard.ts); publishes must also say they are JSON, which no cross-origin "simple"
 * request (text/plain, form) can do without a CORS preflight the emulator never grants.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StripeEventLike } from '../types.js';
import { BodyTooLargeError, readBody } from '../receiver/read-body.js';
import { supportedEventTypes } from './event-templates.js';
import { parsePublishRequest, type PublishRequest } from './publish-input.js';
import { sendJson } from '../server/send-json.js';

export const CONTROL_PATH = '/_webhook-dev';

const MAX_BODY_BYTES = 1024 * 1024;

export interface ControlEndpointOptions {
  publish: (request: PublishRequest) => { event: StripeEventLike; delivered: number };
  status: () => Record<string, number>;
  /** `POST /faults`: make the emulator misbehave, for tests (emulator-faults.ts). */
  faults?: (body: unknown) => { status: number; body: unknown };
}

export function createControlEndpoint({ publish, status, faults }: ControlEndpointOptions) {
  return async function handleControlRequest(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const route = `${request.method ?? 'GET'} ${url.pathname.slice(CONTROL_PATH.length)}`;
    if (route === 'POST /events') return withJsonBody(request, response, (value) => publishFrom(value, response));
    if (route === 'GET /event-types') return sendJson(response, 200, supportedEventTypes);
    if (route === 'GET /health') return sendJson(response, 200, { ok: true, ...status() });
    if (route === 'POST /faults' && faults !== undefined) {
      return withJsonBody(request, response, (value) => {
        const answer = faults(value);
        sendJson(response, answer.status, answer.body);
      });
    }
    return sendJson(response, 404, controlError(`No control endpoint ${route}. Try POST ${CONTROL_PATH}/events, GET ${CONTROL_PATH}/event-types or GET ${CONTROL_PATH}/health.`));
  };

  function publishFrom(value: unknown, response: ServerResponse): void {
    const parsed = parsePublishRequest(value);
    if (!parsed.ok) {
      return sendJson(response, 400, controlError(parsed.message, parsed.supportedTypes === undefined ? {} : { supported_types: parsed.supportedTypes }));
    }
    const { event, delivered } = publish(parsed.request);
    sendJson(response, 200, { id: event.id, type: event.type, delivered });
  }
}

/** Reads a JSON body (it must say it is JSON: see above) and hands the parsed value on, or answers why not. */
async function withJsonBody(request: IncomingMessage, response: ServerResponse, use: (value: unknown) => void): Promise<void> {
  if (!isJsonContentType(request.headers['content-type'])) {
    return sendJson(response, 415, controlError('Send JSON with "Content-Type: application/json" (curl: -H \'Content-Type: application/json\').'));
  }
  let body: Buffer;
  try {
    body = await readBody(request, MAX_BODY_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return sendJson(response, 413, controlError(error.message), { Connection: 'close' });
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch (error) {
    return sendJson(response, 400, controlError(`The body is not valid JSON: ${(error as Error).message}`));
  }
  use(value);
}

/** `application/json`, with or without parameters (`; charset=utf-8`). */
export function isJsonContentType(value: string | undefined): boolean {
  return value !== undefined && value.split(';', 1)[0]!.trim().toLowerCase() === 'application/json';
}

function controlError(message: string, extra: Record<string, unknown> = {}): { error: Record<string, unknown> } {
  return { error: { type: 'invalid_request_error', message, ...extra } };
}
