/**
 * `0.4` → `<1 ms`, `12.6` → `13 ms`, `1234` → `1.2 s`, `30000` → `30 s`, `125000` → `2 m 5 s`,
 * `120000` → `2 m`. Measured times and configured limits alike: a whole number of seconds (a limit,
 * most often) reads without a decimal.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '? ms';
  if (ms < 1) return '<1 ms';
  // Thresholds compare the rounded value so 999.7 ms reads `1.0 s`, never `1000 ms`.
  if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`;
  if (Math.round(ms / 100) < 600) return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  const seconds = totalSeconds % 60;
  return `${Math.floor(totalSeconds / 60)} m${seconds === 0 ? '' : ` ${seconds} s`}`;
}
