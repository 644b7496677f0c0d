import { PayloadError, UsageError } from '../errors.js';
import { DEFAULT_API_VERSION } from '../emulator/default-api-version.js';
import { buildEvent, isSupportedEventType, supportedEventTypes } from '../emulator/event-templates.js';
import { applyOverrides, type SetOverride } from './set-override.js';

/** Where `send`'s payload comes from: `-`, a JSON file, or an event type built from a template. */
export type PayloadSource = { kind: 'stdin' } | { kind: 'file'; path: string } | { kind: 'type'; type: string };

export interface LoadedPayload {
  /** The bytes to sign and send. */
  raw: string;
  /** The same, parsed. */
  event: Record<string, unknown>;
  /** For messages: `payment_intent.succeeded (template)`, `order.json`, `stdin`. */
  from: string;
}

export interface LoadPayloadOptions {
  overrides?: readonly SetOverride[];
  readFile: (path: string) => Promise<Buffer>;
  readStdin: () => Promise<Buffer>;
  /** Milliseconds, as Date.now(): the template event's `created`. */
  now?: number;
  apiVersion?: string;
}

const EVENT_TYPE = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;

/** `-` is stdin; a name like `payment_intent.succeeded` an event type; anything else a file. Pure. */
export function classifyPayloadArgument(argument: string): PayloadSource {
  if (argument === '-') return { kind: 'stdin' };
  if (EVENT_TYPE.test(argument) && !argument.endsWith('.json')) return { kind: 'type', type: argument };
  return { kind: 'file', path: argument };
}

/**
 * Reads or builds the payload, then applies the `--set` overrides. A file or stdin is sent byte for
 * byte when nothing overrides it (its own formatting is what the app must verify); an edited or
 * built event is serialised as Stripe does, two-space indented.
 */
export async function loadPayload(source: PayloadSource, { overrides = [], readFile, readStdin, now = Date.now(), apiVersion = DEFAULT_API_VERSION }: LoadPayloadOptions): Promise<LoadedPayload> {
  if (source.kind === 'type') {
    if (!isSupportedEventType(source.type)) {
      throw new UsageError(`There is no template for "${source.type}": send builds events of these types: ${supportedEventTypes.join(', ')}.`, {
        hint: `For another type, write the event to a file and send that: webhook-dev send event.json (or pipe it in: … | webhook-dev send -).`,
      });
    }
    const event = applyOverrides(buildEvent(source.type, { apiVersion, now }), overrides);
    return { raw: JSON.stringify(event, null, 2), event, from: `${source.type} (template)` };
  }
  const from = source.kind === 'stdin' ? 'stdin' : source.path;
  let bytes: Buffer;
  try {
    bytes = source.kind === 'stdin' ? await readStdin() : await readFile(source.path);
  } catch (error) {
    throw new PayloadError(`Cannot read ${source.kind === 'stdin' ? 'the payload from stdin' : `the payload file ${source.path}`}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, {
      hint: source.kind === 'stdin' ? 'Pipe the event in: cat event.json | webhook-dev send -' : 'Check the path (it is resolved from the current directory), or name an event type such as payment_intent.succeeded.',
      cause: error,
    });
  }
  const text = bytes.toString('utf8');
  const event = parseEventJson(text, from);
  if (overrides.length === 0) return { raw: text, event, from };
  const edited = applyOverrides(event, overrides);
  return { raw: JSON.stringify(edited, null, 2), event: edited, from };
}

/** The payload must be one JSON object, as every Stripe event is. Pure. */
export function parseEventJson(text: string, from: string): Record<string, unknown> {
  if (text.trim() === '') throw new PayloadError(`The payload from ${from} is empty.`, { hint: 'Give a JSON event: webhook-dev send event.json, or an event type.' });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new PayloadError(`The payload from ${from} is not valid JSON: ${(error as Error).message}.`, { hint: 'Fix the JSON (a Stripe event is one JSON object), or name an event type such as payment_intent.succeeded.' });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PayloadError(`The payload from ${from} is ${Array.isArray(value) ? 'a JSON array' : `a JSON ${value === null ? 'null' : typeof value}`}, not an object; a Stripe event is one JSON object.`, {
      hint: 'Send one event, e.g. {"id": "evt_1", "object": "event", "type": "payment_intent.succeeded", "data": {"object": {…}}}.',
    });
  }
  return value as Record<string, unknown>;
}
