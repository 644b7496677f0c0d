import { redactSecrets } from '../secrets.js';
import { describeTamper, type Tamper } from '../signature/delivery-headers.js';
import type { SendReport } from '../types.js';
import type { Colors } from './color.js';

export interface SendStart {
  target: SendReport['target'];
  url: string;
  from: string;
  eventType?: string;
  tamper?: Tamper;
}

/** Where `send` or `replay` delivers: the app's URL, the running session, or a handler of its own. */
export function describeTarget(target: SendReport['target'], url: string): string {
  return target === 'app' ? url : target === 'session' ? `the running session at ${url}` : `the handler ${url} (a session of its own)`;
}

/** `▶ send payment_intent.succeeded (template) to http://localhost:3000/webhook  with no Stripe-Signature header`. */
export function formatSendStart({ target, url, from, tamper }: SendStart, { colors }: { colors: Colors }): string {
  const to = describeTarget(target, url);
  const how = tamper ? colors.yellow(`  with ${describeTamper(tamper)}`) : '';
  return `${colors.cyan('▶')} ${colors.bold(`send ${from}`)} ${colors.dim('to')} ${to}${how}`;
}

/** `✓ send passed: …`, or `✗ send failed: …` with why it matters and what to change. */
export function formatSendResult(report: SendReport, { colors }: { colors: Colors }): string[] {
  const message = redactSecrets(report.message);
  if (report.passed) {
    return [`${colors.green('✓')} send passed: ${message}`, ...report.details.map((detail) => `    ${colors.dim(redactSecrets(detail))}`)];
  }
  return [`${colors.red('✗')} send failed: ${colors.red(message)}`, ...report.details.map((detail) => `    ${redactSecrets(detail)}`)];
}
