/**
 * Payment methods: made from test cards (`pm_card_visa` given anywhere a payment method is
 * expected becomes a new `pm_…`, as in Stripe), attached to and detached from customers.
 */
import { createHash } from 'node:crypto';
import { deepMerge } from '../deep-merge.js';
import type { FormObject, FormValue } from '../form-body.js';
import type { StoredObject } from '../object-store.js';
import { createObjectContext } from '../objects/object-context.js';
import { paymentMethod } from '../objects/payments.js';
import { ApiFailure, invalidRequest, missingParam, resourceMissing, stripeError } from '../stripe-errors.js';
import { optionalObject, optionalString, requiredString, toAddress, updateMetadata } from './params.js';
import type { ResourceRoute, ResourceScope } from './resource-scope.js';
import { findObject, saveChanges } from './stored.js';
import { testBankAccountFor, testCardFor, VISA, type TestCard } from './test-cards.js';

export interface ResolvedPaymentMethod {
  paymentMethod: StoredObject;
  card: TestCard;
}

export function paymentMethodRoutes(): ResourceRoute[] {
  return [
    { method: 'POST', path: '/v1/payment_methods', handle: createPaymentMethod },
    { method: 'GET', path: '/v1/payment_methods/:id', handle: (scope) => findPaymentMethod(scope, scope.request.params.id ?? '').paymentMethod },
    { method: 'POST', path: '/v1/payment_methods/:id', handle: updatePaymentMethod },
    {
      method: 'POST',
      path: '/v1/payment_methods/:id/attach',
      handle: (scope) => attachPaymentMethod(scope, resolvePaymentMethod(scope, scope.request.params.id ?? '', 'payment_method'), requiredString(scope.request.form, 'customer')),
    },
    { method: 'POST', path: '/v1/payment_methods/:id/detach', handle: detachPaymentMethod },
  ];
}

/** A test card name makes a new payment method; a `pm_…` must exist. */
export function resolvePaymentMethod(scope: ResourceScope, reference: string, param = 'payment_method'): ResolvedPaymentMethod {
  const card = testCardFor(reference);
  if (card !== undefined) return { paymentMethod: storeCardPaymentMethod(scope, card), card };
  const found = scope.store.get('payment_method', reference);
  if (found === undefined) throw new ApiFailure(resourceMissing('PaymentMethod', reference, param));
  return { paymentMethod: found, card: scope.cards.get(found.id) ?? VISA };
}

export function findPaymentMethod(scope: ResourceScope, id: string): ResolvedPaymentMethod {
  const found = findObject(scope, 'payment_method', id, { label: 'PaymentMethod' });
  return { paymentMethod: found, card: scope.cards.get(found.id) ?? VISA };
}

/** Stripe emits nothing for a payment method until it is attached. */
export function storeCardPaymentMethod(scope: ResourceScope, card: TestCard, billingDetails?: FormValue): StoredObject {
  const base = paymentMethod(createObjectContext(scope.created));
  const built = deepMerge(base, {
    billing_details: toBillingDetails(billingDetails),
    card: { brand: card.brand, display_brand: card.brand, funding: card.funding, last4: card.last4, networks: { available: [card.brand], preferred: null } },
    customer: null,
  }) as StoredObject;
  scope.cards.set(built.id, card);
  return scope.store.put(built);
}

function toBillingDetails(value: FormValue | undefined): Record<string, unknown> {
  const form: FormObject = value !== undefined && typeof value !== 'string' && !Array.isArray(value) ? value : {};
  return {
    address: toAddress(form.address),
    email: optionalString(form, 'email') ?? null,
    name: optionalString(form, 'name') ?? null,
    phone: optionalString(form, 'phone') ?? null,
    tax_id: null,
  };
}

function createPaymentMethod(scope: ResourceScope): StoredObject {
  const { form } = scope.request;
  const type = optionalString(form, 'type') ?? 'card';
  if (type !== 'card') return storeBankPaymentMethod(scope, type, form);
  const token = optionalString(optionalObject(form, 'card') ?? {}, 'token') ?? optionalString(form, 'payment_method') ?? 'tok_visa';
  const card = testCardFor(token);
  if (card === undefined) throw invalidRequest(`Unknown test card token "${token}". Use a Stripe test token such as tok_visa or tok_chargeDeclined.`, { param: 'card[token]' });
  return storeCardPaymentMethod(scope, card, form.billing_details);
}

/**
 * `payment_method_data[type]=…` on a payment intent: the payment method is made on the spot. Only
 * the non-card types the Stripe CLI's fixtures use are emulated this way.
 */
