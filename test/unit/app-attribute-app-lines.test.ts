import { afterEach, describe, expect, it, vi } from 'vitest';
import { attributeAppLines, type TimedLine } from '../../src/app/attribute-app-lines.js';
import { createAppOutputLog } from '../../src/app/app-output-log.js';

const at = (time: number, line: string): TimedLine => ({ at: time, stream: 'stdout', line });

describe('attributeAppLines', () => {
  const target = { eventId: 'evt_A', startedAt: 100, answeredAt: 200 };

  it('takes lines printed while the delivery was at the app, and within the grace period after', () => {
    const lines = [at(90, 'before'), at(150, 'during'), at(240, 'just after'), at(400, 'much later')];
    expect(attributeAppLines(lines, target, [target], 50).map((l) => [l.line, l.how])).toEqual([
      ['during', 'in-flight'],
      ['just after', 'in-flight'],
    ]);
  });

  it('takes a line naming the event whenever it came, and never one naming another event', () => {
    const lines = [at(150, 'handled evt_B'), at(5_000, 'evt_A: order shipped')];
    expect(attributeAppLines(lines, target, [target], 50)).toEqual([{ stream: 'stdout', line: 'evt_A: order shipped', how: 'event-id' }]);
  });

  it('keeps a line read late, in the turn that closed the window (a busy event loop), but not after', () => {
    const closed = { ...target, closedAt: 400 };
    expect(attributeAppLines([at(390, 'read late'), at(410, 'after')], closed, [closed], 50).map((l) => l.line)).toEqual(['read late']);
  });

  it('marks a line printed while another delivery was at the app too as shared', () => {
    const other = { eventId: 'evt_B', startedAt: 180 };
    const lines = [at(150, 'only A'), at(190, 'A or B')];
    expect(attributeAppLines(lines, target, [target, other], 50).map((l) => l.how)).toEqual(['in-flight', 'shared']);
  });
});

describe('createAppOutputLog', () => {
  afterEach(() => void vi.useRealTimers());

  it('hands a delivery its lines once the grace period after the answer has passed', async () => {
    vi.useFakeTimers();
    const log = createAppOutputLog({ graceMs: 100, now: () => Date.now() });
    log.push('stdout', 'nobody is at the app: dropped');
    const visit = log.begin('evt_1');
    log.push('stderr', '\u001b[31mTypeError: boom\u001b[39m');
    visit.answered();
    let lines: unknown;
    void visit.collect().then((result) => (lines = result));
    await vi.advanceTimersByTimeAsync(50);
    log.push('stdout', 'late but in time');
    expect(lines).toBeUndefined();
    await vi.advanceTimersByTimeAsync(60);
    expect(lines).toEqual([
      { stream: 'stderr', line: 'TypeError: boom', how: 'in-flight' },
      { stream: 'stdout', line: 'late but in time', how: 'in-flight' },
    ]);
  });

  it('stops waiting as soon as the lines are enough', async () => {
    vi.useFakeTimers();
    const log = createAppOutputLog({ graceMs: 1_000, now: () => Date.now() });
    const visit = log.begin('evt_1');
    let lines: Array<{ line: string }> | undefined;
    void visit.collect((found) => found.some((l) => l.line.includes('failed'))).then((result) => (lines = result));
    await vi.advanceTimersByTimeAsync(10);
    log.push('stdout', 'Webhook signature verification failed.');
    await vi.advanceTimersByTimeAsync(0);
    expect(lines?.map((l) => l.line)).toEqual(['Webhook signature verification failed.']);
  });

  it('resolves pending collections on close', async () => {
    const log = createAppOutputLog({ graceMs: 60_000 });
    const visit = log.begin('evt_1');
    const collected = visit.collect();
    log.close();
    await expect(collected).resolves.toEqual([]);
  });
});
