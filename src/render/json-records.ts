import { stripVTControlCharacters } from 'node:util';
import { maskSecret, redactSecrets } from '../secrets.js';
import type { QuirkSettings } from '../quirks/quirk-settings.js';
import type { CatchUpReport, DeliveryQuirks, DeliveryRecord, QuirkSummary, ForwardResult, StallCause, StallReport, NoticeLevel, ReadyInfo, SendReport, SerializedError, SessionSummary, StripeCliInfo, TriggerFailure, TriggerReport, TriggerVerdict } from '../types.js';
import { deliveryOutcome, type DeliveryOutcome } from './delivery-outcome.js';
import { serializeFailure, type SerializedFailure } from './format-error.js';
import { toJsonSafe, type JsonValue } from './to-json-safe.js';

/**
 * The NDJSON contract (`--json`): one record per line on stdout. Every key is always present
 * (null when there is nothing to say) so `jq '.error.message'` never needs a guard. Adding keys is
 * compatible; renaming or removing them is a breaking change.
 */
export interface ReadyRecord {
  type: 'ready';
  receiverUrl: string;
  secret: string;
  stripeCli: StripeCliInfo;
  apiVersion: string | null;
  events: string[] | 'all-snapshot';
  eventsSource: ReadyInfo['eventsSource'];
  handler: string | null;
  offline: boolean;
  apiBase: string | null;
  /** Offline only: POST {"type": "…"} here to publish an event into the session. */
  publishUrl: string | null;
  /** Offline only: the key every emulator request must carry; masked unless --show-secret. */
  offlineApiKey: string | null;
  /** Offline, with a session file: `curl -K <this> <publishUrl> -d …` sends the session's token. */
  publishCurlConfig: string | null;
  forwardTo: string | null;
  /** Where the session keeps its deliveries, and its session id there (the `session` of `events --json`); null with --no-journal. */
  journal: { dir: string; session: string } | null;
  /** The delivery quirks in force and the seed that repeats them (docs/quirks.md); null when none. */
  quirks: QuirkSettings | null;
}

export interface EventRecordEvent {
  id: string;
  type: string;
  created: number;
  livemode: boolean;
  account: string | null;
  objectId: string | null;
}

export interface HandlerErrorRecord {
  name: string;
  message: string;
  code: string | null;
  location: string | null;
  sourceLine: string | null;
}

export interface EventRecord {
  type: 'event';
  receivedAt: string;
  event: EventRecordEvent | null;
  attempt: number;
  verified: boolean;
  rejection: { reason: string; message: string } | null;
  status: number;
  outcome: DeliveryOutcome;
  value: JsonValue;
  error: HandlerErrorRecord | null;
  durationMs: number;
  handlerDurationMs: number | null;
  /** `source`: `ctx` for ctx.log, else `console`, `stdout` or `stderr` (what the handler printed). */
  logs: Array<{ level: string; message: string; elapsedMs: number; source: string }>;
  /** `--forward-to`: what the app answered, or why it could not be reached. */
  forward: ForwardRecord | null;
  /** Not sent by the Stripe CLI: found in Stripe's Events API after it stalled, and delivered by webhook-dev. */
  recovered: boolean;
  /** What a delivery quirk made of this delivery (docs/quirks.md); null when none touched it. */
  quirks: QuirksRecord | null;
}

export interface QuirksRecord {
  duplicate: boolean;
  retry: boolean;
  delayedMs: number | null;
  reordered: boolean;
}

export interface ForwardRecord {
  url: string;
  status: number | null;
  durationMs: number;
  /** The first bytes of the app's answer (see bodyTruncated), secrets masked. */
  body: string | null;
  bodyTruncated: boolean;
  location: string | null;
  failure: { kind: string; message: string } | null;
  /** `repeatOf`: the event under which this cause was first explained in the session (pretty output shortens repeats). */
  diagnosis: { cause: string; summary: string; hints: string[]; repeatOf: string | null } | null;
  /** A 2xx judged failed, and what gave it away (see docs/forwarding.md). */
  refusal: { source: 'body' | 'app-output'; quote: string } | null;
  /** With `-- COMMAND`: the app's lines attributed to this delivery, and how. */
  appOutput: Array<{ stream: 'stdout' | 'stderr'; line: string; how: string }>;
}

