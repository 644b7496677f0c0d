import { ExitCode, isWebhookDevError, type WebhookDevError } from '../errors.js';
import { causeKey } from '../forwarder/cause-key.js';
import { forwardFailed } from '../forwarder/judge-answer.js';
import { formatDuration } from '../render/format-duration.js';
import type { DeliveryRecord, ForwardDiagnosis, ForwardResult, TriggerFailure, TriggerReport, TriggerVerdict } from '../types.js';

export type { TriggerFailure, TriggerVerdict };

export interface TriggerVerdictInput {
  stripeOk: boolean;
  /** `Trigger failed: …` as the Stripe CLI said it. */
  stripeMessage?: string;
  deliveries: readonly DeliveryRecord[];
  missing: readonly string[];
  timeoutMs: number;
  /** `--status-only`: a 2xx from the app passes whatever its body or output said. */
  statusOnly?: boolean;
}

export interface TriggerResultSummary {
  verdict: TriggerVerdict;
  failures: TriggerFailure[];
}

/** Most serious first: it decides a trigger's verdict and the exit code of a run of several. */
const SEVERITY: readonly TriggerVerdict[] = ['handler-load', 'trigger-failed', 'verification-failed', 'handler-failed', 'timeout', 'passed'];

export const VERDICT_EXIT_CODE: Record<TriggerVerdict, number> = {
  passed: ExitCode.OK,
  'handler-load': ExitCode.HANDLER_LOAD_FAILED,
  'trigger-failed': ExitCode.TRIGGER_FAILED,
  'verification-failed': ExitCode.TRIGGER_VERIFICATION_FAILED,
  'handler-failed': ExitCode.TRIGGER_HANDLER_FAILED,
  timeout: ExitCode.TRIGGER_TIMEOUT,
};

/** Every failure of one trigger, and the verdict they add up to. Pure. */
export function judgeTrigger({ stripeOk, stripeMessage, deliveries, missing, timeoutMs, statusOnly = false }: TriggerVerdictInput): TriggerResultSummary {
  const failures: TriggerFailure[] = [];
  const explained = new Set<string>();
  if (!stripeOk) {
    failures.push({ verdict: 'trigger-failed', message: `stripe trigger failed: ${stripeMessage ?? 'no message'}` });
  }
  const byRecord = deliveries.map((record) => ({ record, failures: recordFailures(record, statusOnly, explained) }));
  const cured = curedByRetry(byRecord);
  for (const { record, failures: found } of byRecord) {
    if (!cured(record)) failures.push(...found);
  }
  // A failed fixture explains missing events by itself; do not report them twice.
  if (stripeOk && missing.length > 0) {
    failures.push({ verdict: 'timeout', message: `no ${missing.join(', ')} event within ${formatDuration(timeoutMs)}` });
  }
  return { verdict: worstVerdict(failures.map((failure) => failure.verdict)), failures };
}

function recordFailures(record: DeliveryRecord, statusOnly: boolean, explained: Set<string>): TriggerFailure[] {
  const failures: TriggerFailure[] = [];
  const about = { ...(record.event ? { eventType: record.event.type, eventId: record.event.id } : {}) };
  if (record.rejection) {
    failures.push({ verdict: 'verification-failed', message: `${record.event?.type ?? 'a delivery'} was rejected: ${record.rejection.message}`, ...about });
    return failures;
  }
  const outcome = record.handler?.outcome;
  if (outcome?.status === 'error') {
    const details = [outcome.error.location ? `at ${outcome.error.location}` : undefined, outcome.error.sourceLine].filter((line): line is string => line !== undefined);
    failures.push({ verdict: 'handler-failed', message: `${record.event?.type} handler threw ${outcome.error.name}: ${outcome.error.message}`, details, ...about });
  } else if (outcome?.status === 'timeout') {
    failures.push({ verdict: 'handler-failed', message: `${record.event?.type} handler timed out after ${outcome.timeoutMs} ms`, ...about });
  }
  // Forwarding: the app is the handler; its refusal fails the trigger like a throw would.
  const forward = record.forward && statusOnly ? withoutRefusal(record.forward) : record.forward;
  if (forward && forwardFailed(forward)) {
    failures.push({ verdict: 'handler-failed', message: appFailureMessage(forward, record.event?.type), details: diagnosisLines(forward.diagnosis, explained), ...about });
  }
  return failures;
}

