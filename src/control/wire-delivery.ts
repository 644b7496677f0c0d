import { toJsonSafe, type JsonValue } from '../render/to-json-safe.js';
import type { DeliveryRecord, HandlerResult } from '../types.js';

/**
 * A DeliveryRecord as it travels over the session's control stream: plain JSON, full event
 * payload included, so another process (`trigger`, later the inspector) can render it exactly as
 * the session did. Unlike the `--json` event record, it is an internal format.
 */
export interface WireDelivery {
  type: 'delivery';
  record: Omit<DeliveryRecord, 'receivedAt' | 'handler'> & {
    receivedAt: string;
    handler?: Omit<HandlerResult, 'outcome'> & { outcome: HandlerResult['outcome'] | { status: 'ok'; value: JsonValue } };
  };
}

export function toWireDelivery(record: DeliveryRecord): WireDelivery {
  const { receivedAt, handler, ...rest } = record;
  const outcome = handler?.outcome;
  return {
    type: 'delivery',
    record: {
      ...rest,
      receivedAt: receivedAt.toISOString(),
      ...(handler
        ? { handler: { ...handler, outcome: outcome?.status === 'ok' ? { status: 'ok', value: toJsonSafe(outcome.value) } : handler.outcome } }
        : {}),
    },
  };
}

export function fromWireDelivery(wire: WireDelivery): DeliveryRecord {
  const { receivedAt, handler, ...rest } = wire.record;
  return { ...rest, receivedAt: new Date(receivedAt), ...(handler ? { handler: handler as HandlerResult } : {}) };
}

export function isWireDelivery(value: unknown): value is WireDelivery {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === 'delivery' && typeof (value as { record?: unknown }).record === 'object';
}

/**
 * Offline sessions: an event the emulator has just sent, so a process following the stream
 * (`trigger`, attached) knows exactly which deliveries to wait for.
 */
export interface WireSent {
  type: 'sent';
  event: { id: string; type: string };
}

/**
 * A session with delivery quirks: whether it now holds a delivery or owes a copy or a retry. Sent
 * when that changes, before the delivery record that caused it, so an attached `trigger` waits for
 * retries exactly as a standalone one does.
 */
export interface WireQuirksBusy {
  type: 'quirks-busy';
  busy: boolean;
}

export function isWireQuirksBusy(value: unknown): value is WireQuirksBusy {
  return (value as { type?: unknown } | null)?.type === 'quirks-busy' && typeof (value as { busy?: unknown }).busy === 'boolean';
}

export function isWireSent(value: unknown): value is WireSent {
  const event = (value as { event?: { id?: unknown; type?: unknown } } | null)?.event;
  return (value as { type?: unknown } | null)?.type === 'sent' && typeof event?.id === 'string' && typeof event.type === 'string';
}
