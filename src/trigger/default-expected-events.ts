/**
 * What `webhook-dev trigger NAME` waits for when --expect does not say. Most triggers are named
 * after the event they cause, but a few are not: waiting for an event called
 * `subscription.payment_failed` timed out after 30 s although every event had arrived.
 */
const CAUSES: Readonly<Record<string, readonly string[]>> = {
  // The subscription's first invoice is paid (or fails): Stripe has no subscription.payment_* event.
  'subscription.payment_succeeded': ['invoice.payment_succeeded'],
  'subscription.payment_failed': ['invoice.payment_failed'],
};

/** Regional variants (`issuing_card.created.eu`) cause the same event as the plain trigger. */
const REGION_SUFFIX = /\.(eu|gb)$/;

export function defaultExpectedEvents(trigger: string): string[] {
  const caused = CAUSES[trigger];
  if (caused) return [...caused];
  return [trigger.replace(REGION_SUFFIX, '')];
}
