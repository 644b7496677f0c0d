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
    paint(summary.failed > 0, colors.red, `${summary.failed} failed`),
    paint(summary.rejected > 0, colors.yellow, `${summary.rejected} rejected`),
  ].join(', ');
  const events = `${summary.events} ${summary.events === 1 ? 'event' : 'events'}`;
  const reason = REASONS[summary.reason];
  const tail = reason === undefined ? '' : colors.dim(` (${reason})`);
  return `${colors.bold(events)}: ${counts} in ${formatDuration(summary.durationMs)}${tail}`;
}

function paint(when: boolean, color: (text: string) => string, text: string): string {
  return when ? color(text) : text;
}
