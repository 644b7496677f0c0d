import type { SessionSummary } from '../types.js';
import type { Colors } from './color.js';
import { formatDuration } from './format-duration.js';

const REASONS: Record<SessionSummary['reason'], string | undefined> = {
  SIGINT: 'stopped with Ctrl-C',
  SIGTERM: 'stopped by SIGTERM',
  SIGHUP: 'the terminal closed',
  'output-closed': 'the output was closed',
  error: 'stopped by an error',
  'stripe-cli-exited': 'the Stripe CLI exited',
  'app-exited': 'the app exited',
  closed: undefined,
};

export interface FormatSummaryOptions {
  colors: Colors;
}

/** `3 events: 2 ok, 1 failed, 0 rejected in 12.3 s (stopped with Ctrl-C)`. */
export function formatSummary(summary: SessionSummary, { colors }: FormatSummaryOptions): string {
  const counts = [
    `${summary.ok} ok`,
    paint(summary.failed > 0, colors.red, `${summary.failed} failed${byApp(summary.appFailures)}`),
    paint(summary.rejected > 0, colors.yellow, `${summary.rejected} rejected`),
  ].join(', ');
  const events = `${summary.events} ${summary.events === 1 ? 'event' : 'events'}`;
  const reason = REASONS[summary.reason];
  const tail = reason === undefined ? '' : colors.dim(` (${reason})`);
  return `${colors.bold(events)}: ${counts} in ${formatDuration(summary.durationMs)}${tail}`;
}

/** ` (the app answered 400)`, or ` (the app answered 400: 2, the app could not be reached: 1)`. */
function byApp(failures: Record<string, number> | undefined): string {
  const entries = Object.entries(failures ?? {});
  if (entries.length === 0) return '';
  const total = entries.reduce((sum, [, count]) => sum + count, 0);
  return ` (${entries.map(([words, count]) => (entries.length === 1 && count === total ? words : `${words}: ${count}`)).join(', ')})`;
}

function paint(when: boolean, color: (text: string) => string, text: string): string {
  return when ? color(text) : text;
}
