/**
 * The records that flow from the receiver and the handler runner to the reporters (pretty and
 * JSON). They are plain data so a future journal, inspector or control stream can carry them as-is.
 */
import type { QuirkSettings } from './quirks/quirk-settings.js';
import type { Tamper } from './signature/delivery-headers.js';
import type { RejectionReason } from './signature/verify-signature.js';

/** The minimal shape webhook-dev relies on; handlers see the full `Stripe.Event`. */
export interface StripeEventLike {
  id: string;
  object: 'event';
  type: string;
  created: number;
  livemode: boolean;
  api_version?: string | null;
  account?: string;
  data: { object: Record<string, unknown> & { id?: string; object?: string }; previous_attributes?: Record<string, unknown> };
  [key: string]: unknown;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * Where a handler's line came from: `ctx.log` (absent, the default), `console.*`, or a direct
 * `process.stdout`/`process.stderr` write. Everything a handler prints during a delivery is kept
 * under that delivery instead of reaching the session's own output.
 */
export type LogSource = 'console' | 'stdout' | 'stderr';

export interface LogLine {
  level: LogLevel;
  message: string;
  /** Milliseconds since the handler started. */
  elapsedMs: number;
  /** Absent for `ctx.log` lines. */
  source?: LogSource;
}

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  stack?: string;
  /** The first stack frame in the user's own code: `src/webhooks.ts:12:11`, relative to cwd. */
  location?: string;
  /** That source line's text, trimmed, when it could be read. */
  sourceLine?: string;
}

export type HandlerOutcome =
  | { status: 'ok'; value: unknown }
  | { status: 'error'; error: SerializedError }
  | { status: 'timeout'; timeoutMs: number }
  /** No handler for this event type in the handler map (and no '*'): acknowledged with 200. */
  | { status: 'unhandled' };

export interface HandlerResult {
  outcome: HandlerOutcome;
  durationMs: number;
  logs: LogLine[];
}

export interface DeliveryRecord {
  /** Wall-clock time the delivery reached the receiver. */
  receivedAt: Date;
  /** The HTTP status the receiver answered. */
  status: number;
  verified: boolean;
  rejection?: { reason: RejectionReason | 'invalid_json'; message: string };
  /** Present when the body parsed as JSON (verified or not, so a rejection can still name the event). */
  event?: StripeEventLike;
  /** 1 for a first delivery; counts redeliveries of the same event id in this session. */
  attempt: number;
  /** Absent in inspect mode (no handler) and for rejected deliveries. */
  handler?: HandlerResult;
  /** With --forward-to: what the user's app answered (after the handler, if both are used). */
  forward?: ForwardResult;
  /** Receipt to answer, in milliseconds. */
  durationMs: number;
  /** Not sent by the Stripe CLI: found in Stripe's Events API after the CLI stalled, and delivered by webhook-dev. */
  recovered?: true;
  /** Not from the Stripe CLI: a payload `webhook-dev send` or `replay` gave the session's control interface. */
  origin?: 'send' | 'replay';
  /** What the delivery quirks (--duplicate, --retry, --delay, --shuffle) made of this delivery. */
  quirks?: DeliveryQuirks;
}

/** How a delivery quirk shaped one delivery; a retry's attempt number is the record's `attempt`. */
export interface DeliveryQuirks {
  /** A second delivery of an event already delivered, byte-identical but for a fresh signature. */
  duplicate?: true;
  /** Made again because an earlier attempt failed (`--retry`). */
  retry?: true;
  /** Held this long before it was handed over (`--delay`). */
  delayedMs?: number;
  /** Handed over in another place than it arrived in, among the deliveries of its window (`--shuffle`). */
  reordered?: true;
}

/** What the delivery quirks did in a session: the summary's proof that the handler met them. */
export interface QuirkSummary {
  settings: QuirkSettings;
  /** Copies delivered (`--duplicate`). */
  duplicates: number;
  /** Deliveries handed over out of their arrival order (`--shuffle`). */
  reordered: number;
  /** Deliveries held before being handed over (`--delay`). */
  delayed: number;
  /** Re-deliveries made after a failure (`--retry`). */
  retries: number;
  /** Events that failed and then succeeded on a retry, with the attempt that succeeded. */
  succeeded: QuirkEventAttempt[];
  /** Events that still failed at the last attempt allowed (--max-attempts). */
  givenUp: QuirkEventAttempt[];
  /** The session closed before these retries were made: `attempt` is the one that was due. */
  notRetried: QuirkEventAttempt[];
}

