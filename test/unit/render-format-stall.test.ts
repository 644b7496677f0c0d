import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createColors } from '../../src/render/color.js';
import { formatCatchUp, formatStall } from '../../src/render/format-stall.js';
import { createJsonReporter } from '../../src/render/json-reporter.js';
import type { CatchUpReport, StallReport } from '../../src/types.js';

const colors = createColors({ stream: Object.assign(new Writable(), { isTTY: false }), env: {} });
const since = new Date('2026-11-30T19:42:01Z');
const opts = { colors, timeZone: 'UTC' };

const started: StallReport = { phase: 'started', cause: 'silent', detail: 'no websocket keep-alive for 6.1 s', since, pid: 41, restarting: true };
const ended: StallReport = { phase: 'ended', cause: 'silent', detail: 'no websocket keep-alive for 6.1 s', since, pid: 42, durationMs: 7_250, attempts: 1, secretChanged: false };

describe('formatStall', () => {
  it('the start: what was seen, since when, and that it is being replaced', () => {
    expect(formatStall(started, opts)).toBe('⚠ The Stripe CLI stopped answering (no websocket keep-alive for 6.1 s, since 19:42:01): restarting it; events sent meanwhile will be caught up.');
  });

  it('the start when nothing is restarted (trigger)', () => {
    expect(formatStall({ ...started, cause: 'exited', detail: 'signal SIGKILL', restarting: false }, opts)).toBe(
      '⚠ The Stripe CLI stopped unexpectedly (signal SIGKILL, since 19:42:01): no more events can arrive.',
    );
  });

  it('the end: how long the gap lasted, and whether the secret is the same', () => {
    expect(formatStall(ended, opts)).toBe('✔ Stripe CLI back: the gap lasted 7.3 s (since 19:42:01; pid 42, same signing secret).');
    expect(formatStall({ ...ended, attempts: 3, secretChanged: true }, opts)).toBe('✔ Stripe CLI back after 3 attempts: the gap lasted 7.3 s (since 19:42:01; pid 42, with a new signing secret).');
  });
});

const catchUp: CatchUpReport = { since, until: new Date('2026-11-30T19:42:09Z'), recovered: 3, alreadyReceived: 1, failed: [] };

describe('formatCatchUp', () => {
  it('counts what was recovered and what had arrived anyway', () => {
    expect(formatCatchUp(catchUp, opts)).toEqual(['ℹ Caught up on the gap (19:42:01–19:42:09): 3 events recovered (marked "recovered"), 1 event already received.']);
    expect(formatCatchUp({ ...catchUp, recovered: 0, alreadyReceived: 0 }, opts)).toEqual(['ℹ Caught up on the gap (19:42:01–19:42:09): no event was missed.']);
  });

  it('names what could not be recovered: too old, not delivered, or not listed at all', () => {
    const lines = formatCatchUp({ ...catchUp, failed: ['evt_1'], tooOld: { since: new Date('2026-10-01T00:00:00Z'), until: new Date('2026-10-31T19:41:00Z') } }, opts);
    expect(lines[1]).toBe('⚠ Events from 2026-10-01T00:00:00.000Z to 2026-10-31T19:41:00.000Z are older than Stripe keeps them (30 days) and cannot be recovered.');
    expect(lines[2]).toBe('⚠ 1 recovered event could not be delivered: evt_1.');
    expect(formatCatchUp({ ...catchUp, error: 'stripe get /v1/events failed (1)' }, opts)[0]).toBe(
      '⚠ Could not list the events of the gap (19:42:01–19:42:09): stripe get /v1/events failed (1). Events sent then may be missing.',
    );
  });
});

describe('JSON records for stalls and catch-ups', () => {
  function records(write: (reporter: ReturnType<typeof createJsonReporter>) => void): Array<Record<string, unknown>> {
    let text = '';
    const stdout = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        text += chunk.toString();
        callback();
      },
    });
    write(createJsonReporter({ stdout }));
    return text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  it('one stall record per phase, every key present', () => {
    expect(records((reporter) => [started, ended].forEach((report) => reporter.stall!(report)))).toEqual([
      { type: 'stall', schema: 1, phase: 'started', cause: 'silent', detail: started.detail, since: since.toISOString(), pid: 41, restarting: true, durationMs: null, attempts: null, secretChanged: null },
      { type: 'stall', schema: 1, phase: 'ended', cause: 'silent', detail: ended.detail, since: since.toISOString(), pid: 42, restarting: null, durationMs: 7_250, attempts: 1, secretChanged: false },
    ]);
  });

  it('a catch-up record', () => {
    expect(records((reporter) => reporter.catchUp!({ ...catchUp, failed: ['evt_1'] }))).toEqual([
      { type: 'catch-up', schema: 1, since: since.toISOString(), until: '2026-11-30T19:42:09.000Z', recovered: 3, alreadyReceived: 1, failed: ['evt_1'], tooOld: null, error: null },
    ]);
  });
});
