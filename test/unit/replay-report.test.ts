import { describe, expect, it } from 'vitest';
import { Chalk } from 'chalk';
import { formatReplayResult, formatReplayStart, formatReplayTotals } from '../../src/render/format-replay.js';
import { toReplayRecord, toReplaySummaryRecord } from '../../src/render/replay-records.js';
import { judgeReplayDelivery, replayTotals, type ReplayDelivery } from '../../src/replay/replay-report.js';
import { chooseEditor } from '../../src/replay/edit-payload.js';
import type { DeliveryRecord, SendReport } from '../../src/types.js';

const colors = new Chalk({ level: 0 });
const event = { id: 'evt_1', object: 'event' as const, type: 'customer.created', created: 1, livemode: false, data: { object: { id: 'cus_1' } } };

function delivery(eventId: string, record: Partial<DeliveryRecord>, copy = 1, times = 1): ReplayDelivery {
  const full: DeliveryRecord = { receivedAt: new Date(0), status: 200, verified: true, attempt: copy, event: { ...event, id: eventId }, durationMs: 3, ...record };
  const report: SendReport = { target: 'session', url: 'http://127.0.0.1:4343/webhook', from: 'journal', expected: 'accept', record: full, passed: full.status === 200, exitCode: full.status === 200 ? 0 : 20, message: full.status === 200 ? 'the session accepted it: 200, handled' : 'customer.created handler threw Error: no', details: [] };
  return { ...report, eventId, copy, times, edited: false, redacted: false, ...judgeReplayDelivery(report) };
}

const ok = { handler: { outcome: { status: 'ok' as const, value: 1 }, durationMs: 1, logs: [] } };
const threw = { status: 500, handler: { outcome: { status: 'error' as const, error: { name: 'Error', message: 'no sk_test_abcdefghijklmnop1234' } }, durationMs: 1, logs: [] } };

describe('replay verdicts', () => {
  it("judge each delivery as trigger does, and the worst decides the exit code", () => {
    const passed = [delivery('evt_1', ok, 1, 2), delivery('evt_1', ok, 2, 2)];
    expect(replayTotals(passed)).toEqual({ events: 1, deliveries: 2, passed: 2, failed: 0, verdict: 'passed', exitCode: 0 });
    const rejected = delivery('evt_3', { status: 400, verified: false, rejection: { reason: 'signature_mismatch', message: 'bad signature' } });
    expect(rejected.verdict).toBe('verification-failed');
    const mixed = [...passed, delivery('evt_2', threw), rejected];
    expect(replayTotals(mixed)).toMatchObject({ events: 3, deliveries: 4, passed: 2, failed: 2, verdict: 'verification-failed', exitCode: 21 });
  });

  it('show the copy, the verdict and the tally, with secrets masked', () => {
    const failed = delivery('evt_2', threw);
    expect(formatReplayStart({ eventId: 'evt_1', eventType: 'customer.created', copy: 2, times: 3, target: 'session', url: 'http://127.0.0.1:4343/webhook', edited: true }, { colors })).toBe(
      '▶ replay customer.created evt_1 (2/3, edited) to the running session at http://127.0.0.1:4343/webhook',
    );
    expect(formatReplayResult(delivery('evt_1', ok), { colors })).toEqual(['✓ replay passed: the session accepted it: 200, handled']);
    expect(formatReplayResult({ ...failed, message: 'threw sk_test_abcdefghijklmnop1234' }, { colors })[0]).toBe('✗ replay failed: threw sk_test_…1234');
    expect(formatReplayTotals(replayTotals([delivery('evt_1', ok), failed]), { colors })).toBe('✗ replay: 1 of 2 deliveries failed (2 events; exit 20)');
    expect(formatReplayTotals(replayTotals([delivery('evt_1', ok)]), { colors })).toBe('✓ replay: 1 delivery of 1 event, handled');
  });

  it('make replay and replay-summary records', () => {
    const record = toReplayRecord(delivery('evt_2', threw, 2, 3));
    expect(record).toMatchObject({ type: 'replay', eventId: 'evt_2', copy: 2, times: 3, verdict: 'handler-failed', target: 'session', outcome: 'failed', status: 500, delivery: { type: 'event', outcome: 'error' } });
    expect(record).not.toHaveProperty('tamper');
    expect(toReplaySummaryRecord(replayTotals([delivery('evt_1', ok)]))).toEqual({ type: 'replay-summary', events: 1, deliveries: 1, passed: 1, failed: 0, verdict: 'passed', exitCode: 0 });
  });
});

describe('chooseEditor', () => {
  it('prefers $VISUAL, then $EDITOR, ignoring blanks', () => {
    expect(chooseEditor({ VISUAL: 'code --wait', EDITOR: 'vi' })).toBe('code --wait');
    expect(chooseEditor({ VISUAL: ' ', EDITOR: 'nano' })).toBe('nano');
    expect(chooseEditor({})).toBeUndefined();
  });
});
