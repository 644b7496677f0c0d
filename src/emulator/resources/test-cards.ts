/**
 * Stripe's test payment methods by name (`pm_card_visa`, `tok_chargeDeclined`, …): which card each
 * stands for and how a charge on it ends. https://docs.stripe.com/testing#cards
 */
export type CardOutcome =
  /** Charges succeed. */
  | 'succeed'
  /** Declined when charged or when attached to a customer. */
  | 'decline'
  /** Attaches to a customer, then every charge is declined (4000 0000 0000 0341). */
  | 'decline_after_attach'
  /** The charge succeeds, then the cardholder's bank opens an inquiry. */
  | 'dispute_inquiry'
  /** The charge succeeds, then is disputed as fraudulent. */
  | 'dispute'
  /** The bank asks for 3D Secure: the payment or setup waits in requires_action. */
  | 'authenticate'
  /** A bank debit that settles later than a session waits (minutes): it stays processing. */
  | 'delayed';

export interface TestCard {
  brand: string;
  last4: string;
  funding: 'credit' | 'debit';
  outcome: CardOutcome;
  /** For declines: Stripe's decline_code. */
  declineCode?: string;
  /** The funds skip the pending balance (4000 0000 0000 0077): balance.available follows the charge. */
  availableAtOnce?: boolean;
}

const visa = (last4: string, outcome: CardOutcome = 'succeed', declineCode?: string): TestCard => ({
  brand: 'visa',
  last4,
  funding: 'credit',
  outcome,
  ...(declineCode === undefined ? {} : { declineCode }),
});

export const VISA: TestCard = visa('4242');

const CARDS: Record<string, TestCard> = {
  visa: VISA,
  visa_debit: { ...visa('5556'), funding: 'debit' },
  mastercard: { brand: 'mastercard', last4: '4444', funding: 'credit', outcome: 'succeed' },
  amex: { brand: 'amex', last4: '8431', funding: 'credit', outcome: 'succeed' },
  bypassPending: { ...visa('0077'), availableAtOnce: true },
  chargeDeclined: visa('0002', 'decline', 'generic_decline'),
  visa_chargeDeclined: visa('0002', 'decline', 'generic_decline'),
  chargeDeclinedInsufficientFunds: visa('9995', 'decline', 'insufficient_funds'),
  visa_chargeDeclinedInsufficientFunds: visa('9995', 'decline', 'insufficient_funds'),
  chargeCustomerFail: visa('0341', 'decline_after_attach', 'generic_decline'),
  createDispute: visa('0259', 'dispute'),
  createDisputeInquiry: visa('1976', 'dispute_inquiry'),
  threeDSecure2Required: visa('3220', 'authenticate'),
  authenticationRequired: visa('3184', 'authenticate'),
  threeDSecureRequired: visa('3063', 'authenticate'),
};

/**
 * Stripe's SEPA Direct Debit test IBANs (https://docs.stripe.com/testing#sepa-direct-debit): how
 * the debit ends. Any other valid-looking IBAN succeeds.
 */
const IBANS: Record<string, CardOutcome> = {
  AT611904300234573201: 'succeed',
  AT321904300235473204: 'delayed',
  AT861904300235473202: 'decline',
  IT40S0542811101000000123456: 'succeed',
  IT60X0542811101000000123456: 'decline',
  DE89370400440532013000: 'succeed',
  DE62370400440532013001: 'decline',
  NL39RABO0300065264: 'succeed',
  NL91ABNA0417164300: 'decline',
};

/** The bank account behind a test IBAN, in the shape charges on it look up. */
export function testBankAccountFor(iban: string): TestCard {
  const normalized = iban.replace(/\s+/g, '').toUpperCase();
  const outcome = IBANS[normalized] ?? 'succeed';
  return { brand: 'sepa_debit', last4: normalized.slice(-4), funding: 'debit', outcome, ...(outcome === 'decline' ? { declineCode: 'insufficient_funds' } : {}) };
}

/** The card a test name stands for; undefined for anything that is not one (e.g. a real pm_ id). */
export function testCardFor(reference: string): TestCard | undefined {
  const match = /^(?:pm_card_|tok_)(.+)$/.exec(reference);
  return match === null ? undefined : CARDS[match[1] ?? ''];
}

export function declinesCharges(card: TestCard): boolean {
  return card.outcome === 'decline' || card.outcome === 'decline_after_attach';
}
