/**
 * The event a `stripe trigger` name stands for, which the verdict waits for. Most triggers are
 * named after their event; a few are not: the regional Issuing variants (`issuing_card.created.eu`
 * runs the EU fixture of issuing_card.created) and two legacy names whose fixtures end in an
 * invoice event (Stripe has no subscription.payment_* events).
 */
const LEGACY_NAMES: Readonly<Record<string, string>> = Object.freeze({
  'subscription.payment_failed': 'invoice.payment_failed',
  'subscription.payment_succeeded': 'invoice.payment_succeeded',
});

const REGIONAL_VARIANT = /\.(eu|gb)$/;

export function expectedEvent(trigger: string): string {
  return LEGACY_NAMES[trigger] ?? trigger.replace(REGIONAL_VARIANT, '');
}