export interface AppOutputRecord {
  type: 'app';
  stream: 'stdout' | 'stderr';
  line: string;
}

export interface NoticeRecord {
  type: 'notice';
  level: NoticeLevel;
  message: string;
}

export type ErrorRecord = { type: 'error' } & SerializedFailure;

/** `appFailures` is always there in records (`{}` when none). */
export type SummaryRecord = { type: 'summary' } & Omit<SessionSummary, 'quirks'> & { quirks?: QuirkSummary | null };

export interface TriggerRecord {
  type: 'trigger';
  trigger: string;
  expected: string[];
  outcome: TriggerVerdict;
  /** `stripe trigger`'s exit code (null when it was stopped), and its failure text. */
  stripeExitCode: number | null;
  stripeMessage: string | null;
  /** The deliveries attributed to this trigger, in arrival order (full records came as `event` lines). */
  events: Array<{ id: string | null; type: string | null; outcome: DeliveryOutcome }>;
  missing: string[];
  failures: Array<{ verdict: TriggerFailure['verdict']; message: string; eventType: string | null; eventId: string | null; details: string[] }>;
  durationMs: number;
}

/** `webhook-dev send`: what the target did with the payload, and whether that was right. */
export interface SendRecord {
  type: 'send';
  target: SendReport['target'];
  /** The app's URL, the session's receiver, or the handler file as given. */
  url: string;
  /** A file, `stdin`, or `<type> (template)`. */
  from: string;
  event: EventRecordEvent | null;
  tamper: { kind: string; seconds: number | null } | null;
  expected: SendReport['expected'];
  outcome: 'passed' | 'failed';
  exitCode: number;
  message: string;
  details: string[];
  /** The HTTP status the target answered (502 when the app could not be reached). */
  status: number;
  /** `--forward-to`: the app's answer, as in an event record. */
  forward: ForwardRecord | null;
  /** Attached or `--handler`: the delivery as the session recorded it (the event record its own --json printed). */
  delivery: EventRecord | null;
  /** With delivery quirks (docs/quirks.md): this delivery's attempt (2… for a --retry) and what the quirks made of it. */
  attempt: number;
  quirks: QuirksRecord | null;
}

/** The Stripe CLI stalled or died (`started`), or its replacement is ready (`ended`). */
export interface StallRecord {
  type: 'stall';
  phase: 'started' | 'ended';
  cause: StallCause;
  /** What was seen, e.g. "no websocket keep-alive for 6.0 s". */
  detail: string;
  /** ISO time from which events may have been missed. */
  since: string;
  /** The stalled CLI's pid (`started`), the replacement's (`ended`). */
  pid: number;
  /** `started`: whether it is replaced (false: the session ends). */
  restarting: boolean | null;
  /** `ended`: from `since` to the replacement being ready. */
  durationMs: number | null;
  attempts: number | null;
  secretChanged: boolean | null;
}

/** After a stall, online: what the Events API listed for the gap and what was delivered again. */
export interface CatchUpRecord {
  type: 'catch-up';
  since: string;
  until: string;
  recovered: number;
  alreadyReceived: number;
  failed: string[];
  /** The part of the gap older than Stripe keeps events (30 days). */
  tooOld: { since: string; until: string } | null;
  error: string | null;
}

/** `send` and `replay` without a session, with delivery quirks: what they injected (docs/quirks.md). */
export type QuirkSummaryRecord = { type: 'quirks' } & QuirkSummary;

export type JsonRecord = ReadyRecord | EventRecord | NoticeRecord | ErrorRecord | SummaryRecord | TriggerRecord | AppOutputRecord | SendRecord | StallRecord | CatchUpRecord | QuirkSummaryRecord;

export function toQuirkSummaryRecord(summary: QuirkSummary): QuirkSummaryRecord {
  return { type: 'quirks', ...summary };
}

export function toStallRecord(report: StallReport): StallRecord {
  return {
    type: 'stall',
    phase: report.phase,
    cause: report.cause,
    detail: redactSecrets(report.detail),
    since: isoOrNull(report.since) ?? '',
    pid: report.pid,
    restarting: report.phase === 'started' ? report.restarting : null,
    durationMs: report.phase === 'ended' ? roundMs(report.durationMs) : null,
    attempts: report.phase === 'ended' ? report.attempts : null,
    secretChanged: report.phase === 'ended' ? report.secretChanged : null,
  };
}

