import { expect, test } from 'vitest';
import { LOCAL_SOCKET_GAP, offlineTriggerGaps } from '../../src/emulator/offline-trigger-gaps.js';
import { offlineTriggers, offlineTriggersOn } from '../../src/emulator/offline-triggers.js';
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

test('on Windows (no Unix socket for the meter events) the meter-event triggers are not offline', () => {
  expect(offlineTriggersOn('linux')).toEqual(offlineTriggers);
  expect(offlineTriggersOn('darwin')).toEqual(offlineTriggers);
  const windows = offlineTriggersOn('win32');
  expect(offlineTriggers.filter((name) => !windows.includes(name))).toEqual(['v1.billing.meter.error_report_triggered', 'v1.billing.meter.no_meter_found']);
  expect(LOCAL_SOCKET_GAP).toContain('meter-events.stripe.com');
});
