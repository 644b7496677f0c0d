import { afterEach, describe, expect, it } from 'vitest';
import { killAllRuns, runCli } from '../helpers/run-cli.js';

afterEach(killAllRuns);

// The triggers the product promises offline; each must pass through the whole loop: the real
// `stripe trigger` against the emulator, the real `stripe listen`, the receiver, verification.
const REQUIRED = [
  'payment_intent.succeeded', 'payment_intent.payment_failed', 'payment_intent.canceled', 'payment_intent.created',
  'charge.succeeded', 'charge.failed', 'charge.refunded', 'charge.captured', 'charge.dispute.created',
  'customer.created', 'customer.updated', 'customer.deleted',
  'customer.subscription.created', 'customer.subscription.updated', 'customer.subscription.deleted',
  'invoice.paid', 'invoice.payment_succeeded', 'invoice.payment_failed', 'invoice.finalized',
  'checkout.session.completed', 'checkout.session.expired', 'payment_method.attached', 'setup_intent.succeeded',
  'product.created', 'price.created',
];

describe('every promised offline trigger, end to end', () => {
  it('passes each one in a single webhook-dev trigger run, with verified events', async () => {
    const run = runCli(['trigger', ...REQUIRED, '--offline', '--json', '--timeout', '20s']);
    const { exitCode } = await run.exit();
    const triggers = run.records.filter((r) => r.type === 'trigger');
    const failing = triggers.filter((t) => t.outcome !== 'passed').map((t) => `${t.trigger}: ${t.outcome} ${JSON.stringify(t.failures)} ${t.stripeMessage ?? ''}`);
    expect(failing, run.stderr()).toEqual([]);
    expect(exitCode).toBe(0);
    expect(triggers.map((t) => t.trigger)).toEqual(REQUIRED);
    for (const trigger of triggers) {
      expect(trigger.events.map((e: { type: string }) => e.type), trigger.trigger).toContain(trigger.trigger);
      expect(trigger.events.every((e: { outcome: string }) => e.outcome === 'inspected'), trigger.trigger).toBe(true);
    }
    const typesOf = (name: string) => triggers.find((t) => t.trigger === name)?.events.map((e: { type: string }) => e.type).sort();
    expect(typesOf('payment_intent.succeeded')).toEqual(['charge.succeeded', 'charge.updated', 'payment_intent.created', 'payment_intent.succeeded']);
    expect(typesOf('payment_intent.payment_failed')).toEqual(expect.arrayContaining(['payment_intent.created', 'charge.failed', 'payment_intent.payment_failed']));
    expect(typesOf('customer.subscription.created')).toEqual(expect.arrayContaining(['customer.created', 'customer.subscription.created', 'invoice.paid']));
    const updated = run.records.find((r) => r.type === 'event' && r.event?.type === 'customer.updated');
    expect(updated).toBeDefined();
  }, 120_000);
});