export function toCatchUpRecord(report: CatchUpReport): CatchUpRecord {
  return {
    type: 'catch-up',
    since: isoOrNull(report.since) ?? '',
    until: isoOrNull(report.until) ?? '',
    recovered: report.recovered,
    alreadyReceived: report.alreadyReceived,
    failed: [...report.failed],
    tooOld: report.tooOld === undefined ? null : { since: isoOrNull(report.tooOld.since) ?? '', until: isoOrNull(report.tooOld.until) ?? '' },
    error: report.error === undefined ? null : redactSecrets(report.error),
  };
}

export function toReadyRecord(info: ReadyInfo): ReadyRecord {
  return {
    type: 'ready',
    receiverUrl: info.receiverUrl,
    secret: info.showSecret ? info.secret : maskSecret(info.secret),
    stripeCli: { path: info.stripeCli.path, version: info.stripeCli.version, source: info.stripeCli.source },
    apiVersion: info.apiVersion ?? null,
    events: Array.isArray(info.events) ? [...info.events] : info.events,
    eventsSource: info.eventsSource,
    handler: info.handlerPath ?? null,
    offline: info.offline,
    apiBase: info.apiBase ?? null,
    publishUrl: info.publishUrl ?? null,
    offlineApiKey: info.offlineApiKey === undefined ? null : info.showSecret ? info.offlineApiKey : maskSecret(info.offlineApiKey),
    publishCurlConfig: info.publishCurlConfig ?? null,
    forwardTo: info.forwardTo ?? null,
    journal: info.journal === undefined ? null : { dir: info.journal.dir, session: info.journal.session },
    quirks: info.quirks ?? null,
  };
}

export function toEventRecord(record: DeliveryRecord): EventRecord {
  const handler = record.handler;
  const outcome = handler?.outcome;
  return {
    type: 'event',
    receivedAt: isoOrNull(record.receivedAt) ?? '',
    event: record.event === undefined ? null : describeEvent(record.event),
    attempt: record.attempt,
    verified: record.verified,
    rejection: record.rejection === undefined ? null : { reason: record.rejection.reason, message: redactSecrets(record.rejection.message) },
    status: record.status,
    outcome: deliveryOutcome(record),
    value: outcome?.status === 'ok' ? toJsonSafe(outcome.value) : null,
    error: outcome?.status === 'error' ? describeHandlerError(outcome.error) : null,
    durationMs: roundMs(record.durationMs),
    handlerDurationMs: handler === undefined ? null : roundMs(handler.durationMs),
    logs: (handler?.logs ?? []).map((log) => ({ level: log.level, message: redactSecrets(String(log.message)), elapsedMs: roundMs(log.elapsedMs), source: log.source ?? 'ctx' })),
    forward: record.forward === undefined ? null : toForwardRecord(record.forward),
    recovered: record.recovered === true,
    quirks: record.quirks === undefined ? null : toQuirksRecord(record.quirks),
  };
}

function toQuirksRecord(quirks: DeliveryQuirks): QuirksRecord {
  return { duplicate: quirks.duplicate === true, retry: quirks.retry === true, delayedMs: quirks.delayedMs ?? null, reordered: quirks.reordered === true };
}

export function toTriggerRecord(report: TriggerReport): TriggerRecord {
  return {
    type: 'trigger',
    trigger: report.trigger,
    expected: [...report.expected],
    outcome: report.verdict,
    stripeExitCode: report.stripe.exitCode ?? null,
    stripeMessage: report.stripe.message === undefined ? null : redactSecrets(report.stripe.message),
    events: report.deliveries.map((record) => ({ id: record.event?.id ?? null, type: record.event?.type ?? null, outcome: deliveryOutcome(record) })),
    missing: [...report.missing],
    failures: report.failures.map((failure) => ({
      verdict: failure.verdict,
      message: redactSecrets(failure.message),
      eventType: failure.eventType ?? null,
      eventId: failure.eventId ?? null,
      details: (failure.details ?? []).map(redactSecrets),
    })),
    durationMs: report.durationMs,
  };
}

