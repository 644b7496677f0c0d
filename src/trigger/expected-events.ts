/**
 * The event a `stripe trigger <name>` run waits for when the user names none (`--expect`). Most
 * trigger names are the event they end with; a few Stripe CLI fixtures are named otherwise.
 * Pure.
 */
const ALIASES: Readonly<Record<string, string>> = {
  // Named after the subscription, ending on its first invoice.
  'subscription.payment_succeeded': 'invoice.payment_succeeded',
  'subscription.payment_failed': 'invoice.payment_failed',
};

export function expectedEventsOf(trigger: string): string[] {
  const alias = ALIASES[trigger];
  if (alias !== undefined) return [alias];
  // Issuing fixtures for European and British cardholders: `issuing_card.created.eu` sends issuing_card.created.
  const regional = /^(.+)\.(eu|gb)$/.exec(trigger);
  return [regional === null ? trigger : regional[1]!];
}
