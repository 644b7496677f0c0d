import type { ApiRoute } from './api-router.js';
import type { ObjectStore, StoredObject } from './object-store.js';
import { resourceMissing } from './stripe-errors.js';

/**
 * `GET /v1/events/:id`, so `stripe events retrieve` and SDK code can read back a published event;
 * `GET /v2/core/events/:id`, where a thin event's full form is read (stripe-node's `fetchEvent()`,
 * `stripe.v2.core.events.retrieve`); and `GET /v1/events` with Stripe's filters
 * (`created[gte|gt|lte|lt]`, `type`, `types[]`) and cursor (`starting_after`, `limit`), newest
 * first, which is what webhook-dev's catch-up after a stalled `stripe listen` asks (tests of it run
 * the real Stripe CLI against this emulator).
 */
export function eventRoutes(store: ObjectStore): ApiRoute[] {
  return [
    {
      method: 'GET',
      path: '/v1/events',
      handler({ query }) {
        const matching = store.list('event').filter(eventFilter(query));
        const after = query.get('starting_after');
        const start = after === null ? 0 : matching.findIndex((event) => event.id === after) + 1;
        const limit = Math.min(100, Math.max(1, Number(query.get('limit') ?? 10) || 10));
        const page = matching.slice(start, start + limit);
        return { status: 200, body: { object: 'list', data: page, has_more: start + limit < matching.length, url: '/v1/events' } };
      },
    },
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

function eventFilter(query: URLSearchParams): (event: StoredObject) => boolean {
  const bounds: Array<[string, (created: number, bound: number) => boolean]> = [
    ['created[gte]', (created, bound) => created >= bound],
    ['created[gt]', (created, bound) => created > bound],
    ['created[lte]', (created, bound) => created <= bound],
    ['created[lt]', (created, bound) => created < bound],
  ];
  const checks = bounds.filter(([name]) => query.has(name)).map(([name, test]) => [Number(query.get(name)), test] as const);
  const types = [...query.getAll('types[]'), ...query.getAll('type')];
  return (event) => {
    const created = Number(event.created);
    return checks.every(([bound, test]) => test(created, bound)) && (types.length === 0 || types.includes(String(event.type)));
  };
}
