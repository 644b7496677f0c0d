import type { ApiRoute } from './api-router.js';
import type { ObjectStore } from './object-store.js';
import { resourceMissing } from './stripe-errors.js';

/**
 * `GET /v1/events/:id`, so `stripe events retrieve` and SDK code can read back a published event,
 * and `GET /v2/core/events/:id`, where a thin event's full form is read (stripe-node's
 * `fetchEvent()`, `stripe.v2.core.events.retrieve`).
 */
export function eventRoutes(store: ObjectStore): ApiRoute[] {
  return [
    readBack('/v1/events/:id', 'event'),
    readBack('/v2/core/events/:id', 'v2.core.event'),
  ];

  function readBack(path: string, type: string): ApiRoute {
    return {
      method: 'GET',
      path,
      handler({ params }) {
        const id = params.id ?? '';
        const event = store.get(type, id);
        return event === undefined ? resourceMissing('event', id) : { status: 200, body: event };
      },
    };
  }
}
