/**
 * Issuing: `/v1/issuing/cardholders` and `/v1/issuing/cards`, test authorizations on a card
 * (issuing_authorization.request, then issuing_authorization.created with the decision), force
 * captures (issuing_transaction.created) and transaction updates.
 */
import { randomInt } from 'node:crypto';
import type Stripe from 'stripe';
import type { FormObject } from '../form-body.js';
import type { StoredObject } from '../object-store.js';
import { createObjectContext } from '../objects/object-context.js';
import { issuingAuthorization, issuingCard, issuingCardholder, issuingTransaction, merchantData, pendingAuthorizationRequest } from '../objects/issuing.js';
import { invalidRequest } from '../stripe-errors.js';
import { optionalInteger, optionalList, optionalObject, optionalString, requiredInteger, requiredString, toAddress, updateMetadata } from './params.js';
import type { ResourceRoute, ResourceScope } from './resource-scope.js';
import { findObject, findTyped, storeTyped, updateStoredMetadata } from './stored.js';

export function issuingRoutes(): ResourceRoute[] {
  const read = (type: string, label: string): ResourceRoute['handle'] => (scope) => findObject(scope, type, scope.request.params.id ?? '', { label });
  return [
    { method: 'POST', path: '/v1/issuing/cardholders', handle: createCardholder },
    { method: 'GET', path: '/v1/issuing/cardholders/:id', handle: read('issuing.cardholder', 'issuing.cardholder') },
    { method: 'POST', path: '/v1/issuing/cards', handle: createCard },
    { method: 'GET', path: '/v1/issuing/cards/:id', handle: read('issuing.card', 'issuing.card') },
    // The Stripe CLI's fixtures use this older test route; the documented one is the test helper.
    { method: 'POST', path: '/v1/issuing/cards/:id/test/authorizations', handle: (scope) => authorize(scope, scope.request.params.id ?? '', heldAmount(scope.request.form)) },
    { method: 'POST', path: '/v1/test_helpers/issuing/authorizations', handle: (scope) => authorize(scope, requiredString(scope.request.form, 'card'), testHelperAmount(scope.request.form)) },
    { method: 'GET', path: '/v1/issuing/authorizations/:id', handle: read('issuing.authorization', 'issuing.authorization') },
    { method: 'POST', path: '/v1/test_helpers/issuing/transactions/create_force_capture', handle: forceCapture },
    { method: 'GET', path: '/v1/issuing/transactions/:id', handle: read('issuing.transaction', 'issuing.transaction') },
    { method: 'POST', path: '/v1/issuing/transactions/:id', handle: updateTransaction },
  ];
}

const CARDHOLDER_TYPES: readonly string[] = ['individual', 'company'];

function createCardholder(scope: ResourceScope): StoredObject {
  const { form } = scope.request;
  const type = optionalString(form, 'type') ?? 'individual';
  if (!CARDHOLDER_TYPES.includes(type)) throw invalidRequest(`Invalid type: must be one of individual or company`, { param: 'type' });
  const billing = optionalObject(form, 'billing');
  if (billing?.address === undefined) throw invalidRequest('Missing required param: billing[address].', { code: 'parameter_missing', param: 'billing[address]' });
  const individual = optionalObject(form, 'individual') ?? {};
  const terms = optionalObject(optionalObject(individual, 'card_issuing') ?? {}, 'user_terms_acceptance');
  const cardholder = issuingCardholder(createObjectContext(scope.created), {
    name: requiredString(form, 'name'),
    type: type as Stripe.Issuing.Cardholder.Type,
    email: optionalString(form, 'email') ?? null,
    phoneNumber: optionalString(form, 'phone_number') ?? null,
    billingAddress: toAddress(billing.address),
    firstName: optionalString(individual, 'first_name') ?? null,
    lastName: optionalString(individual, 'last_name') ?? null,
    termsAcceptance: terms === undefined ? null : { date: optionalInteger(terms, 'date') ?? null, ip: optionalString(terms, 'ip') ?? null },
    metadata: updateMetadata({}, form.metadata).metadata,
  });
  const stored = storeTyped(scope, cardholder);
  scope.emit('issuing_cardholder.created', stored);
  return stored;
}

function createCard(scope: ResourceScope): StoredObject {
  const { form } = scope.request;
  const cardholder = findTyped<Stripe.Issuing.Cardholder>(scope, 'issuing.cardholder', requiredString(form, 'cardholder'), { label: 'issuing.cardholder', param: 'cardholder' });
  const type = requiredString(form, 'type');
  if (type !== 'virtual' && type !== 'physical') throw invalidRequest('Invalid type: must be one of virtual or physical', { param: 'type' });
  if (type === 'physical') throw invalidRequest("webhook-dev's offline emulator issues only virtual cards: a physical card needs shipping and a personalization design.", { param: 'type' });
  const status = optionalString(form, 'status') ?? 'inactive';
  if (status !== 'active' && status !== 'inactive') throw invalidRequest('Invalid status: a new card is active or inactive', { param: 'status' });
  const card = issuingCard(createObjectContext(scope.created), {
    cardholder,
    currency: requiredString(form, 'currency').toLowerCase(),
    type,
    status,
    last4: String(randomInt(10_000)).padStart(4, '0'),
    metadata: updateMetadata({}, form.metadata).metadata,
  });
  const stored = storeTyped(scope, card);
  scope.emit('issuing_card.created', stored);
  return stored;
}

