/**
 * `/v1/plans`, Stripe's older view of recurring prices: a plan and its price share an id, so the
 * emulator stores the price and answers with its plan view. Plan requests send the plan event
 * first and the price event after it, the reverse of `/v1/prices`.
 */
import type { StoredObject } from '../object-store.js';
import { optionalBoolean, optionalInteger, optionalObject, optionalString, requiredInteger, requiredString, updateMetadata } from './params.js';
import { emitCompanion, planOf, storePrice, storeProduct } from './products-prices.js';
import type { ResourceRoute, ResourceScope } from './resource-scope.js';
import { findObject, saveChanges } from './stored.js';
import { computeUpdate } from './update-object.js';

export function planRoutes(): ResourceRoute[] {
  return [
    { method: 'POST', path: '/v1/plans', handle: createPlan },
    { method: 'GET', path: '/v1/plans/:id', handle: (scope) => planOf(findPlanPrice(scope)) },
    { method: 'POST', path: '/v1/plans/:id', handle: updatePlan },
    { method: 'DELETE', path: '/v1/plans/:id', handle: deletePlan },
  ];
}

function findPlanPrice(scope: ResourceScope): StoredObject {
  const id = scope.request.params.id ?? '';
  const price = findObject(scope, 'price', id, { label: 'plan' });
  if (price.type !== 'recurring') return findObject(scope, 'plan', id);
  return price;
}

function createPlan(scope: ResourceScope): StoredObject {
  const { form } = scope.request;
  const productData = optionalObject(form, 'product');
  const product = productData === undefined ? findObject(scope, 'product', requiredString(form, 'product'), { param: 'product' }).id : storeProduct(scope, productData).id;
  const price = storePrice(scope, {
    product,
    currency: requiredString(form, 'currency').toLowerCase(),
    unitAmount: requiredInteger(form, 'amount'),
    recurring: {
      interval: requiredString(form, 'interval'),
      intervalCount: optionalInteger(form, 'interval_count') ?? 1,
      usageType: optionalString(form, 'usage_type') ?? 'licensed',
      trialPeriodDays: optionalInteger(form, 'trial_period_days') ?? null,
    },
    nickname: optionalString(form, 'nickname') ?? null,
    lookupKey: null,
    metadata: updateMetadata({}, form.metadata).metadata,
  });
  const plan = planOf(price);
  scope.emit('plan.created', plan);
  scope.emit('price.created', price);
  return plan;
}

function updatePlan(scope: ResourceScope): StoredObject {
  const price = findPlanPrice(scope);
  const { form } = scope.request;
  const nickname = optionalString(form, 'nickname');
  const update = computeUpdate(price, { changes: { active: optionalBoolean(form, 'active'), nickname: nickname === '' ? null : nickname }, metadata: form.metadata });
  if (update === undefined) return planOf(price);
  const updated = saveChanges(scope, price, update.changes);
  const plan = planOf(updated);
  scope.emit('plan.updated', plan, update.previous);
  emitCompanion(scope, 'price.updated', updated, update.previous);
  return plan;
}

/** The plan goes, and with it the price it is a view of. */
function deletePlan(scope: ResourceScope): StoredObject {
  const price = findPlanPrice(scope);
  const plan = planOf(price);
  scope.store.put({ id: price.id, object: 'price', deleted: true });
  scope.emit('plan.deleted', plan);
  scope.emit('price.deleted', price);
  return { id: price.id, object: 'plan', deleted: true };
}