/**
 * With --retry, an event whose retry succeeded within the run was handled, as it would be at
 * Stripe: its earlier failed attempts are shown but do not fail the trigger. A duplicate copy
 * that fails still does (the handler is not idempotent), and so does an event given up on.
 */
function curedByRetry(byRecord: ReadonlyArray<{ record: DeliveryRecord; failures: readonly TriggerFailure[] }>): (record: DeliveryRecord) => boolean {
  const succeededOn = new Map<string, number>();
  for (const { record, failures } of byRecord) {
    const id = record.event?.id;
    if (record.quirks?.retry && failures.length === 0 && id !== undefined) succeededOn.set(id, Math.max(succeededOn.get(id) ?? 0, record.attempt));
  }
  return (record) => {
    const attempt = record.event === undefined ? undefined : succeededOn.get(record.event.id);
    return attempt !== undefined && record.quirks?.duplicate !== true && record.verified && record.attempt < attempt;
  };
}

/** `the app answered 200 for payment_intent.succeeded but said: "⚠️  Webhook signature verification failed…"`. */
function appFailureMessage(forward: ForwardResult, eventType: string | undefined): string {
  const outcome = forward.outcome;
  if (outcome.status === 'failed') return `the app could not be reached for ${eventType} (${outcome.message})`;
  const refusal = forward.refusal;
  if (outcome.statusCode < 300 && refusal) {
    return `the app answered ${outcome.statusCode} for ${eventType} but ${refusal.source === 'body' ? 'its body says' : 'said'}: ${refusal.quote}`;
  }
  return `the app answered ${outcome.statusCode} for ${eventType}`;
}

/** The full diagnosis the first time a cause comes up in a trigger, its one-line summary after that. */
function diagnosisLines(diagnosis: ForwardDiagnosis | undefined, explained: Set<string>): string[] {
  if (diagnosis === undefined) return [];
  const key = causeKey(diagnosis);
  if (explained.has(key)) return [`${diagnosis.summary} (see above)`];
  explained.add(key);
  return [diagnosis.summary, ...diagnosis.hints];
}

function withoutRefusal({ refusal: _refusal, diagnosis, ...forward }: ForwardResult): ForwardResult {
  const statusFailed = forward.outcome.status === 'failed' || forward.outcome.statusCode >= 300;
  return { ...forward, ...(diagnosis && statusFailed ? { diagnosis } : {}) };
}

const HANDLER_LOAD_CODES: ReadonlySet<string> = new Set(['HANDLER_NOT_FOUND', 'HANDLER_LOAD_FAILED', 'HANDLER_INVALID']);

export function isHandlerLoadFailure(error: unknown): error is WebhookDevError {
  return isWebhookDevError(error) && HANDLER_LOAD_CODES.has(error.code);
}

/** The handler never loaded: no trigger ran, and each says so once, with the load error (not as a timeout). */
export function handlerLoadReports(plans: readonly { trigger: string; expected: string[] }[], error: unknown): TriggerReport[] | undefined {
  if (!isHandlerLoadFailure(error)) return undefined;
  const failure: TriggerFailure = { verdict: 'handler-load', message: error.message, details: error.details };
  return plans.map((plan) => ({
    trigger: plan.trigger,
    expected: [...plan.expected],
    verdict: 'handler-load',
    failures: [failure],
    deliveries: [],
    missing: [...plan.expected],
    stripe: { ok: false, exitCode: undefined, message: 'not run: the handler did not load' },
    durationMs: 0,
  }));
}

export function worstVerdict(verdicts: readonly TriggerVerdict[]): TriggerVerdict {
  let worst: TriggerVerdict = 'passed';
  for (const verdict of verdicts) if (SEVERITY.indexOf(verdict) < SEVERITY.indexOf(worst)) worst = verdict;
  return worst;
}
