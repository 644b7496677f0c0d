import type Stripe from 'stripe';
import { randomAlnum } from '../ids.js';
import { list, type ObjectContext } from './object-context.js';
import type { Wire } from './wire.js';

export interface CreditNoteLine {
  description: string | null;
  quantity: number;
  unitAmount: number;
}

/** One `custom_line_item` line of a credit note. */
export function creditNoteLine(ctx: ObjectContext, index: number, line: CreditNoteLine): Wire<Stripe.CreditNoteLineItem> {
  return {
    id: ctx.id(`cnli:${index}`),
    object: 'credit_note_line_item',
    amount: line.unitAmount * line.quantity,
    description: line.description,
    discount_amount: 0,
    discount_amounts: [],
    livemode: false,
    metadata: {},
    pretax_credit_amounts: [],
    quantity: line.quantity,
    tax_rates: [],
    taxes: [],
    type: 'custom_line_item',
    unit_amount: line.unitAmount,
    unit_amount_decimal: String(line.unitAmount),
  } satisfies Wire<Stripe.CreditNoteLineItem>;
}

export interface CreditNoteTerms {
  invoice: { id: string; number: string; currency: string; customer: string; paid: boolean };
  lines: Wire<Stripe.CreditNoteLineItem>[];
  memo: string | null;
  reason: Stripe.CreditNote.Reason | null;
  metadata: Record<string, string>;
  /** How many credit notes the invoice already has: the number's suffix. */
  sequence: number;
}

/**
 * A credit note against a finalized invoice. On an unpaid invoice it lowers what is due
 * (`pre_payment`); on a paid one it is credited after payment (`post_payment`).
 */
export function creditNote(ctx: ObjectContext, terms: CreditNoteTerms): Wire<Stripe.CreditNote> {
  const id = ctx.id('cn');
  const amount = terms.lines.reduce((sum, line) => sum + line.amount, 0);
  return {
    id,
    object: 'credit_note',
    amount,
    amount_shipping: 0,
    created: ctx.created,
    currency: terms.invoice.currency,
    customer: terms.invoice.customer,
    customer_account: null,
    customer_balance_transaction: null,
    discount_amount: 0,
    discount_amounts: [],
    effective_at: ctx.created,
    invoice: terms.invoice.id,
    lines: list(`/v1/credit_notes/${id}/lines`, terms.lines),
    livemode: false,
    memo: terms.memo,
    metadata: terms.metadata,
    number: `${terms.invoice.number}-CN-${String(terms.sequence).padStart(2, '0')}`,
    out_of_band_amount: null,
    pdf: `https://pay.stripe.com/credit_notes/acct_${randomAlnum(16)}/test_${randomAlnum(40)}/pdf`,
    post_payment_amount: terms.invoice.paid ? amount : 0,
    pre_payment_amount: terms.invoice.paid ? 0 : amount,
    pretax_credit_amounts: [],
    reason: terms.reason,
    refunds: [],
    shipping_cost: null,
    status: 'issued',
    subtotal: amount,
    subtotal_excluding_tax: amount,
    total: amount,
    total_excluding_tax: amount,
    total_taxes: [],
    type: terms.invoice.paid ? 'post_payment' : 'pre_payment',
    voided_at: null,
  } satisfies Wire<Stripe.CreditNote>;
}
