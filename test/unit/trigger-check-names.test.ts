import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { knownTriggers } from '../../src/stripe-cli/known-triggers.js';
import { assertTriggerNames, findTriggerNameProblems, suggestTriggers } from '../../src/trigger/check-trigger-names.js';
import { defaultExpectedEvents } from '../../src/trigger/default-expected-events.js';

describe('suggestTriggers', () => {
  it('offers the members of a family typed with another case or separator', () => {
    expect(suggestTriggers('Payment-Intent', knownTriggers)).toEqual(['payment_intent.amount_capturable_updated', 'payment_intent.canceled', 'payment_intent.created']);
  });

  it('offers the nearest spelling of a typo', () => {
    expect(suggestTriggers('payment_intent.succeded', knownTriggers)[0]).toBe('payment_intent.succeeded');
    expect(suggestTriggers('custmer.created', knownTriggers)[0]).toBe('customer.created');
  });

  it('offers nothing for a name that resembles no trigger', () => {
    expect(suggestTriggers('launch.rocket', knownTriggers)).toEqual([]);
    expect(suggestTriggers('  ', knownTriggers)).toEqual([]);
  });
});

describe('findTriggerNameProblems and assertTriggerNames', () => {
  const known = ['customer.created', 'customer.updated', 'issuing_card.created'];

  it('passes known names', () => {
    const problems = findTriggerNameProblems(['customer.created'], known, ['customer.created']);
    expect(problems).toEqual({ unknown: [], notOffline: [] });
    expect(() => assertTriggerNames(problems)).not.toThrow();
  });

  it('refuses an unknown name with a usage error that suggests and points at --list', () => {
    const problems = findTriggerNameProblems(['customer.creatd', 'customer.created'], known);
    expect(problems.unknown).toEqual([{ name: 'customer.creatd', suggestions: ['customer.created'] }]);
    expect(() => assertTriggerNames(problems)).toThrow(expect.objectContaining({ exitCode: ExitCode.USAGE, message: expect.stringContaining('did you mean customer.created'), hint: expect.stringContaining('trigger --list') }));
  });

  it('offline, refuses a known name the emulator does not cover, and says how to run it online', () => {
    const problems = findTriggerNameProblems(['issuing_card.created', 'customer.created'], known, ['customer.created']);
    expect(problems.notOffline).toEqual(['issuing_card.created']);
    expect(() => assertTriggerNames(problems)).toThrow(expect.objectContaining({ exitCode: ExitCode.TRIGGER_FAILED, hint: expect.stringMatching(/stripe login.*STRIPE_API_KEY/) }));
  });

  it('online, does not care what offline mode covers', () => {
    expect(findTriggerNameProblems(['issuing_card.created'], known).notOffline).toEqual([]);
  });
});

describe('defaultExpectedEvents', () => {
  it('is the trigger itself when it is named after its event', () => {
    expect(defaultExpectedEvents('payment_intent.succeeded')).toEqual(['payment_intent.succeeded']);
  });

  it('maps the triggers that are not event names to the event they cause', () => {
    expect(defaultExpectedEvents('subscription.payment_failed')).toEqual(['invoice.payment_failed']);
    expect(defaultExpectedEvents('subscription.payment_succeeded')).toEqual(['invoice.payment_succeeded']);
    expect(defaultExpectedEvents('issuing_card.created.eu')).toEqual(['issuing_card.created']);
    expect(defaultExpectedEvents('issuing_authorization.request.gb')).toEqual(['issuing_authorization.request']);
  });
});
