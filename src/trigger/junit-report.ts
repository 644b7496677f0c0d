import { redactSecrets } from '../secrets.js';
import type { TriggerFailure, TriggerVerdict } from './trigger-verdict.js';

export interface JunitTriggerCase {
  trigger: string;
  verdict: TriggerVerdict;
  durationMs: number;
  failures: readonly TriggerFailure[];
  /** One line per event the trigger caused, for the report's system-out. */
  eventLines: readonly string[];
}

/**
 * A JUnit XML report, the format CI systems (GitHub Actions reporters, GitLab, Jenkins, CircleCI)
 * display as a test list: one test case per trigger. A failed `stripe trigger` is an <error> (the
 * test could not run); a handler, verification or timeout problem is a <failure>.
 */
export function toJunitXml(cases: readonly JunitTriggerCase[], { timestamp, suite = 'trigger' }: { timestamp: Date; /** `trigger`, or `replay` (one case per re-delivery). */ suite?: 'trigger' | 'replay' }): string {
  const failures = cases.filter((c) => c.verdict !== 'passed' && c.verdict !== 'trigger-failed').length;
  const errors = cases.filter((c) => c.verdict === 'trigger-failed').length;
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const total = seconds(cases.reduce((sum, c) => sum + c.durationMs, 0));
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="webhook-dev ${suite}" tests="${cases.length}" failures="${failures}" errors="${errors}" time="${total}">`,
    `  <testsuite name="webhook-dev ${suite}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="0" time="${total}" timestamp="${timestamp.toISOString()}">`,
  ];
  for (const c of cases) {
    lines.push(`    <testcase classname="webhook-dev.${suite}" name="${escapeXml(c.trigger)}" time="${seconds(c.durationMs)}">`);
    if (c.verdict !== 'passed') {
      const tag = c.verdict === 'trigger-failed' ? 'error' : 'failure';
      const first = c.failures[0];
      const body = c.failures.flatMap((f) => [f.message, ...(f.details ?? []).map((d) => `  ${d}`)]).join('\n');
      lines.push(`      <${tag} type="${c.verdict}" message="${escapeXml(first?.message ?? c.verdict)}">${escapeXml(body)}</${tag}>`);
    }
    if (c.eventLines.length > 0) lines.push(`      <system-out>${escapeXml(c.eventLines.join('\n'))}</system-out>`);
    lines.push('    </testcase>');
  }
  lines.push('  </testsuite>', '</testsuites>', '');
  return lines.join('\n');
}

/** Escapes text for XML 1.0 and drops the control characters it cannot carry at all. */
export function escapeXml(text: string): string {
  return redactSecrets(text)
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
