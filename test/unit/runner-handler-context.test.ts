import { describe, expect, it } from 'vitest';
import { createHandlerLog, formatLogArgs } from '../../src/runner/handler-context.js';

describe('formatLogArgs', () => {
  it('formats like console.log: placeholders, inspected objects, on one line', () => {
    expect(formatLogArgs(['paid %s for %d cents', 'pi_1', 2000])).toBe('paid pi_1 for 2000 cents');
    expect(formatLogArgs(['obj', { a: { b: [1, 2] }, s: 'x' }])).toBe("obj { a: { b: [ 1, 2 ] }, s: 'x' }");
    const wide = { lines: Array.from({ length: 30 }, (_, i) => `item-${i}`) };
    expect(formatLogArgs([wide])).not.toContain('\n');
  });

  it('never prints colours and masks secrets', () => {
    expect(formatLogArgs([{ n: 1 }])).not.toContain('\u001b[');
    expect(formatLogArgs(['secret', 'whsec_abcdefghijklmnop1234'])).toBe('secret whsec_…1234');
  });
});

describe('createHandlerLog', () => {
  it('records level, message and time since start; stops after seal()', () => {
    let t = 100;
    const log = createHandlerLog({ now: () => t, startedAt: 100 });
    log.log.debug('a');
    t = 103;
    log.log.info('b');
    log.log.warn('c');
    t = 110;
    log.log.error(new Error('d').message);
    log.seal();
    log.log.info('after');
    expect(log.lines()).toEqual([
      { level: 'debug', message: 'a', elapsedMs: 0 },
      { level: 'info', message: 'b', elapsedMs: 3 },
      { level: 'warn', message: 'c', elapsedMs: 3 },
      { level: 'error', message: 'd', elapsedMs: 10 },
    ]);
  });

  it('the logger methods work detached (handlers destructure them)', () => {
    const log = createHandlerLog({ now: () => 0, startedAt: 0 });
    const { info } = log.log;
    info('detached');
    expect(log.lines()).toHaveLength(1);
  });
});
