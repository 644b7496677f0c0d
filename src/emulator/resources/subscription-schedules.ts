/**
 * `/v1/subscription_schedules`: create (a schedule that starts now starts its subscription at
 * once, with the customer's default payment method or source), retrieve, update metadata, cancel
 * (the subscription is canceled with it) and release (the subscription carries on alone).
 */
import type { FormObject } from '../form-body.js';
import type { StoredObject } from '../object-store.js';
import { createObjectContext } from '../objects/object-context.js';
import { schedulePhase, subscriptionSchedule, type PhaseTerms } from '../objects/subscription-schedules.js';
import { invalidRequest, missingParam } from '../stripe-errors.js';
import { optionalInteger, optionalList, optionalString, requiredString, updateMetadata } from './params.js';
import type { ResourceRoute, ResourceScope } from './resource-scope.js';
import { findObject, saveChanges } from './stored.js';
import { cancelSubscriptionNow, startSubscription, type ItemInput } from './subscriptions.js';
import { clockNow } from './test-clocks.js';
import { updateObject } from './update-object.js';

export function subscriptionScheduleRoutes(): ResourceRoute[] {
  return [
    { method: 'POST', path: '/v1/subscription_schedules', handle: createSchedule },
    { method: 'GET', path: '/v1/subscription_schedules/:id', handle: (scope) => findSchedule(scope) },
    { method: 'POST', path: '/v1/subscription_schedules/:id', handle: (scope) => updateObject(scope, findSchedule(scope), { metadata: scope.request.form.metadata, eventType: 'subscription_schedule.updated' }) },
    { method: 'POST', path: '/v1/subscription_schedules/:id/cancel', handle: cancelSchedule },
    { method: 'POST', path: '/v1/subscription_schedules/:id/release', handle: releaseSchedule },
  ];
}

function findSchedule(scope: ResourceScope): StoredObject {
  return findObject(scope, 'subscription_schedule', scope.request.params.id ?? '');
}

/**
 * `t` moved on by `count` of a price's billing intervals, on the calendar. Monthly and yearly steps
 * keep the day of the month where the target month has it and fall back to its last day otherwise
 * (Jan 31 + 1 month = Feb 28 or 29), as Stripe's billing periods do.
 */
export function addInterval(t: number, interval: string, count: number): number {
  const date = new Date(t * 1000);
  if (interval === 'month' || interval === 'year') {
    const months = interval === 'year' ? 12 * count : count;
    const target = new Date(date);
    target.setUTCDate(1);
    target.setUTCMonth(target.getUTCMonth() + months);
    const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
    target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
    return Math.floor(target.getTime() / 1000);
  }
  date.setUTCDate(date.getUTCDate() + (interval === 'week' ? 7 : 1) * count);
  return Math.floor(date.getTime() / 1000);
}

interface PlannedPhase {
  terms: PhaseTerms;
  inputs: ItemInput[];
}

/** Each phase starts where the one before ends; it lasts until `end_date`, or `iterations` billing periods (one by default). */
function planPhases(scope: ResourceScope, form: FormObject, start: number): PlannedPhase[] {
  const phases = optionalList(form, 'phases') ?? [];
  if (phases.length === 0) throw missingParam('phases');
  let phaseStart = start;
  return phases.map((phase, index) => {
    const fields = typeof phase === 'object' && !Array.isArray(phase) ? phase : {};
    const items = optionalList(fields, 'items') ?? [];
    if (items.length === 0) throw missingParam(`phases[${index}][items]`);
    const inputs = items.map((item, itemIndex) => {
      const itemFields = typeof item === 'object' && !Array.isArray(item) ? item : {};
      const param = `phases[${index}][items][${itemIndex}][price]`;
      const price = findObject(scope, 'price', requiredString(itemFields, 'price'), { param });
      if (price.type !== 'recurring') throw invalidRequest('The price specified is set to `type=one_time` but this field only accepts prices with `type=recurring`.', { param });
      return { price, quantity: optionalInteger(itemFields, 'quantity') ?? 1 };
    });
    const recurring = inputs[0]!.price.recurring as { interval: string; interval_count: number };
    const end = optionalInteger(fields, 'end_date') ?? addInterval(phaseStart, recurring.interval, recurring.interval_count * (optionalInteger(fields, 'iterations') ?? 1));
    if (end <= phaseStart) throw invalidRequest(`Phase ${index} must end after it starts.`, { param: `phases[${index}][end_date]` });
    const terms = { start: phaseStart, end, currency: String(inputs[0]!.price.currency), items: inputs.map(({ price, quantity }) => ({ price: price.id, quantity })) };
    phaseStart = end;
    return { terms, inputs };
  });
}

