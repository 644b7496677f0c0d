/**
 * `/v1/quotes`: create a draft from line items of stored prices, finalize (draft → open),
 * accept (open → accepted; recurring lines start a subscription, paid like any other, before
 * quote.accepted) and cancel.
 */
import type { StoredObject } from '../object-store.js';
import { createObjectContext } from '../objects/object-context.js';
import { quote as quoteObject } from '../objects/quotes.js';
import { randomAlnum } from '../ids.js';
import { invalidRequest, missingParam } from '../stripe-errors.js';
import { optionalInteger, optionalList, optionalString, requiredString, updateMetadata } from './params.js';
import type { ResourceRoute, ResourceScope } from './resource-scope.js';
import { findObject, saveChanges } from './stored.js';
import { startSubscription, type ItemInput } from './subscriptions.js';

export function quoteRoutes(): ResourceRoute[] {
  return [
    { method: 'POST', path: '/v1/quotes', handle: createQuote },
    { method: 'GET', path: '/v1/quotes/:id', handle: (scope) => findQuote(scope) },
    { method: 'POST', path: '/v1/quotes/:id/finalize', handle: finalizeQuote },
    { method: 'POST', path: '/v1/quotes/:id/accept', handle: acceptQuote },
    { method: 'POST', path: '/v1/quotes/:id/cancel', handle: cancelQuote },
  ];
}

function findQuote(scope: ResourceScope): StoredObject {
  return findObject(scope, 'quote', scope.request.params.id ?? '');
}

/** A quote's lines, kept in the store beside it under their own type (the quote object does not carry them). */
const LINES = 'webhook_dev.quote_lines';

function savedLines(scope: ResourceScope, quote: StoredObject): ItemInput[] {
  const saved = scope.store.get(LINES, quote.id);
  const lines = (saved?.lines ?? []) as { price: string; quantity: number }[];
  return lines.map(({ price, quantity }) => ({ price: findObject(scope, 'price', price, { param: 'line_items' }), quantity }));
}

function lineInputs(scope: ResourceScope): ItemInput[] {
  const lines = optionalList(scope.request.form, 'line_items') ?? [];
  if (lines.length === 0) throw missingParam('line_items');
  return lines.map((line, index) => {
    const fields = typeof line === 'object' && !Array.isArray(line) ? line : {};
    return { price: findObject(scope, 'price', requiredString(fields, 'price'), { param: `line_items[${index}][price]` }), quantity: optionalInteger(fields, 'quantity') ?? 1 };
  });
}

function createQuote(scope: ResourceScope): StoredObject {
  const { form } = scope.request;
  const customer = findObject(scope, 'customer', requiredString(form, 'customer'), { param: 'customer' });
  const inputs = lineInputs(scope);
  const currency = String(inputs[0]!.price.currency);
  if (inputs.some(({ price }) => price.currency !== currency)) throw invalidRequest('All prices on a quote must have the same currency.', { param: 'line_items' });
  const amountOf = (items: ItemInput[]) => items.reduce((sum, { price, quantity }) => sum + (price.unit_amount as number) * quantity, 0);
  const recurring = inputs.filter(({ price }) => price.type === 'recurring');
  const interval = recurring[0]?.price.recurring as { interval: 'day' | 'month' | 'week' | 'year'; interval_count: number } | undefined;
  const created = scope.store.put(
    quoteObject(createObjectContext(scope.created), {
      customer: customer.id,
      currency,
      amount: amountOf(inputs),
      recurringAmount: recurring.length === 0 ? null : amountOf(recurring),
      recurringInterval: interval === undefined ? null : { interval: interval.interval, interval_count: interval.interval_count },
      description: optionalString(form, 'description') ?? null,
      metadata: updateMetadata({}, form.metadata).metadata,
    }) as StoredObject,
  );
  scope.store.put({ id: created.id, object: LINES, lines: inputs.map(({ price, quantity }) => ({ price: price.id, quantity })) });
  scope.emit('quote.created', created);
  return created;
}

function requireStatus(quote: StoredObject, allowed: string[], action: string): void {
  if (!allowed.includes(String(quote.status))) throw invalidRequest(`This quote is ${String(quote.status)}; only a ${allowed.join(' or ')} quote can be ${action}.`, { code: 'quote_status_invalid' });
}

function finalizeQuote(scope: ResourceScope): StoredObject {
  const quote = findQuote(scope);
  requireStatus(quote, ['draft'], 'finalized');
  const finalized = saveChanges(scope, quote, {
    number: `QT-${randomAlnum(8).toUpperCase()}-0001`,
    status: 'open',
    status_transitions: { ...(quote.status_transitions as object), finalized_at: scope.created },
  });
  scope.emit('quote.finalized', finalized);
  return finalized;
}

function acceptQuote(scope: ResourceScope): StoredObject {
  const quote = findQuote(scope);
  requireStatus(quote, ['open'], 'accepted');
  const inputs = savedLines(scope, quote);
  if (inputs.some(({ price }) => price.type !== 'recurring')) throw invalidRequest("webhook-dev's offline emulator accepts quotes of recurring prices only (one-time lines would need the quote's invoice).");
  const customer = findObject(scope, 'customer', String(quote.customer), { param: 'customer' });
  const { subscription, error } = startSubscription(scope, { customer, inputs, behavior: 'allow_incomplete', description: quote.description as string | null, metadata: {} });
  if (error !== undefined) return quote;
  const accepted = saveChanges(scope, quote, {
    status: 'accepted',
    status_transitions: { ...(quote.status_transitions as object), accepted_at: scope.created },
    subscription: subscription.id,
  });
  scope.emit('quote.accepted', accepted);
  return accepted;
}

function cancelQuote(scope: ResourceScope): StoredObject {
  const quote = findQuote(scope);
  requireStatus(quote, ['draft', 'open'], 'canceled');
  const canceled = saveChanges(scope, quote, { status: 'canceled', status_transitions: { ...(quote.status_transitions as object), canceled_at: scope.created } });
  scope.emit('quote.canceled', canceled);
  return canceled;
}
