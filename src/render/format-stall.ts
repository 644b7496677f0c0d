import { stallHeadline } from '../stripe-cli/judge-listen-health.js';
import type { CatchUpReport, StallReport } from '../types.js';
import type { Colors } from './color.js';
import { formatClock } from './format-delivery.js';
import { formatDuration } from './format-duration.js';

export interface FormatStallOptions {
  colors: Colors;
  timeZone?: string;
}

/** The notice when the Stripe CLI stalls or dies, and the one when its replacement is ready. Pure. */
export function formatStall(report: StallReport, { colors, timeZone }: FormatStallOptions): string {
  const since = formatClock(report.since, timeZone);
  if (report.phase === 'started') {
    const next = report.restarting ? 'restarting it; events sent meanwhile will be caught up' : 'no more events can arrive';
    return `${colors.yellow('⚠')} ${colors.yellow(`${stallHeadline(report.cause)} (${report.detail}, since ${since}): ${next}.`)}`;
  }
  const tries = report.attempts === 1 ? '' : ` after ${report.attempts} attempts`;
  const secret = report.secretChanged ? colors.yellow(', with a new signing secret') : ', same signing secret';
  return `${colors.green('✔')} Stripe CLI back${tries}: the gap lasted ${formatDuration(report.durationMs)} (since ${since}; pid ${report.pid}${secret}).`;
}

/** What the catch-up found: one line, and a warning line per thing that could not be recovered. */
export function formatCatchUp(report: CatchUpReport, { colors, timeZone }: FormatStallOptions): string[] {
  const window = `${formatClock(report.since, timeZone)}–${formatClock(report.until, timeZone)}`;
  const lines: string[] = [];
  if (report.error !== undefined) {
    lines.push(`${colors.yellow('⚠')} ${colors.yellow(`Could not list the events of the gap (${window}): ${report.error}. Events sent then may be missing.`)}`);
  } else {
    const found = report.recovered === 0 ? 'no event was missed' : `${plural(report.recovered, 'event')} recovered (marked "recovered")`;
    const already = report.alreadyReceived === 0 ? '' : `, ${plural(report.alreadyReceived, 'event')} already received`;
    lines.push(`${colors.blue('ℹ')} Caught up on the gap (${window}): ${found}${already}.`);
  }
  if (report.tooOld !== undefined) {
    const span = `${report.tooOld.since.toISOString()} to ${report.tooOld.until.toISOString()}`;
    lines.push(`${colors.yellow('⚠')} ${colors.yellow(`Events from ${span} are older than Stripe keeps them (30 days) and cannot be recovered.`)}`);
  }
  if (report.failed.length > 0) {
    lines.push(`${colors.yellow('⚠')} ${colors.yellow(`${plural(report.failed.length, 'recovered event')} could not be delivered: ${report.failed.join(', ')}.`)}`);
  }
  return lines;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