export interface QuirkEventAttempt {
  eventId: string;
  eventType: string;
  attempt: number;
}

export type StripeCliSource = 'flag' | 'env' | 'path' | 'package';

export interface StripeCliInfo {
  path: string;
  version: string;
  source: StripeCliSource;
}

export interface ReadyInfo {
  receiverUrl: string;
  stripeCli: StripeCliInfo;
  /** The API version the Stripe CLI reported in its Ready line, when it gave one. */
  apiVersion?: string;
  /** Explicit event types, or the catch-all the CLI was given. */
  events: string[] | 'all-snapshot';
  /** Where the event selection came from. */
  eventsSource: 'flag' | 'handler' | 'all';
  handlerPath?: string;
  /** The real secret; reporters mask it unless showSecret. */
  secret: string;
  showSecret: boolean;
  offline: boolean;
  apiBase?: string;
  /** Offline only: where to POST `{"type": "…"}` to publish an event into the session. */
  publishUrl?: string;
  /**
   * Offline only: the session's key, which every request to the emulator must carry
   * (`Authorization: Bearer …`). Secret: reporters mask it unless showSecret.
   */
  offlineApiKey?: string;
  /** Offline only: the emulator's Unix socket, for an attached `stripe trigger` (meter events). */
  offlineSocket?: string;
  /** Offline, with a session file: a curl config (`curl -K FILE URL`) that sends the session's token. */
  publishCurlConfig?: string;
  /** `--forward-to`: the user's app, which gets every verified delivery. */
  forwardTo?: string;
  /** Where this session keeps its deliveries (absent with --no-journal), and its id there. */
  journal?: { dir: string; session: string };
  /** The delivery quirks in force, with the seed that repeats them. */
  quirks?: QuirkSettings;
}

export interface SessionSummary {
  /** Deliveries received, rejected ones included. */
  events: number;
  ok: number;
  /** Handler threw, rejected or timed out. */
  failed: number;
  /** Failed signature verification (or was not JSON): answered 400, never reached the handler. */
  rejected: number;
  /** Failures that were the app's (`--forward-to`), by what it did: `{ "the app answered 400": 3 }`. */
  appFailures?: Record<string, number>;
  durationMs: number;
  /** With delivery quirks on: what they injected. */
  quirks?: QuirkSummary;
  /** The exit code the process is about to use, and why the session ended. */
  exitCode: number;
  reason: 'SIGINT' | 'SIGTERM' | 'SIGHUP' | 'output-closed' | 'error' | 'stripe-cli-exited' | 'app-exited' | 'closed';
}

export type NoticeLevel = 'info' | 'warn';

/** How webhook-dev knew the Stripe CLI had stopped delivering (see judge-listen-health.ts). */
export type StallCause = 'exited' | 'stopped' | 'silent' | 'clock-jump';

/** The Stripe CLI stalled or died (`started`), or a replacement is ready (`ended`). */
export type StallReport =
  | {
      phase: 'started';
      cause: StallCause;
      /** What was seen: "no websocket keep-alive for 6.0 s". */
      detail: string;
      /** From when events may have been missed (wall clock). */
      since: Date;
      pid: number;
      /** false: it is not replaced and the session ends (`trigger`). */
      restarting: boolean;
    }
  | {
      phase: 'ended';
      cause: StallCause;
      detail: string;
      since: Date;
      /** The replacement's pid. */
      pid: number;
      /** From `since` to the replacement being ready. */
      durationMs: number;
      /** Restart attempts it took. */
      attempts: number;
      secretChanged: boolean;
    };

/** What the catch-up after a stall found and delivered. */
export interface CatchUpReport {
  /** The window searched (event `created` times). */
  since: Date;
  until: Date;
  /** Delivered now, marked recovered. */
  recovered: number;
  /** Listed, but this session had already received them. */
  alreadyReceived: number;
  /** Recovered events the receiver did not take (their ids). */
  failed: string[];
  /** Part of the window Stripe no longer lists (it keeps events 30 days). */
  tooOld?: { since: Date; until: Date };
  /** Could not list at all: why. */
  error?: string;
}

