/**
 * `/v1/credit_notes`: issue against a finalized invoice (custom lines or an `amount`), update the
 * memo and metadata, void. The credited amount may not exceed what the invoice still owes (unpaid)
 * or what was paid.
 */
import type Stripe from 'stripe';
import type { FormObject } from '../form-body.js';
import type { StoredObject } from '../object-store.js';
import { creditNote, creditNoteLine, type CreditNoteLine } from '../objects/credit-notes.js';
import { createObjectContext } from '../objects/object-context.js';
import { invalidRequest, missingParam } from '../stripe-errors.js';
import { optionalInteger, optionalList, optionalString, requiredInteger, requiredString, updateMetadata } from './params.js';
import type { ResourceRoute, ResourceScope } from './resource-scope.js';
import { findObject, saveChanges } from './stored.js';
import { updateObject } from './update-object.js';

export function creditNoteRoutes(): ResourceRoute[] {
  return [
    { method: 'POST', path: '/v1/credit_notes', handle: createCreditNote },
    { method: 'GET', path: '/v1/credit_notes/:id', handle: (scope) => findCreditNote(scope) },
    { method: 'POST', path: '/v1/credit_notes/:id', handle: updateCreditNote },
    { method: 'POST', path: '/v1/credit_notes/:id/void', handle: voidCreditNote },
  ];
}

function findCreditNote(scope: ResourceScope): StoredObject {
  return findObject(scope, 'credit_note', scope.request.params.id ?? '');
}

const REASONS = ['duplicate', 'fraudulent', 'order_change', 'product_unsatisfactory'];

function lineInputs(form: FormObject): CreditNoteLine[] {
  const lines = optionalList(form, 'lines');
  const amount = optionalInteger(form, 'amount');
  if (lines === undefined || lines.length === 0) {
    if (amount === undefined) throw invalidRequest('You must pass either `lines` or `amount` to create a credit note.');
    return [{ description: optionalString(form, 'memo') ?? null, quantity: 1, unitAmount: amount }];
  }
  return lines.map((line, index) => {
    const fields = typeof line === 'object' && !Array.isArray(line) ? line : {};
    const type = requiredString(fields, 'type');
    if (type !== 'custom_line_item') throw invalidRequest(`webhook-dev's offline emulator credits only custom_line_item lines, not "${type}".`, { param: `lines[${index}][type]` });
    return { description: optionalString(fields, 'description') ?? null, quantity: optionalInteger(fields, 'quantity') ?? 1, unitAmount: requiredInteger(fields, 'unit_amount') };
  });
}

function createCreditNote(scope: ResourceScope): StoredObject {
  const { form } = scope.request;
  const invoice = findObject(scope, 'invoice', requiredString(form, 'invoice'), { param: 'invoice' });
  if (invoice.status !== 'open' && invoice.status !== 'paid') throw invalidRequest(`You can only create a credit note for an open or paid invoice; this one is ${String(invoice.status)}.`, { param: 'invoice' });
  const reason = optionalString(form, 'reason');
  if (reason !== undefined && !REASONS.includes(reason)) throw invalidRequest(`Invalid reason: must be one of ${REASONS.join(', ')}`, { param: 'reason' });
  const paid = invoice.status === 'paid';
  const ctx = createObjectContext(scope.created);
  const lines = lineInputs(form).map((line, index) => creditNoteLine(ctx, index, line));
  const amount = lines.reduce((sum, line) => sum + line.amount, 0);
  const creditable = paid ? (invoice.amount_paid as number) : (invoice.amount_remaining as number);
  if (amount <= 0) throw missingParam('lines');
  if (amount > creditable) throw invalidRequest(`The credit note total (${amount}) exceeds the invoice's ${paid ? 'paid amount' : 'amount remaining'} (${creditable}).`, { param: 'lines' });
  const earlier = scope.store.list('credit_note').filter((note) => note.invoice === invoice.id).length;
  const note = scope.store.put(
    creditNote(ctx, {
      invoice: { id: invoice.id, number: String(invoice.number), currency: String(invoice.currency), customer: String(invoice.customer), paid },
      lines,
      memo: optionalString(form, 'memo') ?? null,
      reason: (reason ?? null) as Stripe.CreditNote.Reason | null,
      metadata: updateMetadata({}, form.metadata).metadata,
      sequence: earlier + 1,
    }) as StoredObject,
  );
  scope.emit('credit_note.created', note);
  return note;
}

function updateCreditNote(scope: ResourceScope): StoredObject {
  const note = findCreditNote(scope);
  const memo = optionalString(scope.request.form, 'memo');
  return updateObject(scope, note, { changes: { memo: memo === '' ? null : memo }, metadata: scope.request.form.metadata, eventType: 'credit_note.updated' });
}

function voidCreditNote(scope: ResourceScope): StoredObject {
  const note = findCreditNote(scope);
  if (note.status === 'void') throw invalidRequest('This credit note has already been voided.');
  const voided = saveChanges(scope, note, { status: 'void', voided_at: scope.created });
  scope.emit('credit_note.voided', voided);
  return voided;
}
