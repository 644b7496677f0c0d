import { describe, expect, it } from 'vitest';
import { stringifyRecord } from '../../src/render/stringify-record.js';

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i += 1) value = [value];
  return value;
}

describe('stringifyRecord', () => {
  it('is JSON.stringify for an ordinary record', () => {
    const record = { type: 'delivery', record: { event: { id: 'evt_1', data: { object: { a: [1, { b: null }] } } } } };
    expect(stringifyRecord(record)).toBe(JSON.stringify(record));
  });

  it('degrades a record nested 100,000 levels deep instead of throwing, keeping its shape', () => {
    const record = { type: 'delivery', record: { event: { id: 'evt_deep', type: 'customer.created', data: { object: { nested: nested(100_000) } } } } };
    expect(() => JSON.stringify(record)).toThrow(RangeError);
    const parsed = JSON.parse(stringifyRecord(record)) as { type: string; record: { event: { id: string; type: string } } };
    expect(parsed).toMatchObject({ type: 'delivery', record: { event: { id: 'evt_deep', type: 'customer.created' } } });
    expect(JSON.stringify(parsed)).toContain('[Too deep]');
  });
});
