import { describe, expect, it } from 'vitest';
import { RecordRing } from '../../src/control/record-ring.js';

describe('RecordRing', () => {
  it('numbers values from 1 and returns those after a seq', () => {
    const ring = new RecordRing<string>(10);
    expect(['a', 'b', 'c'].map((v) => ring.push(v))).toEqual([1, 2, 3]);
    expect(ring.after(1)).toEqual([
      { seq: 2, value: 'b' },
      { seq: 3, value: 'c' },
    ]);
    expect(ring.after(0).map((e) => e.value)).toEqual(['a', 'b', 'c']);
    expect(ring.after(3)).toEqual([]);
    expect(ring.lastSeq).toBe(3);
  });

  it('holds only the last `capacity` values, and keeps counting', () => {
    const ring = new RecordRing<number>(3);
    for (let i = 1; i <= 50; i++) ring.push(i);
    expect(ring.after(0)).toEqual([
      { seq: 48, value: 48 },
      { seq: 49, value: 49 },
      { seq: 50, value: 50 },
    ]);
    expect(ring.lastSeq).toBe(50);
  });

  it('with capacity 0 holds nothing but still numbers', () => {
    const ring = new RecordRing<string>(0);
    expect(ring.push('a')).toBe(1);
    expect(ring.after(0)).toEqual([]);
  });
});
