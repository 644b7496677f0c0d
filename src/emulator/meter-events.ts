/**
 * Billing meter events, the v2 way: `POST /v2/billing/meter_event_session` (on the API, with the
 * session key) hands out a short-lived token, and `POST /v2/billing/meter_event_stream` (on
 * meter-events.stripe.com, with that token) takes the events. Events that cannot be recorded are
 * reported as thin events: `v1.billing.meter.no_meter_found` when no active meter has the event's
 * name, `v1.billing.meter.error_report_triggered` (naming the meter) when the payload does not fit
 * it. Stripe reports them a while later; offline they are published before the answer, so a
 * `stripe trigger` that has finished has published everything it caused.
 */
import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { randomAlnum } from './ids.js';
import type { ObjectStore, StoredObject } from './object-store.js';
import { activeMeterFor } from './resources/billing-meters.js';
import type { ApiRoute } from './api-router.js';
import { stripeError, type ApiResponse } from './stripe-errors.js';
import { meterErrorReportTriggered, meterNoMeterFound, type MeterErrorEvent, type MeterEventError } from './thin-events.js';

/** The host the Stripe CLI's meter-event fixtures post to, whatever `--api-base` says. */
export const METER_EVENTS_HOST = 'meter-events.stripe.com';
export const METER_EVENT_STREAM_PATH = '/v2/billing/meter_event_stream';
/** Stripe's meter event sessions last 15 minutes. */
const SESSION_TTL_MS = 15 * 60_000;
const MAX_TOKENS = 1000;

export interface MeterEventsOptions {
  store: ObjectStore;
  now: () => number;
  /** Stores the full event (for `GET /v2/core/events/:id`) and sends its thin envelope. */
  publishThin: (event: MeterErrorEvent) => void;
}

export interface MeterEvents {
  /** `POST /v2/billing/meter_event_session`, behind the session key like every API route. */
  sessionRoute: ApiRoute;
  /** `POST /v2/billing/meter_event_stream` as meter-events.stripe.com answers it: the token is the credential. */
  stream(authorization: string | undefined, body: string): ApiResponse;
}

export function createMeterEvents({ store, now, publishThin }: MeterEventsOptions): MeterEvents {
  // Token → expiry (ms). Bounded: the oldest go first, as they expire first.
  const tokens = new Map<string, number>();

  function createSession(): ApiResponse {
    const created = now();
    const token = `mes_test_${randomAlnum(48)}`;
    tokens.set(token, created + SESSION_TTL_MS);
    if (tokens.size > MAX_TOKENS) tokens.delete(tokens.keys().next().value!);
    const session = {
      id: `mes_test_${randomAlnum(44)}`,
      object: 'v2.billing.meter_event_session',
      authentication_token: token,
      created: new Date(created).toISOString(),
      expires_at: new Date(created + SESSION_TTL_MS).toISOString(),
      livemode: false,
    } satisfies Stripe.V2.Billing.MeterEventSession;
    return { status: 200, body: session };
  }

  function stream(authorization: string | undefined, body: string): ApiResponse {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '')?.[1];
    const expiry = token === undefined ? undefined : tokens.get(token);
    if (expiry === undefined || expiry <= now()) {
      return stripeError(401, 'invalid_request_error', 'The meter event session token is missing, unknown or expired: create one with POST /v2/billing/meter_event_session.', {
        code: 'billing_meter_event_session_expired',
      });
    }
    const events = parseEvents(body);
    if (typeof events === 'string') return stripeError(400, 'invalid_request_error', events);
    reportErrors(events.map((event) => validate(store, event)).filter((result): result is Invalid => result !== undefined));
    return { status: 201, body: {} };
  }

  /** One `no_meter_found` for every event with no meter, one `error_report_triggered` per meter with bad events. */
  function reportErrors(invalid: readonly Invalid[]): void {
    const validatedAt = now();
    const noMeter = invalid.filter((result) => result.meter === undefined).map((result) => result.error);
    if (noMeter.length > 0) publishThin(meterNoMeterFound({ errors: noMeter, now: validatedAt }));
    const byMeter = new Map<string, MeterEventError[]>();
    for (const { meter, error } of invalid) if (meter !== undefined) byMeter.set(meter, [...(byMeter.get(meter) ?? []), error]);
    for (const [id, errors] of byMeter) publishThin(meterErrorReportTriggered({ meter: { id }, errors, now: validatedAt }));
  }

  return {
    sessionRoute: { method: 'POST', path: '/v2/billing/meter_event_session', handler: createSession },
    stream,
  };
}

interface MeterEventInput {
  eventName: string;
  identifier: string;
  payload: Record<string, unknown>;
}

interface Invalid {
  /** The meter it was sent against; undefined when there is none. */
  meter?: string;
  error: MeterEventError;
}

/** The stream's JSON body (`{"events":[{event_name, payload, identifier?, timestamp?}]}`), or why it is not one. */
function parseEvents(body: string): MeterEventInput[] | string {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return 'The body must be JSON: {"events":[{"event_name":"…","payload":{…}}]}.';
  }
  const events = (value as { events?: unknown } | null)?.events;
  if (!Array.isArray(events) || events.length === 0) return 'Missing required param: events.';
  const parsed: MeterEventInput[] = [];
  for (const [index, event] of events.entries()) {
    const { event_name: eventName, payload, identifier } = (event ?? {}) as Record<string, unknown>;
    if (typeof eventName !== 'string' || eventName === '') return `Missing required param: events[${index}].event_name.`;
    if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) return `Missing required param: events[${index}].payload.`;
    // Stripe names each event by its identifier, and makes one up when the sender gave none.
    parsed.push({ eventName, payload: payload as Record<string, unknown>, identifier: typeof identifier === 'string' && identifier !== '' ? identifier : randomUUID() });
  }
  return parsed;
}

/** Why Stripe would not record this event against a meter, or undefined when it would. */
function validate(store: ObjectStore, { eventName, identifier, payload }: MeterEventInput): Invalid | undefined {
  const meter = activeMeterFor(store, eventName);
  if (meter === undefined) return { error: { code: 'no_meter', message: `No active meter was found matching event_name ${eventName}.`, identifier } };
  const customerKey = payloadKey(meter, 'customer_mapping', 'stripe_customer_id');
  const valueKey = payloadKey(meter, 'value_settings', 'value');
  const fail = (code: MeterEventError['code'], message: string): Invalid => ({ meter: meter.id, error: { code, message, identifier } });
  const customer = payload[customerKey];
  if (typeof customer !== 'string' || customer === '') return fail('meter_event_no_customer_defined', `Customer mapping key ${customerKey} not found in payload.`);
  if (store.get('customer', customer) === undefined) return fail('meter_event_customer_not_found', `Customer ${customer} was not found.`);
  const value = payload[valueKey];
  if (value !== undefined && (typeof value !== 'string' || !/^-?\d+(\.\d+)?$/.test(value))) return fail('meter_event_invalid_value', `Value ${String(value)} for key ${valueKey} is not a number.`);
  return undefined;
}

function payloadKey(meter: StoredObject, field: 'customer_mapping' | 'value_settings', fallback: string): string {
  const key = (meter[field] as { event_payload_key?: unknown } | undefined)?.event_payload_key;
  return typeof key === 'string' ? key : fallback;
}
