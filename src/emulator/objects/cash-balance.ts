/**
 * A customer's cash balance (bank transfers waiting to be applied to payments) and the ledger of
 * transactions that move it, typed as stripe-node's own types.
 */
import type Stripe from 'stripe';
import type { ObjectContext } from './object-context.js';

export function cashBalance(customer: string, available: Record<string, number>): Stripe.CashBalance {
  return {
    object: 'cash_balance',
    available,
    customer,
    customer_account: null,
    livemode: false,
    settings: { reconciliation_mode: 'automatic', using_merchant_default: true },
  };
}

/** The bank transfer network each currency's funding arrives by. */
const BANK_TRANSFER_TYPES: Record<string, Stripe.CustomerCashBalanceTransaction.Funded.BankTransfer.Type> = {
  eur: 'eu_bank_transfer',
  gbp: 'gb_bank_transfer',
  jpy: 'jp_bank_transfer',
  mxn: 'mx_bank_transfer',
  usd: 'us_bank_transfer',
};

export function bankTransferType(currency: string): Stripe.CustomerCashBalanceTransaction.Funded.BankTransfer.Type {
  return BANK_TRANSFER_TYPES[currency] ?? 'us_bank_transfer';
}

interface LedgerEntry {
  customer: string;
  currency: string;
  /** Positive adds to the balance, negative takes from it. */
  netAmount: number;
  endingBalance: number;
}

/** Money a customer sent by bank transfer, with the reference they quoted. */
export function fundedTransaction(ctx: ObjectContext, entry: LedgerEntry, reference: string | null): Stripe.CustomerCashBalanceTransaction {
  const type = bankTransferType(entry.currency);
  const details: Stripe.CustomerCashBalanceTransaction.Funded.BankTransfer = { reference, type };
  if (type === 'us_bank_transfer') details.us_bank_transfer = { network: 'ach', sender_name: 'Jenny Rosen' };
  if (type === 'eu_bank_transfer') details.eu_bank_transfer = { bic: 'BANKDEFFXXX', iban_last4: '3000', sender_name: 'Jenny Rosen' };
  if (type === 'gb_bank_transfer') details.gb_bank_transfer = { account_number_last4: '0002', sender_name: 'Jenny Rosen', sort_code: '108800' };
  if (type === 'jp_bank_transfer') details.jp_bank_transfer = { sender_bank: 'Stripe Test Bank', sender_branch: 'Stripe Test Branch', sender_name: 'Jenny Rosen' };
  return { ...ledgerFields(ctx, entry), funded: { bank_transfer: details }, type: 'funded' };
}

/** Cash applied to a payment intent that waits for it (automatic reconciliation). */
export function appliedTransaction(ctx: ObjectContext, entry: LedgerEntry, paymentIntent: string): Stripe.CustomerCashBalanceTransaction {
  return { ...ledgerFields(ctx, entry), applied_to_payment: { payment_intent: paymentIntent }, type: 'applied_to_payment' };
}

function ledgerFields(ctx: ObjectContext, entry: LedgerEntry): Omit<Stripe.CustomerCashBalanceTransaction, 'type'> {
  return {
    id: ctx.id('ccsbtxn'),
    object: 'customer_cash_balance_transaction',
    created: ctx.created,
    currency: entry.currency,
    customer: entry.customer,
    customer_account: null,
    ending_balance: entry.endingBalance,
    livemode: false,
    net_amount: entry.netAmount,
  };
}

/**
 * What a payment intent paid by bank transfer asks the customer to do: send `amount_remaining`
 * quoting `reference`. (The bank account details, `financial_addresses`, are left out offline.)
 */
export function bankTransferInstructions(ctx: ObjectContext, currency: string, amountRemaining: number): Stripe.PaymentIntent.NextAction {
  const reference = ctx.id('ref').slice(4, 14).toUpperCase();
  return {
    display_bank_transfer_instructions: {
      amount_remaining: amountRemaining,
      currency,
      hosted_instructions_url: `https://payments.stripe.com/bank_transfers/instructions/test_${ctx.id('bti').slice(4)}`,
      reference,
      type: bankTransferType(currency),
    },
    type: 'display_bank_transfer_instructions',
  };
}
