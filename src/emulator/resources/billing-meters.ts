/**
 * `/v1/billing/meters`: create, list (by `status`), retrieve. What a meter is for, the meter events
 * sent against it, lives in meter-events.ts; a meter's `event_name` is unique among active meters,
 * which is why the meter-error trigger tolerates the error a second create gets.
 */
import type { StoredObject } from '../object-store.js';
import { billingMeter } from '../objects/billing-meters.js';
import { createObjectContext } from '../objects/object-context.js';
import { invalidRequest, missingParam, type ApiResponse } from '../stripe-errors.js';
import { optionalObject, optionalString, requiredString } from './params.js';
import type { ResourceRoute, ResourceScope } from './resource-scope.js';
import { findObject, storeTyped } from './stored.js';

export const METER = 'billing.meter';
const FORMULAS = new Set(['count', 'last', 'sum']);

export function billingMeterRoutes(): ResourceRoute[] {
  return [
    { method: 'GET', path: '/v1/billing/meters', handle: listMeters },
    { method: 'POST', path: '/v1/billing/meters', handle: createMeter },
    { method: 'GET', path: '/v1/billing/meters/:id', handle: (scope) => findObject(scope, METER, scope.request.params.id ?? '', { label: 'billing meter' }) },
  ];
}

/** The active meter events are recorded against, by its `event_name`. */
export function activeMeterFor(store: ResourceScope['store'], eventName: string): StoredObject | undefined {
  return store.list(METER).find((meter) => meter.event_name === eventName && meter.status === 'active');
}

function createMeter(scope: ResourceScope): StoredObject {
  const { form } = scope.request;
  const displayName = requiredString(form, 'display_name');
  const eventName = requiredString(form, 'event_name');
  const formula = optionalString(optionalObject(form, 'default_aggregation') ?? {}, 'formula');
  if (formula === undefined) throw missingParam('default_aggregation[formula]');
  if (!FORMULAS.has(formula)) throw invalidRequest(`Invalid default_aggregation[formula]: must be one of count, last, or sum.`, { param: 'default_aggregation[formula]' });
  if (activeMeterFor(scope.store, eventName) !== undefined) {
    throw invalidRequest(`An active meter with event_name \`${eventName}\` already exists.`, { param: 'event_name' });
  }
  const customerMapping = optionalObject(form, 'customer_mapping');
  const meter = storeTyped(
    scope,
    billingMeter(createObjectContext(scope.created), {
      displayName,
      eventName,
      formula,
      customerKey: (customerMapping && optionalString(customerMapping, 'event_payload_key')) ?? 'stripe_customer_id',
      valueKey: optionalString(optionalObject(form, 'value_settings') ?? {}, 'event_payload_key') ?? 'value',
      eventTimeWindow: optionalString(form, 'event_time_window') ?? null,
    }),
  );
  scope.emit('billing.meter.created', meter);
  return meter;
}

function listMeters(scope: ResourceScope): ApiResponse {
  const { query } = scope.request;
  const status = query.get('status');
  const limit = Math.min(Math.max(Number(query.get('limit') ?? 10) || 10, 1), 100);
  const matching = scope.store.list(METER).filter((meter) => status === null || meter.status === status);
  return { status: 200, body: { object: 'list', data: matching.slice(0, limit), has_more: matching.length > limit, url: '/v1/billing/meters' } };
}
