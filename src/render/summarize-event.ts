import { formatAmount } from './format-amount.js';

export interface EventField {
  label: string;
  value: string;
}

export interface EventSummary {
  objectId?: string;
  objectType?: string;
  fields: EventField[];
}

type Obj = Record<string, unknown>;
type Summarizer = (object: Obj) => Array<EventField | undefined>;

/** Long free text (failure messages) is clipped so one field cannot swallow the line. */
const MAX_FIELD_LENGTH = 80;

/**
 * The few fields of an event's object that tell one delivery from the next, chosen per object type.
 * Events come from anywhere (a handler author's hand-written payload included), so every read is
 * defensive: a missing or odd-typed field is left out, never thrown on.
 */
export function summarizeEvent(event: unknown): EventSummary {
  const data = asObject(asObject(event)?.['data']);
  const object = asObject(data?.['object']);
  const summary: EventSummary = { fields: [] };
  if (object === undefined) return summarizeThin(asObject(event));
  const objectId = str(object, 'id');
  const objectType = str(object, 'object');
  if (objectId !== undefined) summary.objectId = objectId;
  if (objectType !== undefined) summary.objectType = objectType;
  // A Map, not an object literal: an event whose object type is `constructor` must not find Object.
  const summarizer = (objectType === undefined ? undefined : SUMMARIZERS.get(objectType)) ?? summarizeOther;
  const fields = summarizer(object).filter((field): field is EventField => field !== undefined);
  const changed = changedKeys(data?.['previous_attributes']);
  if (changed !== undefined) fields.push(changed);
  summary.fields = fields.map((field) => ({ label: field.label, value: clip(field.value) }));
  return summary;
}

const SUMMARIZERS = new Map<string, Summarizer>(Object.entries({
  payment_intent: (o) => [
    amountField('amount', o, 'amount'),
    textField('status', o, 'status'),
    idField('customer', o, 'customer'),
    textField('error', asObject(o['last_payment_error']), 'message'),
  ],
  charge: (o) => [
    amountField('amount', o, 'amount'),
    textField('status', o, 'status') ?? boolField('paid', o, 'paid'),
    idField('payment_intent', o, 'payment_intent'),
    idField('customer', o, 'customer'),
    positiveAmountField('refunded', o, 'amount_refunded'),
    textField('failure', o, 'failure_message'),
  ],
  dispute: (o) => [
    amountField('amount', o, 'amount'),
    textField('reason', o, 'reason'),
    textField('status', o, 'status'),
    idField('charge', o, 'charge'),
  ],
  customer: (o) => [textField('email', o, 'email'), textField('name', o, 'name')],
  subscription: (o) => [
    textField('status', o, 'status'),
    idField('customer', o, 'customer'),
    subscriptionPrice(o),
    o['cancel_at_period_end'] === true ? { label: 'cancels', value: 'at period end' } : undefined,
  ],
  invoice: (o) => [
    invoiceAmount(o),
    textField('status', o, 'status'),
    idField('customer', o, 'customer'),
    invoiceSubscription(o),
    textField('reason', o, 'billing_reason'),
  ],
  'checkout.session': (o) => [
    amountField('amount', o, 'amount_total'),
    textField('payment', o, 'payment_status'),
    textField('mode', o, 'mode'),
    idField('customer', o, 'customer'),
    textField('ref', o, 'client_reference_id'),
  ],
  payment_method: (o) => [textField('type', o, 'type'), cardField(asObject(o['card'])), idField('customer', o, 'customer')],
  balance: (o) => [balanceField(o)],
  setup_intent: (o) => [textField('status', o, 'status'), idField('payment_method', o, 'payment_method')],
  product: (o) => [textField('name', o, 'name'), boolField('active', o, 'active')],
  price: (o) => [priceField(o)],
} satisfies Record<string, Summarizer>));

function summarizeOther(o: Obj): Array<EventField | undefined> {
  return [textField('status', o, 'status'), amountField('amount', o, 'amount'), idField('customer', o, 'customer')];
}

function subscriptionPrice(o: Obj): EventField | undefined {
  const items = asObject(o['items'])?.['data'];
  const first = Array.isArray(items) ? asObject(items[0]) : undefined;
  const price = asObject(first?.['price']);
  const id = price === undefined ? idOf(first?.['price']) : str(price, 'id');
  if (id === undefined) return undefined;
  const interval = price === undefined ? undefined : intervalOf(price);
  return { label: 'price', value: interval === undefined ? id : `${id} / ${interval}` };
}

