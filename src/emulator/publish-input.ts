/**
 * What can be published: a template type with overrides, or a ready-made event (a replay, or an
 * event a future `stripe trigger` endpoint built). Validation is pure so the control endpoint and
 * tests share it.
 */
import type { StripeEventLike } from '../types.js';
import { isPlainObject } from './deep-merge.js';
import { isSupportedEventType, supportedEventTypes } from './event-templates.js';

export interface PublishInput {
  /** One of supportedEventTypes. */
  type: string;
  /** Deep-merged over the template's data.object. */
  object?: Record<string, unknown>;
  /** Makes it a Connect event (acct_…). */
  account?: string;
}

export type PublishRequest = PublishInput | { event: StripeEventLike };

export type ParsedPublishRequest =
  | { ok: true; request: PublishRequest }
  | { ok: false; message: string; supportedTypes?: readonly string[] };

export function parsePublishRequest(value: unknown): ParsedPublishRequest {
  if (!isPlainObject(value)) return { ok: false, message: 'Expected a JSON object like {"type":"payment_intent.succeeded"}.' };
  if ('event' in value) return parseReadyEvent(value.event);
  const { type, object, account } = value;
  if (typeof type !== 'string') return { ok: false, message: 'Missing "type": the event type to publish.', supportedTypes: supportedEventTypes };
  if (!isSupportedEventType(type)) {
    return { ok: false, message: `Unknown event type "${type}". Supported types: ${supportedEventTypes.join(', ')}.`, supportedTypes: supportedEventTypes };
  }
  if (object !== undefined && !isPlainObject(object)) return { ok: false, message: '"object" must be a JSON object (it is merged over data.object).' };
  if (account !== undefined && (typeof account !== 'string' || !account.startsWith('acct_'))) {
    return { ok: false, message: '"account" must be a connected account id starting with acct_.' };
  }
  return { ok: true, request: { type, ...(object === undefined ? {} : { object }), ...(account === undefined ? {} : { account }) } };
}

function parseReadyEvent(event: unknown): ParsedPublishRequest {
  if (!isPlainObject(event) || typeof event.id !== 'string' || typeof event.type !== 'string' || !isPlainObject(event.data)) {
    return { ok: false, message: '"event" must be an event object with string "id" and "type" and an object "data".' };
  }
  return { ok: true, request: { event: event as StripeEventLike } };
}