export function paymentMethodFromData(scope: ResourceScope, data: FormObject): ResolvedPaymentMethod {
  const type = requiredString(data, 'type');
  if (type === 'card') throw invalidRequest("webhook-dev's offline emulator makes card payment methods from test cards: pass payment_method=pm_card_visa instead of payment_method_data.", { param: 'payment_method_data[type]' });
  const paymentMethod = storeBankPaymentMethod(scope, type, data);
  return { paymentMethod, card: scope.cards.get(paymentMethod.id) ?? VISA };
}

/**
 * SEPA Direct Debit (the IBAN decides how debits end, see test-cards.ts) and customer_balance (bank
 * transfers into the customer's cash balance). Stripe sends nothing until one is attached.
 */
function storeBankPaymentMethod(scope: ResourceScope, type: string, form: FormObject): StoredObject {
  const { card: _card, ...base } = paymentMethod(createObjectContext(scope.created));
  const common = { ...base, billing_details: toBillingDetails(form.billing_details), customer: null, type };
  if (type === 'customer_balance') return scope.store.put({ ...common, customer_balance: {} } as unknown as StoredObject);
  if (type !== 'sepa_debit') throw invalidRequest(`webhook-dev's offline emulator makes card, sepa_debit and customer_balance payment methods, not "${type}".`, { param: 'type' });
  const iban = requiredString(optionalObject(form, 'sepa_debit') ?? {}, 'iban').replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(iban)) throw invalidRequest(`The IBAN you provided (${iban}) is invalid.`, { code: 'invalid_bank_account_iban', param: 'sepa_debit[iban]' });
  const billing = common.billing_details as { name: string | null; email: string | null };
  if (billing.name === null) throw missingParam('billing_details[name]');
  if (billing.email === null) throw missingParam('billing_details[email]');
  const account = testBankAccountFor(iban);
  const stored = scope.store.put({ ...common, sepa_debit: sepaDebitDetails(iban) } as unknown as StoredObject);
  scope.cards.set(stored.id, account);
  return stored;
}

/** What a payment method (and the charges on it) show of an IBAN: never the whole number. */
export function sepaDebitDetails(iban: string): { bank_code: string; branch_code: string; country: string; fingerprint: string; generated_from: { charge: null; setup_attempt: null }; last4: string } {
  return {
    bank_code: iban.slice(4, 9),
    branch_code: '',
    country: iban.slice(0, 2),
    fingerprint: createHash('sha256').update(iban).digest('base64url').slice(0, 16),
    generated_from: { charge: null, setup_attempt: null },
    last4: iban.slice(-4),
  };
}

/** Attaching verifies the card: a card that declines everything is refused with a card_error. */
export function attachPaymentMethod(scope: ResourceScope, { paymentMethod, card }: ResolvedPaymentMethod, customerId: string): StoredObject {
  findObject(scope, 'customer', customerId, { param: 'customer' });
  refuseDeclinedCard(card);
  if (paymentMethod.customer === customerId) return paymentMethod;
  const attached = saveChanges(scope, paymentMethod, { customer: customerId });
  scope.emit('payment_method.attached', attached);
  return attached;
}

export function refuseDeclinedCard(card: TestCard): void {
  if (card.outcome !== 'decline') return;
  const declineCode = card.declineCode ?? 'generic_decline';
  throw new ApiFailure(stripeError(402, 'card_error', 'Your card was declined.', { code: 'card_declined', decline_code: declineCode, doc_url: 'https://stripe.com/docs/error-codes/card-declined', param: '' }));
}

function detachPaymentMethod(scope: ResourceScope): StoredObject {
  const { paymentMethod } = findPaymentMethod(scope, scope.request.params.id ?? '');
  if (paymentMethod.customer === null) throw invalidRequest(`The payment method you provided is not attached to a customer so detachment is impossible.`);
  const detached = saveChanges(scope, paymentMethod, { customer: null });
  scope.emit('payment_method.detached', detached, { customer: paymentMethod.customer });
  return detached;
}


/** Stripe lets only an attached payment method be updated; metadata and billing details change. */
function updatePaymentMethod(scope: ResourceScope): StoredObject {
  const { paymentMethod } = findPaymentMethod(scope, scope.request.params.id ?? '');
  if (paymentMethod.customer === null) throw invalidRequest('You must save this PaymentMethod to a customer before you can update it.');
  const { form } = scope.request;
  const changes: Record<string, unknown> = {};
  const previous: Record<string, unknown> = {};
  const { metadata, previous: previousMetadata } = updateMetadata(paymentMethod.metadata as Record<string, string>, form.metadata);
  if (previousMetadata !== undefined) {
    changes.metadata = metadata;
    previous.metadata = previousMetadata;
  }
  if (form.billing_details !== undefined) {
    changes.billing_details = toBillingDetails(form.billing_details);
    previous.billing_details = paymentMethod.billing_details;
  }
  if (Object.keys(changes).length === 0) return paymentMethod;
  const updated = saveChanges(scope, paymentMethod, changes);
  scope.emit('payment_method.updated', updated, previous);
  return updated;
}
