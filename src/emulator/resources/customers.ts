/**
 * `/v1/customers`: create (optionally attaching a payment method), retrieve, update with
 * `previous_attributes`, delete.
 */
import { deepMerge } from '../deep-merge.js';
import type { FormObject } from '../form-body.js';
import type { StoredObject } from '../object-store.js';
import { customer as customerObject } from '../objects/billing.js';
import { createObjectContext } from '../objects/object-context.js';
import { optionalObject, optionalString, toAddress, updateMetadata } from './params.js';
import { applyCustomerCoupon } from './coupons.js';
import { addCardSource } from './customer-sources.js';
import { clockParam } from './test-clocks.js';
import { attachPaymentMethod, refuseDeclinedCard, resolvePaymentMethod } from './payment-methods.js';
import type { ResourceRoute, ResourceScope } from './resource-scope.js';
import { findObject, previousValues, saveChanges } from './stored.js';

export function customerRoutes(): ResourceRoute[] {
  return [
    { method: 'POST', path: '/v1/customers', handle: createCustomer },
    { method: 'GET', path: '/v1/customers/:id', handle: (scope) => findObject(scope, 'customer', scope.request.params.id ?? '', { allowDeleted: true }) },
    { method: 'POST', path: '/v1/customers/:id', handle: updateCustomer },
    { method: 'DELETE', path: '/v1/customers/:id', handle: deleteCustomer },
  ];
}

const CONTACT_FIELDS = ['description', 'email', 'name', 'phone'] as const;

function contactChanges(form: FormObject): Record<string, unknown> {
  const changes: Record<string, unknown> = {};
  for (const field of CONTACT_FIELDS) {
    const value = optionalString(form, field);
    if (value !== undefined) changes[field] = value === '' ? null : value;
  }
  if (form.address !== undefined) changes.address = toAddress(form.address);
  return changes;
}

/**
 * customer.created, then payment_method.attached for a `payment_method` given at creation. The
 * fixtures pass the same test card name as invoice_settings[default_payment_method]: Stripe reads
 * that as "the method just attached", not as a second new one.
 */
function createCustomer(scope: ResourceScope): StoredObject {
  const { form } = scope.request;
  const reference = optionalString(form, 'payment_method');
  const paymentMethod = reference === undefined ? undefined : resolvePaymentMethod(scope, reference);
  // A card that cannot be attached fails the whole request: no customer is made.
  if (paymentMethod !== undefined) refuseDeclinedCard(paymentMethod.card);
  const defaultReference = optionalString(optionalObject(form, 'invoice_settings') ?? {}, 'default_payment_method');
  const defaultMethod = defaultReference === undefined ? null : defaultReference === reference ? paymentMethod!.paymentMethod.id : resolvePaymentMethod(scope, defaultReference).paymentMethod.id;
  const base = customerObject(createObjectContext(scope.created));
  const customer = scope.store.put(
    deepMerge(base, {
      description: null,
      email: null,
      name: null,
      ...contactChanges(form),
      invoice_settings: { default_payment_method: defaultMethod },
      metadata: updateMetadata({}, form.metadata).metadata,
      test_clock: clockParam(scope)?.id ?? null,
    }) as StoredObject,
  );
  scope.emit('customer.created', customer);
  if (paymentMethod !== undefined) attachPaymentMethod(scope, paymentMethod, customer.id);
  const withSource = addCardSource(scope, customer, optionalString(form, 'source'));
  return applyCustomerCoupon(scope, withSource, optionalString(form, 'coupon'));
}

function updateCustomer(scope: ResourceScope): StoredObject {
  const customer = findObject(scope, 'customer', scope.request.params.id ?? '');
  const { form } = scope.request;
  const changes = contactChanges(form);
  const { metadata, previous: previousMetadata } = updateMetadata(customer.metadata as Record<string, string>, form.metadata);
  const defaultReference = optionalString(optionalObject(form, 'invoice_settings') ?? {}, 'default_payment_method');
  if (defaultReference !== undefined) {
    changes.invoice_settings = { ...(customer.invoice_settings as object), default_payment_method: defaultReference === '' ? null : resolvePaymentMethod(scope, defaultReference).paymentMethod.id };
  }
  const previous = previousValues(customer, changes);
  if (previous.invoice_settings !== undefined) {
    previous.invoice_settings = { default_payment_method: (customer.invoice_settings as { default_payment_method?: unknown }).default_payment_method ?? null };
  }
  if (previousMetadata !== undefined) {
    changes.metadata = metadata;
    previous.metadata = previousMetadata;
  }
  const discounted = applyCustomerCoupon(scope, customer, optionalString(form, 'coupon'));
  if (Object.keys(previous).length === 0) return discounted;
  const updated = saveChanges(scope, discounted, changes);
  scope.emit('customer.updated', updated, previous);
  return updated;
}

/** The event carries the customer as it was; the API answers, and later GETs return, a stub. */
function deleteCustomer(scope: ResourceScope): StoredObject {
  const customer = findObject(scope, 'customer', scope.request.params.id ?? '');
  const stub = scope.store.put({ id: customer.id, object: 'customer', deleted: true });
  scope.emit('customer.deleted', customer);
  return stub;
}
