import type { ApiRoute } from './api-router.js';
import type { ObjectStore } from './object-store.js';
import { resourceMissing } from './stripe-errors.js';

/** `GET /v1/events/:id`, so `stripe events retrieve` and SDK code can read back a published event. */
export function eventRoutes(store: ObjectStore): ApiRoute[] {
  return [
    {
      method: 'GET',
      path: '/v1/events/:id',
      handler({ params }) {
        const id = params.id ?? '';
        const event = store.get('event', id);
        return event === undefined ? resourceMissing('event', id) : { status: 200, body: event };
      },
    },
  ];
}
