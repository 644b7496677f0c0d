/** `/v1/topups`: adding funds to the balance from the bank account (topup.created). */
import type { StoredObject } from '../object-store.js';
import { topup, type NewMovement } from '../objects/money-movement.js';
import { createObjectContext } from '../objects/object-context.js';
import { invalidRequest } from '../stripe-errors.js';
import { optionalString, requiredInteger, requiredString, updateMetadata } from './params.js';
import type { ResourceRoute, ResourceScope } from './resource-scope.js';
import { findObject, storeTyped, updateStoredMetadata } from './stored.js';

export function topupRoutes(): ResourceRoute[] {
  const find = (scope: ResourceScope) => findObject(scope, 'topup', scope.request.params.id ?? '', { label: 'topup' });
  return [
    { method: 'POST', path: '/v1/topups', handle: createTopup },
    { method: 'GET', path: '/v1/topups/:id', handle: find },
    { method: 'POST', path: '/v1/topups/:id', handle: (scope) => updateStoredMetadata(scope, find(scope), []) },
  ];
}

/** The parameters payouts and top-ups share. */
export function movementInput(scope: ResourceScope): NewMovement {
  const { form } = scope.request;
  const amount = requiredInteger(form, 'amount');
  if (amount <= 0) throw invalidRequest('This value must be greater than or equal to 1.', { param: 'amount' });
  return {
    amount,
    currency: requiredString(form, 'currency').toLowerCase(),
    description: optionalString(form, 'description') ?? null,
    statementDescriptor: optionalString(form, 'statement_descriptor') ?? null,
    metadata: updateMetadata({}, form.metadata).metadata,
  };
}

function createTopup(scope: ResourceScope): StoredObject {
  const stored = storeTyped(scope, topup(createObjectContext(scope.created), movementInput(scope)));
  scope.emit('topup.created', stored);
  return stored;
}