function invoiceAmount(o: Obj): EventField | undefined {
  const paid = num(o, 'amount_paid');
  if (paid !== undefined && (paid > 0 || o['status'] === 'paid')) return amountField('paid', o, 'amount_paid');
  return amountField('due', o, 'amount_due');
}

function invoiceSubscription(o: Obj): EventField | undefined {
  // API 2025-03-31 moved it under parent.subscription_details; older versions have it at the top.
  const details = asObject(asObject(o['parent'])?.['subscription_details']);
  return idField('subscription', o, 'subscription') ?? idField('subscription', details, 'subscription');
}

function cardField(card: Obj | undefined): EventField | undefined {
  if (card === undefined) return undefined;
  const brand = str(card, 'brand');
  const last4 = str(card, 'last4');
  if (brand === undefined && last4 === undefined) return undefined;
  return { label: 'card', value: [brand, last4 === undefined ? undefined : `•••• ${last4}`].filter(Boolean).join(' ') };
}

function balanceField(o: Obj): EventField | undefined {
  const available = o['available'];
  if (!Array.isArray(available)) return undefined;
  const amounts = available
    .map((entry) => {
      const item = asObject(entry);
      const amount = item === undefined ? undefined : num(item, 'amount');
      return amount === undefined || item === undefined ? undefined : formatAmount(amount, str(item, 'currency'));
    })
    .filter((text): text is string => text !== undefined);
  return amounts.length === 0 ? undefined : { label: 'available', value: amounts.join(', ') };
}

function priceField(o: Obj): EventField | undefined {
  const amount = amountField('amount', o, 'unit_amount');
  const interval = intervalOf(o);
  if (amount === undefined) return interval === undefined ? undefined : { label: 'interval', value: interval };
  return interval === undefined ? amount : { label: 'amount', value: `${amount.value} / ${interval}` };
}

/** `month`, or `3 months` for interval_count 3. */
function intervalOf(price: Obj): string | undefined {
  const recurring = asObject(price['recurring']);
  const interval = recurring === undefined ? undefined : str(recurring, 'interval');
  if (interval === undefined || recurring === undefined) return undefined;
  const count = num(recurring, 'interval_count');
  return count !== undefined && count > 1 ? `${count} ${interval}s` : interval;
}

function changedKeys(previous: unknown): EventField | undefined {
  const object = asObject(previous);
  if (object === undefined) return undefined;
  const keys = Object.keys(object);
  return keys.length === 0 ? undefined : { label: 'changed', value: keys.join(', ') };
}

function amountField(label: string, o: Obj, key: string): EventField | undefined {
  const amount = num(o, key);
  if (amount === undefined) return undefined;
  return { label, value: formatAmount(amount, str(o, 'currency')) };
}

function positiveAmountField(label: string, o: Obj, key: string): EventField | undefined {
  const amount = num(o, key);
  return amount !== undefined && amount > 0 ? amountField(label, o, key) : undefined;
}

function textField(label: string, o: Obj | undefined, key: string): EventField | undefined {
  const value = o === undefined ? undefined : str(o, key);
  return value === undefined || value === '' ? undefined : { label, value };
}

/** Reads an id that may be a plain string or an expanded object (`customer: { id: 'cus_…' }`). */
function idField(label: string, o: Obj | undefined, key: string): EventField | undefined {
  const value = o === undefined ? undefined : idOf(o[key]);
  return value === undefined ? undefined : { label, value };
}

function boolField(label: string, o: Obj, key: string): EventField | undefined {
  const value = o[key];
  return typeof value === 'boolean' ? { label, value: value ? 'yes' : 'no' } : undefined;
}

function idOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  const object = asObject(value);
  return object === undefined ? undefined : str(object, 'id');
}

function asObject(value: unknown): Obj | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : undefined;
}

function str(o: Obj, key: string): string | undefined {
  const value = o[key];
  return typeof value === 'string' ? value : undefined;
}

function num(o: Obj, key: string): number | undefined {
  const value = o[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= MAX_FIELD_LENGTH ? oneLine : `${oneLine.slice(0, MAX_FIELD_LENGTH - 1)}…`;
}

/** A thin (v2) event carries no object, only its reference (`related_object`): show whose event it is. */
function summarizeThin(event: Obj | undefined): EventSummary {
  const related = asObject(event?.['related_object']);
  const objectId = related === undefined ? undefined : str(related, 'id');
  const objectType = related === undefined ? undefined : str(related, 'type');
  return { ...(objectId === undefined ? {} : { objectId }), ...(objectType === undefined ? {} : { objectType }), fields: [] };
}
