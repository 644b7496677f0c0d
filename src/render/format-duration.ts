/** `0.4` → `<1 ms`, `12.6` → `13 ms`, `1234` → `1.2 s`, `125000` → `2 m 5 s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '? ms';
  if (ms < 1) return '<1 ms';
  // Thresholds compare the rounded value so 999.7 ms reads `1.0 s`, never `1000 ms`.
  if (Math.round(ms) < 1000) return `${Math.round(ms)} ms`;
  if (Math.round(ms / 100) < 600) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  return `${Math.floor(totalSeconds / 60)} m ${totalSeconds % 60} s`;
}
