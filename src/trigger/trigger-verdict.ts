import { ExitCode, isWebhookDevError } from '../errors.js';
import type { DeliveryRecord, TriggerFailure, TriggerReport, TriggerVerdict } from '../types.js';

export type { TriggerFailure, TriggerVerdict };

export interface TriggerVerdictInput {
  stripeOk: boolean;
  /** `Trigger failed: …` as the Stripe CLI said it. */
  stripeMessage?: string;
  deliveries: readonly DeliveryRecord[];
  missing: readonly string[];
  timeoutMs: number;
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
export function judgeTrigger({ stripeOk, stripeMessage, deliveries, missing, timeoutMs }: TriggerVerdictInput): TriggerResultSummary {
  const failures: TriggerFailure[] = [];
  if (!stripeOk) {
    failures.push({ verdict: 'trigger-failed', message: `stripe trigger failed: ${stripeMessage ?? 'no message'}` });
  }
  for (const record of deliveries) {
    const about = { ...(record.event ? { eventType: record.event.type, eventId: record.event.id } : {}) };
    if (record.rejection) {
      failures.push({ verdict: 'verification-failed', message: `${record.event?.type ?? 'a delivery'} was rejected: ${record.rejection.message}`, ...about });
      continue;
    }
    const outcome = record.handler?.outcome;
    if (outcome?.status === 'error') {
      const details = [outcome.error.location ? `at ${outcome.error.location}` : undefined, outcome.error.sourceLine].filter((line): line is string => line !== undefined);
      failures.push({ verdict: 'handler-failed', message: `${record.event?.type} handler threw ${outcome.error.name}: ${outcome.error.message}`, details, ...about });
    } else if (outcome?.status === 'timeout') {
      failures.push({ verdict: 'handler-failed', message: `${record.event?.type} handler timed out after ${outcome.timeoutMs} ms`, ...about });
    }
    // Forwarding: the app is the handler; its refusal fails the trigger like a throw would.
    const forward = record.forward;
    if (forward && (forward.outcome.status === 'failed' || forward.outcome.statusCode >= 300)) {
      const answer = forward.outcome.status === 'failed' ? `could not be reached (${forward.outcome.message})` : `answered ${forward.outcome.statusCode}`;
      const details = forward.diagnosis ? [forward.diagnosis.summary, ...forward.diagnosis.hints] : [];
      failures.push({ verdict: 'handler-failed', message: `the app ${answer} for ${record.event?.type}`, details, ...about });
    }
  }
  // A failed fixture explains missing events by itself; do not report them twice.
  if (stripeOk && missing.length > 0) {
    failures.push({ verdict: 'timeout', message: `no ${missing.join(', ')} event within ${formatSeconds(timeoutMs)}` });
  }
  return { verdict: worstVerdict(failures.map((failure) => failure.verdict)), failures };
}

const HANDLER_LOAD_CODES: ReadonlySet<string> = new Set(['HANDLER_NOT_FOUND', 'HANDLER_LOAD_FAILED', 'HANDLER_INVALID']);

/** The handler never loaded: no trigger ran, and each says so once, with the load error (not as a timeout). */
export function handlerLoadReports(plans: readonly { trigger: string; expected: string[] }[], error: unknown): TriggerReport[] | undefined {
  if (!isWebhookDevError(error) || !HANDLER_LOAD_CODES.has(error.code)) return undefined;
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

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