export function toSendRecord(report: SendReport): SendRecord {
  const record = report.record;
  return {
    type: 'send',
    target: report.target,
    url: report.url,
    from: report.from,
    event: record.event === undefined ? null : describeEvent(record.event),
    tamper: report.tamper === undefined ? null : { kind: report.tamper.kind, seconds: report.tamper.kind === 'stale' ? report.tamper.seconds : null },
    expected: report.expected,
    outcome: report.passed ? 'passed' : 'failed',
    exitCode: report.exitCode,
    message: redactSecrets(report.message),
    details: report.details.map(redactSecrets),
    status: record.status,
    forward: report.target === 'app' && record.forward !== undefined ? toForwardRecord(record.forward) : null,
    delivery: report.target === 'app' ? null : toEventRecord(record),
    attempt: record.attempt,
    quirks: record.quirks === undefined ? null : toQuirksRecord(record.quirks),
  };
}

function toForwardRecord(forward: ForwardResult): ForwardRecord {
  const outcome = forward.outcome;
  const diagnosis = forward.diagnosis;
  return {
    url: forward.url,
    status: outcome.status === 'response' ? outcome.statusCode : null,
    durationMs: roundMs(forward.durationMs),
    body: outcome.status === 'response' ? redactSecrets(outcome.body) : null,
    bodyTruncated: outcome.status === 'response' && outcome.bodyTruncated,
    location: outcome.status === 'response' ? (outcome.headers.location ?? null) : null,
    failure: outcome.status === 'failed' ? { kind: outcome.kind, message: redactSecrets(outcome.message) } : null,
    diagnosis:
      diagnosis === undefined
        ? null
        : { cause: diagnosis.cause, summary: redactSecrets(diagnosis.summary), hints: diagnosis.hints.map(redactSecrets), repeatOf: diagnosis.repeatOf ?? null },
    refusal: forward.refusal === undefined ? null : { source: forward.refusal.source, quote: cleanLine(forward.refusal.quote) },
    appOutput: (forward.appOutput ?? []).map((line) => ({ stream: line.stream, line: cleanLine(line.line), how: line.how })),
  };
}

export function toAppOutputRecord(stream: 'stdout' | 'stderr', line: string): AppOutputRecord {
  return { type: 'app', stream, line: cleanLine(line) };
}

/** An app's line for a machine: secrets masked, colour codes gone (NestJS colours its logs even into a pipe). */
function cleanLine(line: string): string {
  return redactSecrets(stripVTControlCharacters(line));
}

export function toNoticeRecord(message: string, level: NoticeLevel = 'info'): NoticeRecord {
  return { type: 'notice', level, message: redactSecrets(message) };
}

export function toErrorRecord(error: unknown): ErrorRecord {
  return { type: 'error', ...serializeFailure(error) };
}

export function toSummaryRecord(summary: SessionSummary): SummaryRecord {
  return {
    type: 'summary',
    events: summary.events,
    ok: summary.ok,
    failed: summary.failed,
    rejected: summary.rejected,
    appFailures: summary.appFailures ?? {},
    durationMs: summary.durationMs,
    exitCode: summary.exitCode,
    reason: summary.reason,
    quirks: summary.quirks ?? null,
  };
}

/** Hundredths of a millisecond: more digits than that are timer noise, and long floats are hard to read. */
function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** Only what identifies the event: the full payload is the handler's business, and large. */
function describeEvent(event: DeliveryRecord['event'] & object): EventRecordEvent {
  // A thin (v2) event has no data, only a reference to its object, and an ISO `created`.
  const object: unknown = event.data?.object ?? event['related_object'];
  const objectId = typeof object === 'object' && object !== null ? (object as { id?: unknown }).id : undefined;
  return {
    id: String(event.id),
    type: String(event.type),
    created: typeof event.created === 'number' ? event.created : typeof event.created === 'string' ? Math.floor(Date.parse(event.created) / 1000) : Number(event.created),
    livemode: event.livemode === true,
    account: typeof event.account === 'string' ? event.account : null,
    objectId: typeof objectId === 'string' ? objectId : null,
  };
}

/** The stack stays out: it is long, machine-specific, and the location already points at the line. */
function describeHandlerError(error: SerializedError): HandlerErrorRecord {
  return {
    name: error.name,
    message: redactSecrets(error.message),
    code: error.code ?? null,
    location: error.location ?? null,
    sourceLine: error.sourceLine === undefined ? null : redactSecrets(error.sourceLine),
  };
}

function isoOrNull(date: Date): string | null {
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
