import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PayloadError } from '../../src/errors.js';
import { applyOverrides, parsePath, parseSetOverride } from '../../src/send/set-override.js';

const event = () => ({
  id: 'evt_1',
  type: 'payment_intent.succeeded',
  data: { object: { id: 'pi_1', amount: 2000, metadata: {}, items: [{ price: 'price_a' }, { price: 'price_b' }], description: null } },
});

function set(payload: Record<string, unknown>, ...texts: string[]) {
  return applyOverrides(payload, texts.map(parseSetOverride));
}

function payloadError(run: () => unknown): PayloadError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PayloadError);
    return error as PayloadError;
  }
  throw new Error('expected a PayloadError');
}

describe('parseSetOverride', () => {
  it.each([
    ['data.object.amount=5000', 5000],
    ['data.object.metadata.order=42', 42],
    ['data.object.livemode=true', true],
    ['data.object.description=null', null],
    ['data.object.metadata={"a":1}', { a: 1 }],
    ['data.object.metadata.order=A-42', 'A-42'],
    ['data.object.metadata.order="42"', '42'],
    ['data.object.metadata.note=', ''],
    ['data.object.metadata.url=https://x.test/?a=b', 'https://x.test/?a=b'],
  ])('%s → %j (JSON when it parses, else the text)', (text, value) => {
    expect(parseSetOverride(text).value).toEqual(value);
  });

  it('refuses text without path=value', () => {
    expect(payloadError(() => parseSetOverride('amount')).message).toContain('path=value');
    expect(payloadError(() => parseSetOverride('=5')).exitCode).toBe(30);
  });
});

describe('parsePath', () => {
  it.each([
    ['data.object.amount', ['data', 'object', 'amount']],
    ['data.object.items[0].price', ['data', 'object', 'items', 0, 'price']],
    ['lines.data.0.amount', ['lines', 'data', '0', 'amount']],
    ['metadata["order.id"]', ['metadata', 'order.id']],
    ['a[1][2]', ['a', 1, 2]],
  ])('%s', (path, segments) => {
    expect(parsePath(path)).toEqual(segments);
  });

  it.each(['', 'a..b', '.a', 'a.', 'a[', 'a[x]', 'a[0]b'])('refuses %j with a PayloadError', (path) => {
    payloadError(() => parsePath(path));
  });
});

describe('applyOverrides', () => {
  it('sets fields deep in the event and leaves the input untouched', () => {
    const input = event();
    const edited = set(input, 'data.object.amount=5000', 'data.object.metadata.order=42');
    expect(edited.data).toMatchObject({ object: { amount: 5000, metadata: { order: 42 } } });
    expect(input.data.object.amount).toBe(2000);
    expect(input.data.object.metadata).toEqual({});
  });

  it('creates missing objects on the way, and arrays for a bracket index', () => {
    const edited = set({ id: 'evt_1' }, 'data.object.metadata.order=7', 'data.object.lines[0].amount=1');
    expect(edited).toEqual({ id: 'evt_1', data: { object: { metadata: { order: 7 }, lines: [{ amount: 1 }] } } });
  });

  it('indexes arrays with [n] or a numeric key, and appends at the length', () => {
    const edited = set(event(), 'data.object.items[1].price="price_c"', 'data.object.items.0.price=price_z', 'data.object.items[2]={"price":"price_new"}');
    expect((edited.data as any).object.items).toEqual([{ price: 'price_z' }, { price: 'price_c' }, { price: 'price_new' }]);
  });

  it('refuses a path through a number, a string or null, naming where it stopped', () => {
    const throughNumber = payloadError(() => set(event(), 'data.object.amount.value=1'));
    expect(throughNumber.message).toBe('--set data.object.amount.value: data.object.amount is a number (2000), not an object, so it has no "value".');
    expect(payloadError(() => set(event(), 'type.x=1')).message).toContain('type is a string ("payment_intent.succeeded")');
    expect(payloadError(() => set(event(), 'data.object.description.text=1')).message).toContain('data.object.description is null');
  });

  it('refuses a key on an array, an index past its end, and an index on an object', () => {
    expect(payloadError(() => set(event(), 'data.object.items.price=1')).message).toContain('is an array');
    expect(payloadError(() => set(event(), 'data.object.items[5]=1')).message).toContain('has 2 items, so index 5 is out of range');
    expect(payloadError(() => set(event(), 'data.object[0]=1')).message).toContain('is an object, not an array');
  });

  it('never reaches a prototype: __proto__ becomes a plain own key', () => {
    const edited = set({}, '__proto__.polluted=1', 'constructor.prototype.polluted=1');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(edited)).toBe(Object.prototype);
    expect(JSON.parse(JSON.stringify(edited))).toEqual(JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}'));
  });

  it('any value set at a fresh dotted path reads back the same after JSON round trip', () => {
    const key = fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/);
    fc.assert(
      fc.property(fc.array(key, { minLength: 1, maxLength: 4 }), fc.jsonValue(), (keys, value) => {
        const edited = applyOverrides({}, [{ path: keys.join('.'), segments: keys, value }]);
        let current: any = JSON.parse(JSON.stringify(edited));
        for (const k of keys) current = current[k];
        expect(current).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});