interface RequestedAmount {
  amount: number;
  currency: string | undefined;
  method: Stripe.Issuing.Authorization.AuthorizationMethod;
}

const AUTHORIZATION_METHODS: readonly string[] = ['chip', 'contactless', 'keyed_in', 'online', 'swipe'];

function authorizationMethod(form: FormObject): Stripe.Issuing.Authorization.AuthorizationMethod {
  const method = optionalString(form, 'authorization_method') ?? 'online';
  if (!AUTHORIZATION_METHODS.includes(method)) throw invalidRequest(`Invalid authorization_method: must be one of ${AUTHORIZATION_METHODS.join(', ')}`, { param: 'authorization_method' });
  return method as Stripe.Issuing.Authorization.AuthorizationMethod;
}

function heldAmount(form: FormObject): RequestedAmount {
  return { amount: requiredInteger(form, 'held_amount'), currency: optionalString(form, 'held_currency'), method: authorizationMethod(form) };
}

function testHelperAmount(form: FormObject): RequestedAmount {
  return { amount: optionalInteger(form, 'amount') ?? 1000, currency: optionalString(form, 'currency'), method: authorizationMethod(form) };
}

/**
 * Stripe asks the platform first (issuing_authorization.request, answered within two seconds by a
 * real-time endpoint); with no answer it decides by the card's status and spending controls and
 * reports the decision as issuing_authorization.created. An active card is approved.
 */
function authorize(scope: ResourceScope, cardId: string, requested: RequestedAmount): StoredObject {
  const card = findTyped<Stripe.Issuing.Card>(scope, 'issuing.card', cardId, { label: 'issuing.card', param: 'card' });
  const currency = (requested.currency ?? card.currency).toLowerCase();
  if (requested.amount <= 0) throw invalidRequest('The amount must be a positive integer.', { param: 'amount' });
  const authorization = issuingAuthorization(createObjectContext(scope.created), { card, amount: requested.amount, currency, method: requested.method, approved: card.status === 'active' });
  scope.emit('issuing_authorization.request', pendingAuthorizationRequest(authorization) as unknown as StoredObject);
  const stored = storeTyped(scope, authorization);
  scope.emit('issuing_authorization.created', stored);
  return stored;
}

/**
 * A capture with no authorization before it (the merchant never asked): issuing_transaction.created,
 * and when the merchant sent line items, issuing_transaction.purchase_details_receipt_updated once
 * Stripe has processed them.
 */
function forceCapture(scope: ResourceScope): StoredObject {
  const { form } = scope.request;
  const card = findTyped<Stripe.Issuing.Card>(scope, 'issuing.card', requiredString(form, 'card'), { label: 'issuing.card', param: 'card' });
  const amount = requiredInteger(form, 'amount');
  if (amount <= 0) throw invalidRequest('The amount must be a positive integer.', { param: 'amount' });
  const receipt = receiptLines(optionalObject(form, 'purchase_details'));
  const transaction = issuingTransaction(createObjectContext(scope.created), {
    card,
    amount,
    currency: (optionalString(form, 'currency') ?? card.currency).toLowerCase(),
    merchant: toMerchantData(optionalObject(form, 'merchant_data')),
    receipt,
    metadata: {},
  });
  const stored = storeTyped(scope, transaction);
  scope.emit('issuing_transaction.created', stored);
  if (receipt !== null) scope.emitLater('issuing_transaction.purchase_details_receipt_updated', stored);
  return stored;
}

function toMerchantData(form: FormObject | undefined): Stripe.Issuing.Transaction.MerchantData {
  if (form === undefined) return merchantData();
  const field = (name: string): string | undefined => optionalString(form, name);
  const category = field('category');
  return merchantData({
    ...(category === undefined ? {} : { category, category_code: MERCHANT_CATEGORY_CODES[category] ?? '5999' }),
    ...pickDefined({ city: field('city'), country: field('country'), name: field('name'), network_id: field('network_id'), postal_code: field('postal_code'), state: field('state') }),
  });
}

/** The few categories the Stripe CLI's fixtures and docs use; others get 5999 (miscellaneous retail). */
const MERCHANT_CATEGORY_CODES: Record<string, string> = {
  ac_refrigeration_repair: '7623',
  taxicabs_limousines: '4121',
  eating_places_restaurants: '5812',
  fast_food_restaurants: '5814',
  grocery_stores_supermarkets: '5411',
};

function pickDefined(values: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

function receiptLines(purchaseDetails: FormObject | undefined): Stripe.Issuing.Transaction.PurchaseDetails.Receipt[] | null {
  const lines = purchaseDetails === undefined ? undefined : optionalList(purchaseDetails, 'receipt');
  if (lines === undefined) return null;
  return lines.map((line) => {
    const form = typeof line === 'object' && !Array.isArray(line) ? line : {};
    const quantity = optionalInteger(form, 'quantity') ?? null;
    const unitCost = optionalInteger(form, 'unit_cost') ?? null;
    return {
      description: optionalString(form, 'description') ?? null,
      quantity,
      total: optionalInteger(form, 'total') ?? (quantity !== null && unitCost !== null ? quantity * unitCost : null),
      unit_cost: unitCost,
    };
  });
}

function updateTransaction(scope: ResourceScope): StoredObject {
  const transaction = findObject(scope, 'issuing.transaction', scope.request.params.id ?? '', { label: 'issuing.transaction' });
  return updateStoredMetadata(scope, transaction, ['issuing_transaction.updated']);
}
