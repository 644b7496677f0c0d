import { expect, test } from 'vitest';
import { offlineTriggerGaps } from '../../src/emulator/offline-trigger-gaps.js';
import { offlineTriggers } from '../../src/emulator/offline-triggers.js';
import { knownTriggers } from '../../src/stripe-cli/known-triggers.js';

test('a trigger is either offline or has a reason it is not, never both', () => {
  const gaps = Object.keys(offlineTriggerGaps);
  expect(gaps.filter((name) => offlineTriggers.includes(name))).toEqual([]);
  for (const reason of Object.values(offlineTriggerGaps)) expect(reason.length).toBeGreaterThan(20);
});

test('the bundled Stripe CLI 1.52.0 lists 123 triggers: every one is offline or explained', () => {
  // 121 fixtures plus customer_cash_balance_transaction.created (an alias) and invoice.payment_succeeded.
  expect(offlineTriggers.length + Object.keys(offlineTriggerGaps).length).toBe(123);
  expect([...offlineTriggers, ...Object.keys(offlineTriggerGaps)].sort()).toEqual([...knownTriggers].sort());
});
