/**
 * Why each `stripe trigger` of the bundled Stripe CLI that is not in offline-triggers.ts cannot
 * run offline yet.
 * `trigger --list` prints the reason next to the name. Measured with
 * scripts/count-offline-triggers.js; remove a line when its trigger joins offline-triggers.ts.
 */
const SCHEDULE_PHASES = 'advancing a test clock does not yet run a schedule through its phases and renewals offline';

/** Why a trigger of offline-triggers.ts cannot run on this platform (see offlineTriggersOn). */
export const LOCAL_SOCKET_GAP = 'its meter events go to https://meter-events.stripe.com, which reaches the emulator only through a Unix socket, and Windows has none for Node to serve';

export const offlineTriggerGaps: Readonly<Record<string, string>> = Object.freeze({
  'subscription_schedule.aborted':
    'Stripe sends it when a subscription is canceled for non-payment; the fixture cancels a schedule that never started, which sends subscription_schedule.canceled',
  'subscription_schedule.completed': SCHEDULE_PHASES,
  // Its fixture ends the phase on 2020-01-29 and advances the clock to 2020-01-20.
  'subscription_schedule.expiring': `${SCHEDULE_PHASES}; and Stripe documents the event 7 days before a schedule ends while the fixture advances its clock to 9 days before, so what Stripe sends there cannot be derived without a recording`,
});
