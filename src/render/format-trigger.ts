import { redactSecrets } from '../secrets.js';
import type { TriggerReport, TriggerVerdict } from '../types.js';
import type { Colors } from './color.js';
import { formatDuration } from './format-duration.js';

const VERDICT_WORDS: Record<TriggerVerdict, string> = {
  passed: 'passed',
  'handler-load': 'the handler did not load',
  'trigger-failed': 'stripe trigger failed',
  'verification-failed': 'a delivery failed verification',
  'handler-failed': 'a handler failed',
  timeout: 'timed out waiting for events',
};

export function formatTriggerStart(trigger: string, expected: readonly string[], { colors }: { colors: Colors }): string {
  const waitingFor = expected.length === 1 && expected[0] === trigger ? '' : colors.dim(`  (expecting ${expected.join(', ')})`);
  return `${colors.cyan('▶')} ${colors.bold(`trigger ${trigger}`)}${waitingFor}`;
}

/** `✓ trigger payment_intent.succeeded passed: 4 events in 1.2 s`, and on failure every reason under it. */
export function formatTriggerResult(report: TriggerReport, { colors }: { colors: Colors }): string[] {
  const count = `${report.deliveries.length} ${report.deliveries.length === 1 ? 'event' : 'events'}`;
  const timing = `${count} in ${formatDuration(report.durationMs)}`;
  if (report.verdict === 'passed') {
    return [`${colors.green('✓')} trigger ${colors.bold(report.trigger)} passed: ${timing}`];
  }
  const lines = [`${colors.red('✗')} trigger ${colors.bold(report.trigger)} failed, ${VERDICT_WORDS[report.verdict]}: ${timing}`];
  for (const failure of report.failures) {
    lines.push(`    ${colors.red(redactSecrets(failure.message))}`);
    for (const detail of failure.details ?? []) lines.push(`      ${colors.dim(redactSecrets(detail))}`);
  }
  return lines;
}

/** `2 triggers: 1 passed, 1 failed`. */
export function formatTriggerTotals(reports: readonly TriggerReport[], { colors }: { colors: Colors }): string {
  const passed = reports.filter((r) => r.verdict === 'passed').length;
  const failed = reports.length - passed;
  const failedText = `${failed} failed`;
  return `${colors.bold(`${reports.length} ${reports.length === 1 ? 'trigger' : 'triggers'}`)}: ${passed} passed, ${failed > 0 ? colors.red(failedText) : failedText}`;
}
