import { PayloadError } from '../errors.js';

/** One step of a `--set` path: a key, or an index written in brackets (`items[0]`). */
export type PathSegment = string | number;

export interface SetOverride {
  /** As the user wrote it, for messages. */
  path: string;
  segments: PathSegment[];
  value: unknown;
}

/**
 * `data.object.amount=5000` → the path's segments and the value. The value is JSON when it parses
 * as JSON (`5000`, `true`, `null`, `{"a":1}`, `"42"`), else the text as a string, so
 * `metadata.order=A-42` needs no quotes and `metadata.order='"42"'` forces a string. Pure.
 */
export function parseSetOverride(text: string): SetOverride {
  const equals = text.indexOf('=');
  if (equals <= 0) {
    throw new PayloadError(`--set takes path=value (got "${text}").`, { hint: 'For example: --set data.object.amount=5000 --set data.object.metadata.order=42' });
  }
  const path = text.slice(0, equals).trim();
  const raw = text.slice(equals + 1);
  return { path, segments: parsePath(path), value: parseValue(raw) };
}

function parseValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

/**
 * `data.object.items[0].price`, `lines.data.0.amount`, `metadata["order.id"]`: dot-separated keys,
 * each optionally followed by bracketed indexes or quoted keys. A bare number after a dot is a key
 * that also serves as an index when the value there is an array.
 */
export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  const bad = (why: string) =>
    new PayloadError(`--set path "${path}" ${why}.`, { hint: 'Paths are dotted keys with optional [index]: data.object.items[0].price, metadata["order.id"].' });
  let i = 0;
  let expectKey = true;
  while (i < path.length) {
    const char = path[i]!;
    if (char === '[') {
      const close = path.indexOf(']', i);
      if (close < 0) throw bad('has a [ without ]');
      const inside = path.slice(i + 1, close);
      if (/^\d+$/.test(inside)) segments.push(Number(inside));
      else if (/^"(?:[^"\\]|\\.)*"$/.test(inside)) segments.push(JSON.parse(inside) as string);
      else throw bad(`has [${inside}]: brackets take an index ([0]) or a quoted key (["a.b"])`);
      i = close + 1;
      expectKey = false;
      continue;
    }
    if (char === '.') {
      if (expectKey) throw bad('has an empty key');
      i += 1;
      expectKey = true;
      if (i === path.length) throw bad('ends with a dot');
      continue;
    }
    if (!expectKey) throw bad(`needs a dot before "${path.slice(i)}"`);
    let end = i;
    while (end < path.length && path[end] !== '.' && path[end] !== '[') end += 1;
    segments.push(path.slice(i, end));
    i = end;
    expectKey = false;
  }
  if (segments.length === 0) throw bad('is empty');
  return segments;
}

/**
 * The payload with each override applied in order, on a copy. Missing objects on the way are
 * created (`metadata.order` on an event with no metadata); a path through a number, a string or
 * null, a key on an array or an index past its end is an error naming where the path stopped. Pure.
 */
export function applyOverrides(payload: Record<string, unknown>, overrides: readonly SetOverride[]): Record<string, unknown> {
  const copy = structuredClone(payload);
  for (const override of overrides) setAt(copy, override);
  return copy;
}

function setAt(root: Record<string, unknown>, { path, segments, value }: SetOverride): void {
  let current: unknown = root;
  for (let index = 0; index < segments.length; index += 1) {
    const segment = segments[index]!;
    const last = index === segments.length - 1;
    const where = describePath(segments.slice(0, index)) || 'the payload';
    if (Array.isArray(current)) {
      const position = arrayIndex(segment);
      if (position === undefined) {
        throw new PayloadError(`--set ${path}: ${where} is an array, so the next step must be an index, not "${segment}".`, { hint: `For example: ${describePath(segments.slice(0, index))}[0]` });
      }
      if (position > current.length) {
        throw new PayloadError(`--set ${path}: ${where} has ${current.length} ${current.length === 1 ? 'item' : 'items'}, so index ${position} is out of range.`, {
          hint: `Use an index up to ${current.length} (${current.length} appends an item).`,
        });
      }
      if (last) current[position] = value;
      else current = current[position] ??= container(segments[index + 1]!);
      continue;
    }
    if (typeof current !== 'object' || current === null) {
      throw new PayloadError(`--set ${path}: ${where} is ${describeValue(current)}, not an object, so it has no "${segment}".`, {
        hint: `Set ${where} itself (--set ${describePath(segments.slice(0, index))}='{"${segment}": …}') or fix the path.`,
      });
    }
    if (typeof segment === 'number') {
      throw new PayloadError(`--set ${path}: ${where} is an object, not an array, so it has no index [${segment}].`, { hint: `Use a key: ${describePath(segments.slice(0, index))}.${segment}` });
    }
    const object = current as Record<string, unknown>;
    if (last) {
      defineOwn(object, segment, value);
    } else {
      if (!Object.hasOwn(object, segment) || object[segment] === undefined) defineOwn(object, segment, container(segments[index + 1]!));
      current = object[segment];
    }
  }
}

/** A plain own property even for `__proto__`, so a path can never reach a prototype. */
function defineOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
}

function container(next: PathSegment): unknown {
  return typeof next === 'number' ? [] : {};
}

function arrayIndex(segment: PathSegment): number | undefined {
  if (typeof segment === 'number') return segment;
  return /^\d+$/.test(segment) ? Number(segment) : undefined;
}

function describePath(segments: readonly PathSegment[]): string {
  return segments.map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : /^[\w-]+$/.test(segment) ? `${i === 0 ? '' : '.'}${segment}` : `[${JSON.stringify(segment)}]`)).join('');
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  const text = JSON.stringify(value) ?? String(value);
  return `a ${typeof value} (${text.length > 40 ? `${text.slice(0, 37)}…` : text})`;
}
