/** `/v1/payouts`: paying the balance out to the bank account (payout.created, payout.updated). */
import type { StoredObject } from '../object-store.js';
import { payout } from '../objects/money-movement.js';
import { createObjectContext } from '../objects/object-context.js';
import { invalidRequest } from '../stripe-errors.js';
import { movementInput } from './topups.js';
import type { ResourceRoute, ResourceScope } from './resource-scope.js';
import { findObject, storeTyped, updateStoredMetadata } from './stored.js';
import { optionalString } from './params.js';

export function payoutRoutes(): ResourceRoute[] {
  const find = (scope: ResourceScope) => findObject(scope, 'payout', scope.request.params.id ?? '', { label: 'payout' });
  return [
    { method: 'POST', path: '/v1/payouts', handle: createPayout },
    { method: 'GET', path: '/v1/payouts/:id', handle: find },
    { method: 'POST', path: '/v1/payouts/:id', handle: (scope) => updateStoredMetadata(scope, find(scope), ['payout.updated']) },
  ];
}

function createPayout(scope: ResourceScope): StoredObject {
  const method = optionalString(scope.request.form, 'method') ?? 'standard';
  if (method !== 'standard' && method !== 'instant') throw invalidRequest('Invalid method: must be one of standard or instant', { param: 'method' });
  const stored = storeTyped(scope, payout(createObjectContext(scope.created), { ...movementInput(scope), method }));
  scope.emit('payout.created', stored);
  return stored;
}
