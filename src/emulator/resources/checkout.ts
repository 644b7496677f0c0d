/**
 * Checkout Sessions in payment mode, and the two `payment_pages` endpoints Stripe's hosted page
 * (and the `checkout.session.completed` fixture) use to pay one: GET the page, then confirm it
 * with a payment method. Confirming makes the payment intent (a Checkout Session has none until
 * then), charges it and completes the session.
 */
import { deepMerge } from '../deep-merge.js';
import type { FormObject, FormValue } from '../form-body.js';
import type { StoredObject } from '../object-store.js';
import { checkoutSession } from '../objects/checkout.js';
import { createObjectContext } from '../objects/object-context.js';
import { invalidRequest, missingParam, type ApiResponse } from '../stripe-errors.js';
import { optionalInteger, optionalList, optionalObject, optionalString, requiredString, toShipping, updateMetadata } from './params.js';
import { payPaymentIntent } from './payment-flow.js';
import { createPaymentIntent } from './payment-intents.js';
import { resolvePaymentMethod } from './payment-methods.js';
import type { ResourceRoute, ResourceScope } from './resource-scope.js';
import { findObject, saveChanges } from './stored.js';

/** What the session object does not show but its payment needs. */
interface SessionTerms {
  paymentIntentData: FormObject;
}

export function checkoutRoutes(): ResourceRoute[] {
  const terms = new Map<string, SessionTerms>();
  const openSession = (scope: ResourceScope): StoredObject => {
    const session = findObject(scope, 'checkout.session', scope.request.params.id ?? '', { label: 'checkout.session' });
    if (session.status !== 'open') throw invalidRequest(`This Checkout Session is no longer active (status: ${String(session.status)}).`, { code: 'checkout_session_not_active' });
    return session;
  };
  return [
    { method: 'POST', path: '/v1/checkout/sessions', handle: (scope) => createSession(scope, terms) },
    { method: 'GET', path: '/v1/checkout/sessions/:id', handle: (scope) => findObject(scope, 'checkout.session', scope.request.params.id ?? '', { label: 'checkout.session' }) },
    { method: 'POST', path: '/v1/checkout/sessions/:id/expire', handle: (scope) => expireSession(scope, openSession(scope)) },
    { method: 'GET', path: '/v1/payment_pages/:id', handle: (scope) => findObject(scope, 'checkout.session', scope.request.params.id ?? '', { label: 'payment page' }) },
    { method: 'POST', path: '/v1/payment_pages/:id/confirm', handle: (scope) => confirmSession(scope, openSession(scope), terms.get(scope.request.params.id ?? '')) },
  ];
}

function lineItemsTotal(scope: ResourceScope, lineItems: FormValue[]): { total: number; currency: string } {
  let total = 0;
  let currency = 'usd';
  lineItems.forEach((item, index) => {
    const fields = typeof item === 'object' && !Array.isArray(item) ? item : {};
    const price = findObject(scope, 'price', requiredString(fields, 'price'), { param: `line_items[${index}][price]` });
    total += (price.unit_amount as number) * (optionalInteger(fields, 'quantity') ?? 1);
    currency = String(price.currency);
  });
  return { total, currency };
}

/** Creating a session sends no event. */
function createSession(scope: ResourceScope, terms: Map<string, SessionTerms>): StoredObject {
  const { form } = scope.request;
  const mode = requiredString(form, 'mode');
  if (mode !== 'payment') throw invalidRequest(`webhook-dev's offline emulator supports Checkout Sessions in payment mode only, not mode=${mode}.`, { param: 'mode' });
  const lineItems = optionalList(form, 'line_items') ?? [];
  if (lineItems.length === 0) throw missingParam('line_items');
  const { total, currency } = lineItemsTotal(scope, lineItems);
  const customer = optionalString(form, 'customer');
  if (customer !== undefined) findObject(scope, 'customer', customer, { param: 'customer' });
  const session = scope.store.put(
    deepMerge(checkoutSession(createObjectContext(scope.created), 'open'), {
      amount_subtotal: total,
      amount_total: total,
      cancel_url: optionalString(form, 'cancel_url') ?? null,
      client_reference_id: optionalString(form, 'client_reference_id') ?? null,
      currency,
      customer: customer ?? null,
      customer_email: optionalString(form, 'customer_email') ?? null,
      metadata: updateMetadata({}, form.metadata).metadata,
      mode,
      success_url: optionalString(form, 'success_url') ?? null,
    }) as StoredObject,
  );
  terms.set(session.id, { paymentIntentData: optionalObject(form, 'payment_intent_data') ?? {} });
  return session;
}

function expireSession(scope: ResourceScope, session: StoredObject): StoredObject {
  const expired = saveChanges(scope, session, { status: 'expired', url: null });
  scope.emit('checkout.session.expired', expired);
  return expired;
}

/**
 * Pays the session: payment_intent.created, the charge's events, then checkout.session.completed.
 * `expected_amount` guards against paying a session whose total changed, as Stripe's page does.
 */
function confirmSession(scope: ResourceScope, session: StoredObject, terms: SessionTerms | undefined): StoredObject | ApiResponse {
  const { form } = scope.request;
  const expected = optionalInteger(form, 'expected_amount');
  if (expected !== undefined && expected !== session.amount_total) {
    throw invalidRequest(`The expected amount (${expected}) does not match the amount of this Checkout Session (${String(session.amount_total)}).`, { param: 'expected_amount' });
  }
  const method = resolvePaymentMethod(scope, requiredString(form, 'payment_method'));
  const data = terms?.paymentIntentData ?? {};
  const paymentIntent = createPaymentIntent(scope, {
    amount: session.amount_total as number,
    currency: String(session.currency),
    customer: (session.customer as string | null) ?? null,
    description: optionalString(data, 'description') ?? null,
    metadata: updateMetadata({}, data.metadata).metadata,
    captureMethod: optionalString(data, 'capture_method') ?? 'automatic_async',
    paymentMethodTypes: [String(method.paymentMethod.type)],
    shipping: toShipping(data.shipping),
    paymentMethod: method,
  });
  const outcome = payPaymentIntent(scope, paymentIntent, method);
  if (outcome.ok === false) return outcome.error;
  const billing = method.paymentMethod.billing_details as Record<string, unknown>;
  const completed = saveChanges(scope, session, {
    customer_details: {
      address: billing.address,
      business_name: null,
      email: billing.email ?? session.customer_email ?? null,
      individual_name: null,
      name: billing.name ?? null,
      phone: billing.phone ?? null,
      tax_exempt: 'none',
      tax_ids: [],
    },
    payment_intent: outcome.paymentIntent.id,
    // A bank debit is still processing: the session completes unpaid and settles a moment later.
    payment_status: outcome.ok === true ? 'paid' : 'unpaid',
    status: 'complete',
    url: null,
  });
  scope.emit('checkout.session.completed', completed);
  if (outcome.ok === 'pending' && outcome.settles !== undefined) {
    const settled = saveChanges(scope, completed, { payment_status: outcome.settles === 'succeeded' ? 'paid' : 'unpaid' });
    scope.emitLater(`checkout.session.async_payment_${outcome.settles}`, settled);
  }
  return completed;
}
