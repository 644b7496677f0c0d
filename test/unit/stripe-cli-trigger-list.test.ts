/**
 * HELP is `stripe trigger --help` exactly as the real Stripe CLI 1.52.0 printed it on a pipe.
 */
import { describe, expect, it } from 'vitest';
import { parseSupportedTriggers } from '../../src/stripe-cli/list-stripe-triggers.js';

const HELP = `Trigger specific webhook events to be sent. Webhooks events created through
the trigger command will also create all necessary side-effect events that are
needed to create the triggered event as well as the corresponding API objects.

Supported events:
  account.application.deauthorized
  account.updated
  balance.available
  billing_portal.configuration.created
  billing_portal.configuration.updated
  billing_portal.session.created
  cash_balance.funds_available
  charge.captured
  charge.dispute.closed
  charge.dispute.created
  charge.dispute.updated
  charge.failed
  charge.refund.updated
  charge.refunded
  charge.succeeded
  checkout.session.async_payment_failed
  checkout.session.async_payment_succeeded
  checkout.session.completed
  checkout.session.expired
  coupon.created
  coupon.deleted
  coupon.updated
  credit_note.created
  credit_note.updated
  credit_note.voided
  customer.created
  customer.deleted
  customer.discount.created
  customer.discount.deleted
  customer.discount.updated
  customer.source.created
  customer.source.updated
  customer.subscription.created
  customer.subscription.deleted
  customer.subscription.paused
  customer.subscription.trial_will_end
  customer.subscription.updated
  customer.updated
  customer_cash_balance_transaction.created
  identity.verification_session.canceled
  identity.verification_session.created
  identity.verification_session.redacted
  invoice.created
  invoice.deleted
  invoice.finalized
  invoice.marked_uncollectible
  invoice.paid
  invoice.payment_action_required
  invoice.payment_failed
  invoice.payment_succeeded
  invoice.sent
  invoice.updated
  invoice.voided
  invoiceitem.created
  invoiceitem.deleted
  issuing_authorization.request
  issuing_authorization.request.eu
  issuing_authorization.request.gb
  issuing_card.created
  issuing_card.created.eu
  issuing_card.created.gb
  issuing_cardholder.created
  issuing_cardholder.created.eu
  issuing_cardholder.created.gb
  issuing_transaction.created
  issuing_transaction.purchase_details_receipt_updated
  issuing_transaction.updated
  payment_intent.amount_capturable_updated
  payment_intent.canceled
  payment_intent.created
  payment_intent.partially_funded
  payment_intent.payment_failed
  payment_intent.processing
  payment_intent.requires_action
  payment_intent.succeeded
  payment_link.created
  payment_link.updated
  payment_method.attached
  payment_method.detached
  payment_method.updated
  payout.created
  payout.updated
  plan.created
  plan.deleted
  plan.updated
  price.created
  price.updated
  product.created
  product.deleted
  product.updated
  promotion_code.created
  promotion_code.updated
  quote.accepted
  quote.canceled
  quote.created
  quote.finalized
  reporting.report_run.succeeded
  setup_intent.canceled
  setup_intent.created
  setup_intent.requires_action
  setup_intent.setup_failed
  setup_intent.succeeded
  subscription.payment_failed
  subscription.payment_succeeded
  subscription_schedule.aborted
  subscription_schedule.canceled
  subscription_schedule.completed
  subscription_schedule.created
  subscription_schedule.expiring
  subscription_schedule.released
  subscription_schedule.updated
  tax_rate.created
  tax_rate.updated
  test_helpers.test_clock.advancing
  test_helpers.test_clock.created
  test_helpers.test_clock.deleted
  test_helpers.test_clock.ready
  topup.created
  transfer.created
  transfer.reversed
  transfer.updated
  v1.billing.meter.error_report_triggered
  v1.billing.meter.no_meter_found

Usage:
  stripe trigger <event> [flags]

Examples:
  stripe trigger payment_intent.created

Flags:
      --add stringArray         Add params to the trigger
      --api-version string      Specify API version for trigger
      --edit                    Edit the trigger directly in your default IDE
  -h, --help                    help for trigger
      --override stringArray    Override params in the trigger
      --raw string              Raw fixture in string format to replace
                                all default fixtures
      --remove stringArray      Remove params from the trigger
      --skip stringArray        Skip specific steps in the trigger
      --stripe-account string   Set a header identifying the connected account

Global flags:
      --api-key string        Your API key to use for the command, instead
                              of your logged in session. Overridden by the
                              STRIPE_API_KEY environment variable, if set
      --color string          turn on/off color output (on, off, auto)
      --config string         config file (default is
                              $HOME/.config/stripe/config.toml)
      --device-name string    device name
      --log-level string      log level (debug, info, trace, warn, error)
                              (default "info")
      --map string[="tree"]   Print a command tree [tree|compact|paths|json]
  -p, --project-name string   the project name to read from for config
                              (default "default")
`;

describe('parseSupportedTriggers', () => {
  it('reads every name under "Supported events:" from the real help, and nothing else', () => {
    const names = parseSupportedTriggers(HELP);
    expect(names).toHaveLength(123);
    expect(names[0]).toBe('account.application.deauthorized');
    expect(names.at(-1)).toBe('v1.billing.meter.no_meter_found');
    expect(names).toContain('payment_intent.succeeded');
    expect(names).toContain('customer.created');
    expect(names).toContain('checkout.session.completed');
    expect(names.every((name) => /^[a-z0-9_.]+$/.test(name))).toBe(true);
    // Not the flags or the usage line that follow the section.
    expect(names).not.toContain('stripe');
    expect(names.some((name) => name.startsWith('-'))).toBe(false);
  });

  it('reads the heading when the CLI colours it (--color on)', () => {
    const coloured = 'Trigger specific webhook events to be sent.\n\n\x1b[1mSupported events:\x1b[0m\n  account.updated\n  customer.created\n\nUsage:\n  stripe trigger <event> [flags]\n';
    expect(parseSupportedTriggers(coloured)).toEqual(['account.updated', 'customer.created']);
  });

  it('handles CRLF line ends', () => {
    expect(parseSupportedTriggers('Supported events:\r\n  a.b\r\n  c.d\r\n\r\nUsage:\r\n')).toEqual(['a.b', 'c.d']);
  });

  it('is empty when there is no such section (some other program, or a changed help)', () => {
    expect(parseSupportedTriggers('Usage:\n  stripe trigger <event> [flags]\n')).toEqual([]);
    expect(parseSupportedTriggers('')).toEqual([]);
  });
});
