/**
 * The messages of the Stripe CLI's websocket protocol (`stripecli-devproxy-v1`), built and parsed
 * as pure functions. Shapes follow the CLI's pkg/websocket types.
 */
import { signPayload } from '../signature/sign-payload.js';

export const WEBSOCKET_SUBPROTOCOL = 'stripecli-devproxy-v1';

/** The headers Stripe sends with every webhook; the CLI forwards them to the endpoint as-is. */
export const WEBHOOK_HTTP_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  Accept: '*/*; q=0.5, application/xml',
  'Cache-Control': 'no-cache',
  'Content-Type': 'application/json; charset=utf-8',
  'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
});

export interface WebhookEventMessageInput {
  /** The event exactly as the endpoint will receive it; the signature covers these bytes. */
  payload: string;
  secret: string;
  /** Unix seconds for the signature. */
  timestamp: number;
  webhookId: string;
  conversationId: string;
}

export function buildWebhookEventMessage({ payload, secret, timestamp, webhookId, conversationId }: WebhookEventMessageInput): string {
  return JSON.stringify({
    type: 'webhook_event',
    webhook_id: webhookId,
    webhook_conversation_id: conversationId,
    event_payload: payload,
    http_headers: { ...WEBHOOK_HTTP_HEADERS, 'Stripe-Signature': signPayload(payload, { secret, timestamp }) },
    // A non-null api_version marks a "latest version" copy, which the CLI drops unless run with --latest.
    endpoint: { api_version: null },
  });
}

export interface V2EventMessageInput {
  /** The thin envelope exactly as the event destination will receive it; the signature covers these bytes. */
  payload: string;
  secret: string;
  timestamp: number;
  /** The event destination the CLI acknowledges it for (`webhook_id` of its ack). */
  destinationId: string;
}

/**
 * A thin event for a CLI that asked for `v2_events` (the CLI's StripeV2Event): the CLI forwards
 * `payload` with `http_headers` to its thin destination, signed the same way as snapshot events.
 */
export function buildV2EventMessage({ payload, secret, timestamp, destinationId }: V2EventMessageInput): string {
  return JSON.stringify({
    type: 'v2_event',
    http_headers: { ...WEBHOOK_HTTP_HEADERS, 'Stripe-Signature': signPayload(payload, { secret, timestamp }) },
    payload,
    destination_id: destinationId,
  });
}

export type CliMessage =
  | { type: 'event_ack'; eventId: string; webhookId?: string; conversationId?: string }
  | { type: 'webhook_response'; eventId?: string; status: number; forwardUrl?: string; body?: string }
  | { type: 'unknown'; rawType: string };

/** Returns null for anything that is not a JSON object with a string `type`. */
export function parseCliMessage(text: string): CliMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const message = value as Record<string, unknown>;
  if (typeof message.type !== 'string') return null;
  if (message.type === 'event_ack') {
    if (typeof message.event_id !== 'string') return null;
    return { type: 'event_ack', eventId: message.event_id, webhookId: optionalString(message.webhook_id), conversationId: optionalString(message.webhook_conversation_id) };
  }
  if (message.type === 'webhook_response') {
    return {
      type: 'webhook_response',
      eventId: optionalString(message.notification_id),
      status: typeof message.status === 'number' ? message.status : 0,
      forwardUrl: optionalString(message.forward_url),
      body: optionalString(message.body),
    };
  }
  return { type: 'unknown', rawType: message.type };
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
