/**
 * What an emulated API resource works with while it answers one request: the stored objects, the
 * test card behind each payment method, and two ways to raise events. Events a request causes
 * name it (`request.id` is the Request-Id it answers with); events Stripe raises on its own a
 * moment later (a charge's balance transaction, a dispute) name no request and are published after
 * the request's own, still before the answer goes out, so a `stripe trigger` that has finished
 * has published everything it caused.
 */
import type { ApiRequest, ApiRoute } from '../api-router.js';
import type { PlainObject } from '../deep-merge.js';
import { AUTOMATIC_REQUEST, type EventRequest } from '../event-templates.js';
import { newIdempotencyKey } from '../ids.js';
import type { ObjectStore, StoredObject } from '../object-store.js';
import type { ApiResponse } from '../stripe-errors.js';
import type { TestCard } from './test-cards.js';

export interface EmittedEvent {
  type: string;
  object: PlainObject;
  previousAttributes?: PlainObject;
  request: EventRequest;
  account?: string;
  /** Unix seconds. */
  created: number;
}

export interface ResourceState {
  store: ObjectStore;
  /** The test card each payment method was made from: it decides how charges on it end. */
  cards: Map<string, TestCard>;
}

export interface ResourceScope extends ResourceState {
  request: ApiRequest;
  /** Unix seconds: `created` of everything this request makes. */
  created: number;
  /**
   * An event this request causes. The object is copied now: later changes do not leak into it.
   * `account` makes it a Connect event of that account (account.* events name the connected
   * account even though the platform made the request); by default, the Stripe-Account header's.
   */
  emit(type: string, object: PlainObject, previousAttributes?: PlainObject, options?: { account?: string }): void;
  /** An event Stripe raises by itself right after this request. */
  emitLater(type: string, object: PlainObject, previousAttributes?: PlainObject): void;
}

export interface ResourceRoute {
  method: ApiRoute['method'];
  path: string;
  handle(scope: ResourceScope): ApiResponse | StoredObject;
}

export interface ResourceRouteOptions {
  state: ResourceState;
  /** Milliseconds, as Date.now(). */
  now: () => number;
  publish: (event: EmittedEvent) => void;
}

export function toApiRoutes(routes: readonly ResourceRoute[], { state, now, publish }: ResourceRouteOptions): ApiRoute[] {
  return routes.map((route) => ({
    method: route.method,
    path: route.path,
    handler(request) {
      const created = Math.floor(now() / 1000);
      const later: EmittedEvent[] = [];
      const caused = causedBy(request);
      const event = (type: string, object: PlainObject, previousAttributes: PlainObject | undefined, eventRequest: EventRequest, account = request.stripeAccount): EmittedEvent => ({
        type,
        object: structuredClone(object),
        ...(previousAttributes === undefined ? {} : { previousAttributes: structuredClone(previousAttributes) }),
        request: eventRequest,
        ...(account === undefined ? {} : { account }),
        created,
      });
      const scope: ResourceScope = {
        ...state,
        request,
        created,
        emit: (type, object, previous, options) => publish(event(type, object, previous, caused, options?.account)),
        emitLater: (type, object, previous) => later.push(event(type, object, previous, AUTOMATIC_REQUEST)),
      };
      try {
        const result = route.handle(scope);
        return isApiResponse(result) ? result : { status: 200, body: result };
      } finally {
        // Also after a failure: what already happened (a declined charge) still has its aftermath.
        for (const pending of later) publish(pending);
      }
    },
  }));
}

/**
 * Stripe records the Idempotency-Key of the request behind an event; a POST sent without one gets
 * a generated key, a DELETE none.
 */
function causedBy(request: ApiRequest): EventRequest {
  const key = request.idempotencyKey ?? (request.method === 'POST' ? newIdempotencyKey() : null);
  return { id: request.requestId, idempotency_key: key };
}

function isApiResponse(value: ApiResponse | StoredObject): value is ApiResponse {
  return typeof (value as { status?: unknown }).status === 'number' && 'body' in value && !('object' in value);
}
