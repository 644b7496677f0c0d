/**
 * `/v1/test_helpers/test_clocks`: create, retrieve, advance, delete. Advancing answers with the
 * clock `advancing` (test_helpers.test_clock.advancing, caused by the request) and finishes at
 * once: what is due between the old and the new time happens (see clock-advance.ts), then the
 * clock is `ready` again (test_helpers.test_clock.ready, raised by Stripe itself).
 */
import type { StoredObject } from '../object-store.js';
import { createObjectContext } from '../objects/object-context.js';
import { testClock } from '../objects/test-clocks.js';
import { invalidRequest } from '../stripe-errors.js';
import { optionalString, requiredInteger } from './params.js';
import type { ResourceRoute, ResourceScope } from './resource-scope.js';
import { findObject, saveChanges } from './stored.js';
import { deleteObject } from './update-object.js';

export type ClockListener = (scope: ResourceScope, clock: StoredObject, from: number, to: number) => void;

export function testClockRoutes(onAdvance: ClockListener[] = []): ResourceRoute[] {
  return [
    { method: 'POST', path: '/v1/test_helpers/test_clocks', handle: createTestClock },
    { method: 'GET', path: '/v1/test_helpers/test_clocks/:id', handle: (scope) => findClock(scope) },
    { method: 'POST', path: '/v1/test_helpers/test_clocks/:id/advance', handle: (scope) => advanceTestClock(scope, onAdvance) },
    { method: 'DELETE', path: '/v1/test_helpers/test_clocks/:id', handle: (scope) => deleteObject(scope, findClock(scope), 'test_helpers.test_clock.deleted') },
  ];
}

const TYPE = 'test_helpers.test_clock';

function findClock(scope: ResourceScope, id = scope.request.params.id ?? '', param = 'id'): StoredObject {
  return findObject(scope, TYPE, id, { label: 'test_clock', param });
}

/** The clock named by a `test_clock` parameter, or undefined when none was given. */
export function clockParam(scope: ResourceScope): StoredObject | undefined {
  const id = optionalString(scope.request.form, 'test_clock');
  return id === undefined ? undefined : findClock(scope, id, 'test_clock');
}

/** Now for objects on a clock: its frozen time; for the rest, the request's time. */
export function clockNow(scope: ResourceScope, clockId: unknown): number {
  if (typeof clockId !== 'string') return scope.created;
  const clock = scope.store.get(TYPE, clockId);
  return typeof clock?.frozen_time === 'number' ? clock.frozen_time : scope.created;
}

function createTestClock(scope: ResourceScope): StoredObject {
  const { form } = scope.request;
  const clock = scope.store.put(testClock(createObjectContext(scope.created), requiredInteger(form, 'frozen_time'), optionalString(form, 'name') ?? null) as StoredObject);
  scope.emit('test_helpers.test_clock.created', clock);
  return clock;
}

function advanceTestClock(scope: ResourceScope, onAdvance: ClockListener[]): StoredObject {
  const clock = findClock(scope);
  const from = clock.frozen_time as number;
  const to = requiredInteger(scope.request.form, 'frozen_time');
  if (clock.status !== 'ready') throw invalidRequest('The test clock is still advancing; wait until it is ready before advancing it again.', { code: 'test_clock_not_ready' });
  if (to <= from) throw invalidRequest(`The new frozen_time (${to}) must be after the current one (${from}).`, { param: 'frozen_time' });
  const advancing = saveChanges(scope, clock, { status: 'advancing', status_details: { advancing: { target_frozen_time: to } } });
  scope.emit('test_helpers.test_clock.advancing', advancing);
  const moved = saveChanges(scope, advancing, { frozen_time: to });
  for (const listener of onAdvance) listener(scope, moved, from, to);
  const ready = saveChanges(scope, moved, { status: 'ready', status_details: {} });
  scope.emitLater('test_helpers.test_clock.ready', ready);
  return advancing;
}
