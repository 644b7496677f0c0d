/**
 * argv for `stripe listen`, built by pure functions so every flag can be tested in one line.
 * The API key never goes here: argv is visible to every user of the machine (`ps`), so it travels
 * in the child's environment instead (see stripe-cli-env.ts).
 */
import { UsageError } from '../errors.js';

export type EventSelection = string[] | 'all-snapshot';

export interface ListenArgsOptions {
  forwardTo: string;
  /** Snapshot and thin (`v1.billing.meter.no_meter_found`) types alike; thin ones are split off. */
  events: EventSelection;
  /** Thin event types to receive on top of `events` (with `'all-snapshot'`, which names none). */
  thinEvents?: readonly string[];
  /** Hidden `--api-base`: the offline emulator. The CLI accepts only http://127.0.0.1[:port] or https URLs. */
  apiBase?: string;
  /** `--project-name`: which profile of the CLI's config.toml to read the key from. */
  projectName?: string;
  /** `--skip-update` avoids a GitHub call that can block for a minute on a network that drops packets. */
  skipUpdate?: boolean;
  /** Passed through after ours, for flags webhook-dev does not model (e.g. `--latest`). */
  extraArgs?: readonly string[];
}

const API_KEY_FLAG = /^--api-key(=|$)/;

export function buildListenArgs({
  forwardTo,
  events,
  thinEvents = [],
  apiBase,
  projectName,
  skipUpdate = true,
  extraArgs = [],
}: ListenArgsOptions): string[] {
  if (events !== 'all-snapshot' && events.length === 0) {
    throw new UsageError('No event types to listen for.', {
      hint: 'Pass --events a,b or use --events "*" for every event.',
    });
  }
  if (extraArgs.some((arg) => API_KEY_FLAG.test(arg))) {
    throw new UsageError('Refusing to pass the API key to the Stripe CLI on its command line.', {
      hint: 'Set STRIPE_API_KEY (or use --api-key on webhook-dev itself); it reaches the CLI through its environment, where other users cannot read it.',
    });
  }
  const args = ['listen', '--forward-to', forwardTo, ...eventArgs(forwardTo, events, thinEvents)];
  if (skipUpdate) args.push('--skip-update');
  if (apiBase !== undefined) args.push('--api-base', checkApiBase(apiBase));
  if (projectName !== undefined) args.push('--project-name', projectName);
  args.push(...extraArgs);
  return args;
}

/**
 * Snapshot and thin events cannot share one destination (the CLI refuses it, 1.51+), so when both
 * are wanted, thin ones go to `--forward-thin-to` the same receiver with `?thin=1`: another URL to
 * the CLI, the same path to the receiver, which verifies both kinds with the session's secret.
 * 1.52.0 calls that flag deprecated (it still works, and nothing else routes both kinds in one
 * `stripe listen`); with thin events alone, `--forward-to` takes them and no flag is deprecated.
 */
function eventArgs(forwardTo: string, events: EventSelection, extraThin: readonly string[]): string[] {
  const listed = events === 'all-snapshot' ? [] : events;
  const snapshotArgs = events === 'all-snapshot' ? ['--all-snapshot'] : eventsFlag(listed.filter((type) => !isThinEventType(type)));
  const thin = [...new Set([...listed.filter(isThinEventType), ...extraThin])];
  if (thin.length === 0) return snapshotArgs;
  if (snapshotArgs.length === 0) return eventsFlag(thin);
  return [...snapshotArgs, '--forward-thin-to', thinDestination(forwardTo), ...eventsFlag(thin)];
}

function eventsFlag(types: readonly string[]): string[] {
  return types.length === 0 ? [] : ['--events', types.join(',')];
}

/** The receiver's URL with `thin=1` added to its query. */
export function thinDestination(forwardTo: string): string {
  const url = new URL(forwardTo);
  url.searchParams.set('thin', '1');
  return url.toString();
}

/** Thin event types start with their API version: `v1.billing.meter.no_meter_found` (the CLI's own test). */
export function isThinEventType(type: string): boolean {
  return /^v\d+\./.test(type);
}

/** The CLI answers only "invalid API base URL" for `http://localhost:…`; say why before it does. */
function checkApiBase(apiBase: string): string {
  let url: URL;
  try {
    url = new URL(apiBase);
  } catch {
    throw new UsageError(`Invalid API base URL: ${apiBase}`);
  }
  if (url.protocol === 'http:' && url.hostname !== '127.0.0.1') {
    throw new UsageError(`The Stripe CLI refuses the API base ${apiBase}.`, {
      hint: 'Over plain http it accepts only http://127.0.0.1[:port] (not localhost).',
    });
  }
  return apiBase;
}

// Lower-case words joined by dots: `payment_intent.succeeded`, `v1.billing.meter.no_meter_found`.
const EVENT_TYPE = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;

/**
 * `'a, b,,c'` (or repeated flags) → ['a', 'b', 'c']; `'*'` → 'all-snapshot'. Deliberately light:
 * the Stripe CLI itself warns about names it does not know; this catches typos in the shape
 * (spaces, capitals, a missing dot) before a child process is started.
 */
export function parseEventList(input: string | readonly string[]): EventSelection {
  const parts = (typeof input === 'string' ? [input] : input)
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter((value) => value !== '');
  // `--events '*'` with `--forward-to` would subscribe to thin events too, and CLI 1.51+ refuses to
  // forward snapshot and thin events to one URL; every snapshot event is what users mean by '*'.
  if (parts.includes('*')) return 'all-snapshot';
  if (parts.length === 0) {
    throw new UsageError('No event types given.', { hint: 'Example: --events payment_intent.succeeded,charge.refunded' });
  }
  const invalid = parts.filter((value) => !EVENT_TYPE.test(value));
  if (invalid.length > 0) {
    throw new UsageError(`Not an event type: ${invalid.join(', ')}`, {
      hint: 'Event types are lower-case words joined by dots, e.g. payment_intent.succeeded (list: https://docs.stripe.com/api/events/types).',
    });
  }
  return [...new Set(parts)];
}
