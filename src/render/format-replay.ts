import type { ReplayDelivery, ReplayStart, ReplayTotals } from '../replay/replay-report.js';
import { redactSecrets } from '../secrets.js';
import type { Colors } from './color.js';
import { describeTarget } from './format-send.js';

/** `▶ replay payment_intent.succeeded evt_123 (2/3, edited) to the running session at http://…`. */
export function formatReplayStart({ eventId, eventType, copy, times, target, url, edited }: ReplayStart, { colors }: { colors: Colors }): string {
  const to = describeTarget(target, url);
  const notes = [times > 1 ? `${copy}/${times}` : undefined, edited ? 'edited' : undefined].filter((note) => note !== undefined);
  const about = notes.length > 0 ? colors.dim(` (${notes.join(', ')})`) : '';
  return `${colors.cyan('▶')} ${colors.bold(`replay ${eventType ?? '(no type)'} ${eventId}`)}${about} ${colors.dim('to')} ${to}`;
}

/** `✓ replay passed: the session accepted it: 200, handled`, or `✗ replay failed: …` with the reasons. */
export function formatReplayResult(delivery: ReplayDelivery, { colors }: { colors: Colors }): string[] {
  const message = redactSecrets(delivery.message);
  if (delivery.passed) return [`${colors.green('✓')} replay passed: ${message}`];
  return [`${colors.red('✗')} replay failed: ${colors.red(message)}`, ...delivery.details.map((detail) => `    ${redactSecrets(detail)}`)];
}

/** `replay: 3 deliveries of 1 event, all handled`, or `replay: 1 of 3 deliveries failed (exit 20)`. */
export function formatReplayTotals(totals: ReplayTotals, { colors }: { colors: Colors }): string {
  const deliveries = `${totals.deliveries} ${totals.deliveries === 1 ? 'delivery' : 'deliveries'}`;
  const events = `${totals.events} ${totals.events === 1 ? 'event' : 'events'}`;
  if (totals.failed === 0) return `${colors.green('✓')} ${colors.bold('replay')}: ${deliveries} of ${events}, ${totals.deliveries === 1 ? 'handled' : 'all handled'}`;
  return `${colors.red('✗')} ${colors.bold('replay')}: ${colors.red(`${totals.failed} of ${deliveries} failed`)} (${events}; exit ${totals.exitCode})`;
}
