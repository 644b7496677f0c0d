import { describe, expect, it } from 'vitest';
import { summarizeValue } from '../../src/render/summarize-value.js';
import { toJsonSafe } from '../../src/render/to-json-safe.js';

describe('summarizeValue', () => {
  it('shows nothing for undefined and quotes strings', () => {
    expect(summarizeValue(undefined)).toBeUndefined();
    expect(summarizeValue('done')).toBe("'done'");
    expect(summarizeValue(null)).toBe('null');
    expect(summarizeValue(42)).toBe('42');
  });

  it('renders objects on one line, two levels deep', () => {
    expect(summarizeValue({ received: true, order: { id: 42, items: [1, 2] } })).toBe('{ received: true, order: { id: 42, items: [ 1, 2 ] } }');
    expect(summarizeValue({ a: { b: { c: { d: 1 } } } })).toBe('{ a: { b: { c: [Object] } } }');
    expect(summarizeValue('two\nlines')).toBe("'two\\nlines'");
  });

  it('truncates with an ellipsis at maxLength', () => {
    const text = summarizeValue({ list: 'x'.repeat(500) }, 40);
    expect(text).toHaveLength(40);
    expect(text?.endsWith('…')).toBe(true);
  });

  it('copes with cycles, BigInt, functions and throwing proxies', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic['self'] = cyclic;
    expect(summarizeValue(cyclic)).toContain('[Circular *1]');
    expect(summarizeValue({ big: 10n })).toBe('{ big: 10n }');
    expect(summarizeValue(function handle() {})).toBe('[Function: handle]');
    const hostile = new Proxy({}, { ownKeys: () => { throw new Error('boom'); }, getPrototypeOf: () => { throw new Error('boom'); } });
    expect(() => summarizeValue(hostile)).not.toThrow();
  });

  it('masks secrets the handler returns', () => {
    expect(summarizeValue({ secret: 'whsec_abcdefghijklmnopqrstuv' })).toBe("{ secret: 'whsec_…stuv' }");
  });
});

describe('toJsonSafe', () => {
  it('keeps plain JSON as-is', () => {
    const value = { a: 1, b: 'x', c: [true, null], d: { e: 2.5 } };
    expect(toJsonSafe(value)).toEqual(value);
  });

  it('turns what JSON cannot carry into something it can', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic['self'] = cyclic;
    const shared = { n: 1 };
    const result = toJsonSafe({
      big: 12345678901234567890n,
      cyclic,
      twice: [shared, shared],
      fn: function named() {},
      missing: undefined,
      nan: Number.NaN,
      when: new Date('2024-01-02T03:04:05.000Z'),
      map: new Map([['k', 1]]),
      set: new Set([1, 2]),
      error: new RangeError('bad'),
      sym: Symbol('s'),
    });
    expect(result).toEqual({
      big: '12345678901234567890',
      cyclic: { name: 'loop', self: '[Circular]' },
      twice: [{ n: 1 }, { n: 1 }],
      fn: '[Function named]',
      nan: null,
      when: '2024-01-02T03:04:05.000Z',
      map: { k: 1 },
      set: [1, 2],
      error: { name: 'RangeError', message: 'bad' },
      sym: 'Symbol(s)',
    });
    expect(() => JSON.stringify(result)).not.toThrow();
    expect(toJsonSafe(undefined)).toBeNull();
  });

  it('survives throwing getters and toJSON, and a __proto__ key stays a key', () => {
    const result = toJsonSafe({
      bad: { toJSON() { throw new Error('nope'); } },
      getter: Object.defineProperty({}, 'x', { enumerable: true, get() { throw new Error('nope'); } }),
      ...JSON.parse('{"__proto__": {"polluted": true}}'),
    });
    expect(result).toMatchObject({ bad: '[Unserializable]', getter: '[Unserializable]' });
    expect(JSON.stringify(result)).toContain('"__proto__":{"polluted":true}');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('masks secrets in strings', () => {
    expect(toJsonSafe({ key: 'sk_test_abcdefghijklmnop1234' })).toEqual({ key: 'sk_test_…1234' });
  });
});
