/**
 * The `--json` contract. Every line is one record with a `type` and the `schema` version it
 * follows; additions keep the version, a change that could break a reader bumps it. The record
 * types are exported from the package and described in docs/json-output.md.
 */
import type { StripeCliInfo } from '../types.js';
import type { DeliverySourceName } from '../journal/journal-record.js';
import type { DeliveryOutcome } from './delivery-outcome.js';
import type { EventRecord, JsonRecord } from './json-records.js';
import type { ReplayRecord, ReplaySummaryRecord } from './replay-records.js';
import type { JsonValue } from './to-json-safe.js';
import { stringifyRecord } from './stringify-record.js';

export const JSON_SCHEMA_VERSION = 1;

/** `--debug` in JSON mode. */
export interface DebugRecord {
  type: 'debug';
  /** Milliseconds since the process started. */
  elapsedMs: number;
  message: string;
}

/** `webhook-dev trigger --list --json`: the one record it prints. */
export interface TriggersRecord {
  type: 'triggers';
  stripeCli: StripeCliInfo;
  /** `reason`: why a trigger does not run offline (absent for those that do). */
  triggers: { name: string; offline: boolean; reason?: string }[];
}

/** `webhook-dev events --json`: one journaled delivery per line, newest first. */
export interface JournalEntryRecord {
  type: 'delivery';
  receivedAt: string;
  event: { id: string | null; type: string | null };
  verified: boolean;
  outcome: DeliveryOutcome;
  durationMs: number;
  session: string;
  /** The delivery's number in its session. */
  seq: number;
  /** Where it came from: `stripe-cli`, `recovered`, `duplicate`, `retry`, `send` or `replay` (docs/journal.md). */
  source: DeliverySourceName;
}

/** `webhook-dev events show <evt_id> --json`: the payload, and every delivery of it as `listen --json` showed it. */
export interface JournalEventRecord {
  type: 'journaled-event';
  eventId: string;
  payload: JsonValue;
  deliveries: Array<EventRecord & { session: string; seq: number; source: string }>;
}

export type AnyJsonRecord = JsonRecord | DebugRecord | TriggersRecord | JournalEntryRecord | JournalEventRecord | ReplayRecord | ReplaySummaryRecord;

/** What a line of `--json` output is: a record with its schema version. */
export type Versioned<R extends { type: string }> = R & { schema: typeof JSON_SCHEMA_VERSION };

/** `type` first, `schema` second, so a reader (or a person) sees both at the start of every line. */
export function toJsonLine<R extends AnyJsonRecord>(record: R): string {
  const { type, ...rest } = record;
  return stringifyRecord({ type, schema: JSON_SCHEMA_VERSION, ...rest });
}