function createSchedule(scope: ResourceScope): StoredObject {
  const { form } = scope.request;
  const customer = findObject(scope, 'customer', requiredString(form, 'customer'), { param: 'customer' });
  if (optionalString(form, 'from_subscription') !== undefined) throw invalidRequest("webhook-dev's offline emulator makes schedules from phases, not from_subscription.", { param: 'from_subscription' });
  const now = clockNow(scope, customer.test_clock);
  const startText = optionalString(form, 'start_date') ?? 'now';
  const start = startText === 'now' ? now : optionalInteger(form, 'start_date')!;
  const endBehavior = optionalString(form, 'end_behavior') ?? 'release';
  if (endBehavior !== 'release' && endBehavior !== 'cancel') throw invalidRequest('Invalid end_behavior: must be one of release or cancel', { param: 'end_behavior' });
  const planned = planPhases(scope, form, start);
  const schedule = scope.store.put(
    subscriptionSchedule(createObjectContext(scope.created), {
      customer: customer.id,
      endBehavior,
      phases: planned.map(({ terms }) => schedulePhase(terms)),
      testClock: typeof customer.test_clock === 'string' ? customer.test_clock : null,
      metadata: updateMetadata({}, form.metadata).metadata,
    }) as StoredObject,
  );
  const started = start <= now ? startSchedule(scope, schedule, customer, planned[0]!) : schedule;
  scope.emit('subscription_schedule.created', started);
  return started;
}

/** The first phase begins: its subscription starts (and is paid) before the schedule's own event. */
function startSchedule(scope: ResourceScope, schedule: StoredObject, customer: StoredObject, first: PlannedPhase): StoredObject {
  const { subscription, error } = startSubscription(scope, {
    customer,
    inputs: first.inputs,
    behavior: 'allow_incomplete',
    description: null,
    metadata: {},
    schedule: schedule.id,
  });
  if (error !== undefined) return schedule;
  return saveChanges(scope, schedule, { current_phase: { end_date: first.terms.end, start_date: first.terms.start }, status: 'active', subscription: subscription.id });
}

function scheduledSubscription(scope: ResourceScope, schedule: StoredObject): StoredObject | undefined {
  return typeof schedule.subscription === 'string' ? scope.store.get('subscription', schedule.subscription) : undefined;
}

function requireOpen(schedule: StoredObject, action: string): void {
  if (schedule.status !== 'not_started' && schedule.status !== 'active') throw invalidRequest(`You cannot ${action} a subscription schedule that is ${String(schedule.status)}.`);
}

/** A running schedule takes its subscription with it (customer.subscription.deleted first). */
function cancelSchedule(scope: ResourceScope): StoredObject {
  const schedule = findSchedule(scope);
  requireOpen(schedule, 'cancel');
  const subscription = scheduledSubscription(scope, schedule);
  if (subscription !== undefined && subscription.status !== 'canceled') cancelSubscriptionNow(scope, subscription);
  const canceled = saveChanges(scope, schedule, { canceled_at: scope.created, current_phase: null, status: 'canceled' });
  scope.emit('subscription_schedule.canceled', canceled);
  return canceled;
}

/** The subscription stays, no longer managed: its `schedule` goes (customer.subscription.updated). */
function releaseSchedule(scope: ResourceScope): StoredObject {
  const schedule = findSchedule(scope);
  requireOpen(schedule, 'release');
  const subscription = scheduledSubscription(scope, schedule);
  const released = saveChanges(scope, schedule, { current_phase: null, released_at: scope.created, released_subscription: subscription?.id ?? null, status: 'released', subscription: null });
  if (subscription !== undefined) {
    const unmanaged = saveChanges(scope, subscription, { schedule: null });
    scope.emit('customer.subscription.updated', unmanaged, { schedule: schedule.id });
  }
  scope.emit('subscription_schedule.released', released);
  return released;
}
