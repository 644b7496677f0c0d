import { describe, expect, it } from 'vitest';
import { HandlerShapeError } from '../../src/errors.js';
import { describeValue, resolveHandlerShape } from '../../src/runner/resolve-handler-shape.js';

const fn = () => 'f';
const other = () => 'o';

function shapeError(ns: object): HandlerShapeError {
  try {
    resolveHandlerShape(ns, { file: 'webhooks.ts' });
  } catch (error) {
    expect(error).toBeInstanceOf(HandlerShapeError);
    return error as HandlerShapeError;
  }
  throw new Error('expected a HandlerShapeError');
}

describe('resolveHandlerShape', () => {
  it('a default function handles every event', () => {
    const shape = resolveHandlerShape({ default: fn });
    expect(shape.kind).toBe('function');
    expect(shape.eventTypes).toBeNull();
    expect(shape.pick('anything')).toBe(fn);
  });

  it('a default function with `events` handles only those (deduplicated)', () => {
    const shape = resolveHandlerShape({ default: fn, events: ['a.b', 'c.d', 'a.b'] });
    expect(shape.eventTypes).toEqual(['a.b', 'c.d']);
    expect(shape.pick('c.d')).toBe(fn);
    expect(shape.pick('x.y')).toBeUndefined();
  });

  it('a map: keys are the event types', () => {
    const shape = resolveHandlerShape({ default: { 'a.b': fn, 'c.d': other } });
    expect(shape).toMatchObject({ kind: 'map', eventTypes: ['a.b', 'c.d'] });
    expect(shape.pick('c.d')).toBe(other);
    expect(shape.pick('x.y')).toBeUndefined();
  });

  it("a map with '*': every event, '*' as the fallback", () => {
    const shape = resolveHandlerShape({ default: { 'a.b': fn, '*': other } });
    expect(shape.eventTypes).toBeNull();
    expect(shape.pick('a.b')).toBe(fn);
    expect(shape.pick('x.y')).toBe(other);
  });

  it('CommonJS interop: { default: { default: fn } } with `events` inside or lifted', () => {
    expect(resolveHandlerShape({ default: { default: fn, events: ['a.b'] } }).eventTypes).toEqual(['a.b']);
    const lifted = resolveHandlerShape({ default: { default: fn, events: ['a.b'] }, events: ['a.b'] });
    expect(lifted).toMatchObject({ kind: 'function', eventTypes: ['a.b'] });
    expect(resolveHandlerShape({ default: { default: { 'a.b': fn } } }).kind).toBe('map');
  });

  it('CommonJS interop without a default export is not mistaken for a map', () => {
    const exportsObject = Object.defineProperty({ handler: fn }, '__esModule', { value: true });
    expect(shapeError({ default: exportsObject, handler: fn }).message).toContain('`handler` (a function)');
  });

  it('no default export: lists the exports and the accepted shapes', () => {
    const error = shapeError({ handler: fn, config: { a: 1 } });
    expect(error.message).toBe('webhooks.ts does not export a webhook handler: found `handler` (a function), `config` (an object with keys a).');
    expect(error.details[0]).toBe('Accepted shapes:');
    expect(error.details).toHaveLength(3);
    expect(error.hint).toContain('examples/webhooks.ts');
  });

  it('no exports at all says so', () => {
    expect(shapeError({}).message).toContain('it has no exports');
  });

  it('a default of the wrong type is named', () => {
    expect(shapeError({ default: 'hello' }).message).toContain('found default export (a string)');
    expect(shapeError({ default: [fn] }).message).toContain('found default export (an array of 1)');
  });

  it('a map value that is not a function names the key', () => {
    expect(shapeError({ default: { 'a.b': fn, 'c.d': 42 } }).message).toBe("webhooks.ts: the handler for 'c.d' is a number, not a function.");
  });

  it('an empty map is an error (it would handle nothing)', () => {
    expect(shapeError({ default: {} }).message).toContain('empty object');
  });

  it('`events` must be a non-empty array of strings', () => {
    expect(shapeError({ default: fn, events: 'a.b' }).message).toContain('exports `events` as a string');
    expect(shapeError({ default: fn, events: [] }).message).toContain('non-empty array');
    expect(shapeError({ default: fn, events: ['a.b', 3] }).message).toContain('non-empty array');
  });

  it('`events` next to a map is refused rather than silently ignored', () => {
    expect(shapeError({ default: { 'a.b': fn }, events: ['a.b'] }).message).toContain("the map's keys already name its events");
  });
});

describe('describeValue', () => {
  it.each([
    [null, 'null'],
    [undefined, 'undefined'],
    [fn, 'a function'],
    [{}, 'an empty object'],
    [{ a: 1, b: 2, c: 3, d: 4, e: 5, f: 6 }, 'an object with keys a, b, c, d, e, …'],
    [1n, 'a bigint'],
  ])('%s → %s', (value, expected) => {
    expect(describeValue(value)).toBe(expected);
  });
});
