import { describe, expect, it } from 'vitest';
import { holdUntilReady } from '../../src/render/hold-until-ready.js';
import type { Reporter } from '../../src/render/reporter.js';
import type { DeliveryRecord, ReadyInfo, SessionSummary } from '../../src/types.js';

function recording() {
  const calls: string[] = [];
  const reporter: Reporter = {
    starting: (message) => calls.push(`starting ${message}`),
    ready: () => calls.push('ready'),
    delivery: (record) => calls.push(`delivery ${record.event?.id}`),
    notice: (message) => calls.push(`notice ${message}`),
    error: () => calls.push('error'),
    summary: () => calls.push('summary'),
    triggerStarted: (trigger) => calls.push(`trigger ${trigger}`),
    close: () => calls.push('close'),
  };
  return { reporter, calls };
}

const delivery = (id: string) => ({ event: { id } }) as unknown as DeliveryRecord;
const summary = {} as SessionSummary;

describe('holdUntilReady', () => {
  it('shows what came before ready right after it, in order; progress and notices pass at once', () => {
    const { reporter, calls } = recording();
    const held = holdUntilReady(reporter);
    held.starting('Starting…');
    held.triggerStarted!('customer.created', ['customer.created']);
    held.delivery(delivery('evt_1'));
    held.notice('hello');
    expect(calls).toEqual(['starting Starting…', 'notice hello']);
    held.ready({} as ReadyInfo);
    held.delivery(delivery('evt_2'));
    expect(calls).toEqual(['starting Starting…', 'notice hello', 'ready', 'trigger customer.created', 'delivery evt_1', 'delivery evt_2']);
  });

  it('never loses what it held: a session that fails before ready shows it before the error', () => {
    const { reporter, calls } = recording();
    const held = holdUntilReady(reporter);
    held.delivery(delivery('evt_1'));
    held.error(new Error('boom'));
    held.summary(summary);
    expect(calls).toEqual(['delivery evt_1', 'error', 'summary']);
  });

  it('release() stops holding for a run that joins a ready session', () => {
    const { reporter, calls } = recording();
    const held = holdUntilReady(reporter);
    held.release();
    held.delivery(delivery('evt_1'));
    expect(calls).toEqual(['delivery evt_1']);
  });
});
