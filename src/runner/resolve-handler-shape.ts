/**
 * Turns a loaded module's namespace into something that can pick a function per event type, or
 * explains, naming what the module does export, which shapes are accepted. Pure: no I/O.
 */
import { HandlerShapeError } from '../errors.js';
import type { HandlerContext } from './handler-context.js';
import type { StripeEventLike } from '../types.js';

export type HandlerFn = (event: StripeEventLike, ctx: HandlerContext) => unknown;

export interface HandlerShape {
  kind: 'function' | 'map';
  /** The event types the module asks for, or null for "every event" (a '*' key or no declaration). */
  eventTypes: string[] | null;
  /** The function for this event type, or undefined when the module does not handle it. */
  pick(eventType: string): HandlerFn | undefined;
}

export const ACCEPTED_SHAPES: readonly string[] = [
  'export default async function (event, ctx) { … }   // every event; optionally `export const events = [\'payment_intent.succeeded\']`',
  "export default { 'payment_intent.succeeded': async (event, ctx) => { … }, '*': (event) => … }   // one function per event type, '*' for the rest",
];

const WILDCARD = '*';

export function resolveHandlerShape(namespace: object, { file = 'the handler module' }: { file?: string } = {}): HandlerShape {
  const ns = namespace as Record<string, unknown>;
  const exported = unwrapInteropDefault(ns['default']);
  const declared = ns['events'] !== undefined ? ns['events'] : innerNamedExport(ns['default'], 'events');
  if (typeof exported === 'function') return functionShape(exported as HandlerFn, declared, file);
  if (isPlainObject(exported)) {
    if (declared !== undefined) {
      throw new HandlerShapeError(`${file} exports \`events\` next to a handler map; the map's keys already name its events.`, {
        hint: "Remove the `events` export, or list only the event types you handle as keys (and drop '*').",
      });
    }
    return mapShape(exported, file);
  }
  throw new HandlerShapeError(`${file} does not export a webhook handler: ${describeExports(ns)}.`, {
    hint: 'Default-export a function or an object keyed by event type (see examples/webhooks.ts).',
    details: ['Accepted shapes:', ...ACCEPTED_SHAPES.map((shape) => `  ${shape}`)],
  });
}

/**
 * A `.ts`/`.js` file that Node treats as CommonJS (no `"type": "module"`) is compiled by tsx to
 * CJS, and `export default x` then arrives as `{ default: { default: x } }`. No event type is
 * called "default", so an object whose own `default` key holds the handler is that wrapper.
 */
function unwrapInteropDefault(value: unknown): unknown {
  if (isPlainObject(value) && Object.hasOwn(value, 'default')) return value['default'];
  // The same compilation without `export default`: only named exports, so no handler.
  if (isPlainObject(value) && value['__esModule'] === true) return undefined;
  return value;
}

function innerNamedExport(value: unknown, name: string): unknown {
  return isPlainObject(value) && Object.hasOwn(value, 'default') ? value[name] : undefined;
}

function functionShape(fn: HandlerFn, declared: unknown, file: string): HandlerShape {
  if (declared === undefined) return { kind: 'function', eventTypes: null, pick: () => fn };
  if (!Array.isArray(declared) || declared.length === 0 || !declared.every((t) => typeof t === 'string' && t.length > 0)) {
    throw new HandlerShapeError(`${file} exports \`events\` as ${describeValue(declared)}; it must be a non-empty array of event type strings.`, {
      hint: "e.g. export const events = ['payment_intent.succeeded', 'charge.refunded'];",
    });
  }
  const types = [...new Set(declared as string[])];
  const wanted = new Set(types);
  // A declared list is a promise about what the function handles: other types are "unhandled",
  // as they would be for a map without that key.
  return { kind: 'function', eventTypes: types, pick: (type) => (wanted.has(type) ? fn : undefined) };
}

function mapShape(map: Record<string, unknown>, file: string): HandlerShape {
  const keys = Object.keys(map);
  if (keys.length === 0) {
    throw new HandlerShapeError(`${file} default-exports an empty object, so no event would be handled.`, {
      hint: "Add a key per event type, e.g. { 'payment_intent.succeeded': (event) => … }, or '*' for every event.",
    });
  }
  for (const key of keys) {
    if (typeof map[key] !== 'function') {
      throw new HandlerShapeError(`${file}: the handler for '${key}' is ${describeValue(map[key])}, not a function.`, {
        hint: `Make '${key}' a function: '${key}': async (event, ctx) => { … }`,
      });
    }
  }
  const handlers = new Map(keys.map((key) => [key, map[key] as HandlerFn]));
  const fallback = handlers.get(WILDCARD);
  return {
    kind: 'map',
    eventTypes: fallback ? null : keys,
    pick: (type) => handlers.get(type) ?? fallback,
  };
}

function describeExports(ns: Record<string, unknown>): string {
  const names = Object.keys(ns);
  if (names.length === 0) return 'it has no exports';
  return `found ${names.map((name) => `${name === 'default' ? 'default export' : `\`${name}\``} (${describeValue(ns[name])})`).join(', ')}`;
}

/** A short, user-facing description of a value's type, e.g. "an object with keys a, b". */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 0) return 'an empty object';
    const shown = keys.slice(0, 5).join(', ');
    return `an object with keys ${shown}${keys.length > 5 ? ', …' : ''}`;
  }
  return `a ${typeof value}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
