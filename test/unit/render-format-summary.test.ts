import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { formatSummary } from '../../src/render/format-summary.js';
import type { SessionSummary } from '../../src/types.js';

const colors = new Chalk({ level: 0 });

function sampleSummary(overrides: Partial<SessionSummary> = {}): SessionSummary {
  return { events: 3, ok: 2, failed: 1, rejected: 0, durationMs: 12_345, exitCode: 0, reason: 'closed', ...overrides };
}

describe('formatSummary', () => {
  it('counts by outcome with the duration', () => {
    expect(formatSummary(sampleSummary(), { colors })).toBe('3 events: 2 ok, 1 failed, 0 rejected in 12.3 s');
  });

  it('says why the session ended and uses the singular', () => {
    expect(formatSummary(sampleSummary({ events: 1, ok: 1, failed: 0, durationMs: 800, reason: 'SIGINT', exitCode: 130 }), { colors })).toBe(
      '1 event: 1 ok, 0 failed, 0 rejected in 800 ms (stopped with Ctrl-C)',
    );
    expect(formatSummary(sampleSummary({ reason: 'stripe-cli-exited' }), { colors })).toMatch(/\(the Stripe CLI exited\)$/);
  });

  it('colors failures red and rejections yellow only when non-zero', () => {
    const text = formatSummary(sampleSummary({ rejected: 2 }), { colors: new Chalk({ level: 1 }) });
    expect(text).toContain('\u001b[31m1 failed\u001b[39m');
    expect(text).toContain('\u001b[33m2 rejected\u001b[39m');
    expect(formatSummary(sampleSummary({ failed: 0 }), { colors: new Chalk({ level: 1 }) })).not.toContain('\u001b[31m');
  });

  it("says when the failures were the app's answers", () => {
    expect(formatSummary(sampleSummary({ ok: 0, failed: 3, appFailures: { 'the app answered 400': 3 } }), { colors })).toBe('3 events: 0 ok, 3 failed (the app answered 400), 0 rejected in 12.3 s');
    expect(formatSummary(sampleSummary({ ok: 1, failed: 2, appFailures: { 'the app answered 400': 1, 'the app answered 200 but reported a failure': 1 } }), { colors })).toContain(
      '2 failed (the app answered 400: 1, the app answered 200 but reported a failure: 1)',
    );
  });
});
