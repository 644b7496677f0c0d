/**
 * `/v1/transfers`: moving funds from the platform's balance to a connected account, updates, and
 * reversals (transfer.created, transfer.updated, transfer.reversed).
 */
import type Stripe from 'stripe';
import type { StoredObject } from '../object-store.js';
import { transfer as transferObject, transferReversal } from '../objects/connect.js';
import { createObjectContext } from '../objects/object-context.js';
import { invalidRequest } from '../stripe-errors.js';
import { optionalInteger, optionalString, requiredInteger, requiredString, updateMetadata } from './params.js';
import type { ResourceRoute, ResourceScope } from './resource-scope.js';
import { findAccount } from './accounts.js';
import { findObject, findTyped, saveChanges, storeTyped, updateStoredMetadata } from './stored.js';

export function transferRoutes(): ResourceRoute[] {
  return [
    { method: 'POST', path: '/v1/transfers', handle: createTransfer },
    { method: 'GET', path: '/v1/transfers/:id', handle: (scope) => findTransfer(scope) },
    { method: 'POST', path: '/v1/transfers/:id', handle: (scope) => updateStoredMetadata(scope, findTransfer(scope), ['transfer.updated']) },
    { method: 'POST', path: '/v1/transfers/:id/reversals', handle: reverseTransfer },
  ];
}

function findTransfer(scope: ResourceScope): StoredObject {
  return findObject(scope, 'transfer', scope.request.params.id ?? '', { label: 'transfer' });
}

function createTransfer(scope: ResourceScope): StoredObject {
  const { form } = scope.request;
  const amount = requiredInteger(form, 'amount');
  if (amount <= 0) throw invalidRequest('This value must be greater than or equal to 1.', { param: 'amount' });
  const destination = findAccount(scope, requiredString(form, 'destination'), 'destination');
  const stored = storeTyped(
    scope,
    transferObject(createObjectContext(scope.created), {
      amount,
      currency: requiredString(form, 'currency').toLowerCase(),
      destination: destination.id,
      description: optionalString(form, 'description') ?? null,
      metadata: updateMetadata({}, form.metadata).metadata,
      transferGroup: optionalString(form, 'transfer_group') ?? null,
    }),
  );
  scope.emit('transfer.created', stored);
  return stored;
}

/**
 * Takes back part or all of a transfer. The reversal is the answer; transfer.reversed carries the
 * transfer with the reversal in its list.
 */
function reverseTransfer(scope: ResourceScope): StoredObject {
  const transfer = findTyped<Stripe.Transfer>(scope, 'transfer', scope.request.params.id ?? '', { label: 'transfer' });
  const reversible = transfer.amount - transfer.amount_reversed;
  const amount = optionalInteger(scope.request.form, 'amount') ?? reversible;
  if (amount <= 0 || amount > reversible) throw invalidRequest(`Reversal amount (${amount}) is greater than the transfer's remaining amount (${reversible}).`, { param: 'amount' });
  const reversal = transferReversal(createObjectContext(scope.created), transfer.id, amount, transfer.currency, updateMetadata({}, scope.request.form.metadata).metadata);
  const reversals = transfer.reversals;
  const reversed = saveChanges(scope, transfer as unknown as StoredObject, {
    amount_reversed: transfer.amount_reversed + amount,
    reversals: { ...reversals, data: [reversal, ...reversals.data] },
    reversed: transfer.amount_reversed + amount === transfer.amount,
  });
  scope.emit('transfer.reversed', reversed);
  return storeTyped(scope, reversal);
}