/** `handler-load`: the handler never loaded, so the trigger was not run (exit 10, 11 or 12, as the load error says). */
export type TriggerVerdict = 'passed' | 'handler-load' | 'trigger-failed' | 'verification-failed' | 'handler-failed' | 'timeout';

export interface TriggerFailure {
  verdict: Exclude<TriggerVerdict, 'passed'>;
  message: string;
  /** The event the failure is about, when there is one. */
  eventType?: string;
  eventId?: string;
  /** The handler's own location and source line. */
  details?: string[];
}

/** One `stripe trigger` and what came of it: the unit `webhook-dev trigger` reports and exits on. */
export interface TriggerReport {
  trigger: string;
  /** Event types that had to arrive. */
  expected: string[];
  verdict: TriggerVerdict;
  failures: TriggerFailure[];
  /** Every delivery in the trigger's window, in arrival order. */
  deliveries: DeliveryRecord[];
  missing: string[];
  stripe: { ok: boolean; exitCode: number | undefined; message?: string };
  durationMs: number;
}

/** What the user's app answered when a verified delivery was forwarded to it (`--forward-to`). */
export type ForwardOutcome =
  | {
      status: 'response';
      statusCode: number;
      /** Response headers, lower-cased names. */
      headers: Record<string, string>;
      /** The first bytes of the body as text (see bodyTruncated). */
      body: string;
      bodyTruncated: boolean;
    }
  | {
      status: 'failed';
      kind: 'connection-refused' | 'timeout' | 'tls' | 'dns' | 'reset' | 'other';
      message: string;
    };

/** Why the app probably rejected an event that webhook-dev itself verified. */
export interface ForwardDiagnosis {
  cause: 'secret-mismatch-or-parsed-body' | 'parsed-body' | 'secret-mismatch' | 'timestamp' | 'signature-header' | 'redirect' | 'app-error' | 'unknown';
  /** One sentence for the event block. */
  summary: string;
  /** What to check or change, most likely first. */
  hints: string[];
  /** The same cause was already explained in this session, under this event id: show a one-line reference. */
  repeatOf?: string;
}

/** A line the app (`-- COMMAND`) printed that webhook-dev attributes to one delivery. */
export interface AttributedLine {
  stream: 'stdout' | 'stderr';
  /** Secrets masked, terminal codes removed. */
  line: string;
  /** 'event-id': the line names the event; 'in-flight': printed while only this delivery was at the app (or just after); 'shared': while others were too. */
  how: 'event-id' | 'in-flight' | 'shared';
}

/** What gave away that a 2xx answer was not a success. */
export interface ForwardRefusal {
  source: 'body' | 'app-output';
  /** The words that gave it away: a JSON fragment of the body, or the app's line. */
  quote: string;
}

export interface ForwardResult {
  url: string;
  outcome: ForwardOutcome;
  durationMs: number;
  /** Present when the app answered 3xx, 4xx or 5xx, the forward failed, or a 2xx said otherwise. */
  diagnosis?: ForwardDiagnosis;
  /** A 2xx whose body or the app's own output at that moment reported a failure: the forward failed. */
  refusal?: ForwardRefusal;
  /** With `-- COMMAND`: the app's output lines attributed to this delivery. */
  appOutput?: AttributedLine[];
}

/** `webhook-dev send`: one payload sent to an app (`--forward-to`) or through a running session, and whether the target behaved. */
export interface SendReport {
  /** `app`: --forward-to; `session`: through the running listen; `handler`: --handler, a session of its own. */
  target: 'app' | 'session' | 'handler';
  /** The app's URL, the session's receiver, or the handler file as given. */
  url: string;
  /** Where the payload came from: a file, `stdin`, or `<type> (template)`. */
  from: string;
  tamper?: Tamper;
  /** What a correct endpoint does with it: accept a well-signed (or recent enough) delivery, refuse a tampered one. */
  expected: 'accept' | 'refuse';
  /** The delivery as the session recorded it, or as the app answered it. */
  record: DeliveryRecord;
  passed: boolean;
  exitCode: number;
  /** One sentence: what the target did and whether that was right. */
  message: string;
  /** Why it matters and what to change, when it failed. */
  details: string[];
}
