/**
 * Thin (v2) events: what Stripe delivers to an event destination is a small envelope (id, type,
 * created, the related object's reference); the full event, with its `data`, is read back from
 * `GET /v2/core/events/:id`. Builders are pure and typed against stripe-node's own v2 event types,
 * so a `stripe` upgrade that changes a shape fails the typecheck.
 */
import type Stripe from 'stripe';
import { newId } from './ids.js';

export type ThinEventType = Stripe.V2.Core.Event['type'];

/** The full v2 event as JSON carries it; `fetchRelatedObject` is a method stripe-node adds after parsing. */
export type WireV2Event<T extends ThinEventType> = Omit<Extract<Stripe.V2.Core.Event, { type: T }>, 'fetchRelatedObject'>;

/** The envelope an event destination (and `stripe listen --forward-to`) receives. */
export type ThinEnvelope<T extends ThinEventType> = Omit<Extract<Stripe.V2.Core.EventNotification, { type: T }>, 'fetchEvent' | 'fetchRelatedObject' | 'context'> & { context?: string };

/** Stripe's v2 event ids: `evt_test_` and 44 base62 characters in test mode. */
export function newV2EventId(): string {
  return newId('evt_test', 44);
}

type MeterErrorType = 'v1.billing.meter.error_report_triggered' | 'v1.billing.meter.no_meter_found';
type MeterErrorData = WireV2Event<'v1.billing.meter.no_meter_found'>['data'];
type MeterErrorCode = MeterErrorData['reason']['error_types'][number]['code'];

export interface MeterEventError {
  code: MeterErrorCode;
  message: string;
  /** The meter event's `identifier` (its idempotency key). */
  identifier: string;
}

export interface MeterErrorEventInput {
  /** The meter the events were sent against; only `error_report_triggered` names one (no meter, no related object). */
  meter?: { id: string };
  errors: readonly MeterEventError[];
  /** Milliseconds: when the events were validated. */
  now: number;
  id?: string;
}

/** What Stripe reports about meter events it could not record, grouped by error code. */
function meterErrorData(errors: readonly MeterEventError[], now: number): MeterErrorData {
  const byCode = new Map<MeterErrorCode, MeterEventError[]>();
  for (const error of errors) byCode.set(error.code, [...(byCode.get(error.code) ?? []), error]);
  const count = errors.length;
  return {
    developer_message_summary: `There ${count === 1 ? 'is 1 invalid event' : `are ${count} invalid events`}`,
    reason: {
      error_count: count,
      error_types: [...byCode].map(([code, sample]) => ({
        code,
        error_count: sample.length,
        sample_errors: sample.slice(0, 5).map((error) => ({ error_message: error.message, request: { identifier: error.identifier } })),
      })),
    },
    validation_end: new Date(now).toISOString(),
    validation_start: new Date(now - 60_000).toISOString(),
  };
}

export function meterErrorReportTriggered({ meter, ...input }: MeterErrorEventInput & { meter: { id: string } }): WireV2Event<'v1.billing.meter.error_report_triggered'> {
  const related_object = { id: meter.id, type: 'billing.meter', url: `/v1/billing/meters/${meter.id}` };
  return { ...meterErrorBase(input), related_object, type: 'v1.billing.meter.error_report_triggered' } satisfies WireV2Event<'v1.billing.meter.error_report_triggered'>;
}

export function meterNoMeterFound(input: MeterErrorEventInput): WireV2Event<'v1.billing.meter.no_meter_found'> {
  return { ...meterErrorBase(input), type: 'v1.billing.meter.no_meter_found' } satisfies WireV2Event<'v1.billing.meter.no_meter_found'>;
}

/** What both meter error events have, in the order Stripe sends the fields. */
function meterErrorBase({ errors, now, id = newV2EventId() }: MeterErrorEventInput) {
  return { id, object: 'v2.core.event' as const, created: new Date(now).toISOString(), data: meterErrorData(errors, now), livemode: false };
}

export type MeterErrorEvent = ReturnType<typeof meterErrorReportTriggered> | ReturnType<typeof meterNoMeterFound>;

/** A stored v2 event, whatever its type: the fields every one has. */
export interface V2EventLike {
  id: string;
  object: 'v2.core.event';
  type: string;
  created: string;
  livemode: boolean;
  context?: string;
  related_object?: { id: string; type: string; url: string } | null;
  [key: string]: unknown;
}

/**
 * The envelope of a full event, as delivered: everything but `data` (and `reason`, `changes`),
 * keys in the order Stripe sends them. `context` (a connected account) only on Connect events.
 */
export function meterErrorEnvelope(event: MeterErrorEvent): ThinEnvelope<'v1.billing.meter.error_report_triggered'> | ThinEnvelope<'v1.billing.meter.no_meter_found'> {
  const { id, object, livemode, created } = event;
  if (event.type === 'v1.billing.meter.error_report_triggered') {
    return { id, object, type: event.type, livemode, created, related_object: event.related_object } satisfies ThinEnvelope<'v1.billing.meter.error_report_triggered'>;
  }
  return { id, object, type: event.type, livemode, created } satisfies ThinEnvelope<'v1.billing.meter.no_meter_found'>;
}

export type { MeterErrorType };
