/**
 * `/v1/accounts`: connected accounts. Their events are Connect events: account.updated and
 * account.application.deauthorized name the connected account in `account`, so `stripe listen`
 * forwards them to its Connect endpoint (`--forward-connect-to`, which defaults to `--forward-to`).
 */
import type Stripe from 'stripe';
import type { StoredObject } from '../object-store.js';
import { account as accountObject, application } from '../objects/connect.js';
import { createObjectContext } from '../objects/object-context.js';
import { invalidRequest } from '../stripe-errors.js';
import { optionalObject, optionalString, updateMetadata } from './params.js';
import type { ResourceRoute, ResourceScope } from './resource-scope.js';
import { findObject, storeTyped, updateStoredMetadata } from './stored.js';

export function accountRoutes(): ResourceRoute[] {
  return [
    { method: 'POST', path: '/v1/accounts', handle: createAccount },
    { method: 'GET', path: '/v1/accounts/:id', handle: (scope) => findAccount(scope, scope.request.params.id ?? '') },
    { method: 'POST', path: '/v1/accounts/:id', handle: updateAccount },
    { method: 'DELETE', path: '/v1/accounts/:id', handle: deleteAccount },
  ];
}

export function findAccount(scope: ResourceScope, id: string, param = 'id'): StoredObject {
  return findObject(scope, 'account', id, { label: 'account', param });
}

const ACCOUNT_TYPES: readonly string[] = ['custom', 'express', 'standard'];

/**
 * Stripe sends no event for a new account: the platform learns of it from the response, and of
 * its onboarding from account.updated. Without `type` (the Stripe CLI's transfer fixtures send no
 * parameters), `controller` decides; with neither, the account is a custom one.
 */
function createAccount(scope: ResourceScope): StoredObject {
  const { form } = scope.request;
  const type = optionalString(form, 'type') ?? controllerType(optionalObject(form, 'controller'));
  if (!ACCOUNT_TYPES.includes(type)) throw invalidRequest(`Invalid type: must be one of custom, express, or standard`, { param: 'type' });
  const country = (optionalString(form, 'country') ?? 'US').toUpperCase();
  return storeTyped(
    scope,
    accountObject(createObjectContext(scope.created), {
      type: type as Stripe.Account.Type,
      country,
      email: optionalString(form, 'email') ?? null,
      defaultCurrency: optionalString(form, 'default_currency') ?? DEFAULT_CURRENCY[country] ?? 'usd',
      metadata: updateMetadata({}, form.metadata).metadata,
    }),
  );
}

const DEFAULT_CURRENCY: Record<string, string> = { US: 'usd', GB: 'gbp', CA: 'cad', AU: 'aud', JP: 'jpy', FR: 'eur', DE: 'eur', ES: 'eur', IT: 'eur', IE: 'eur', NL: 'eur' };

function controllerType(controller: Record<string, unknown> | undefined): string {
  const dashboard = (controller?.stripe_dashboard as Record<string, unknown> | undefined)?.type;
  if (dashboard === 'full') return 'standard';
  if (dashboard === 'express') return 'express';
  return 'custom';
}

function updateAccount(scope: ResourceScope): StoredObject {
  const account = findAccount(scope, scope.request.params.id ?? '');
  return updateStoredMetadata(scope, account, ['account.updated'], { account: account.id });
}

/**
 * Deleting an account disconnects it from the platform: the account sees the platform's
 * application deauthorized. The answer, and later reads, are the deleted stub.
 */
function deleteAccount(scope: ResourceScope): StoredObject {
  const account = findAccount(scope, scope.request.params.id ?? '');
  const stub = scope.store.put({ id: account.id, object: 'account', deleted: true });
  scope.emit('account.application.deauthorized', application(createObjectContext(scope.created)) as unknown as StoredObject, undefined, { account: account.id });
  return stub;
}
