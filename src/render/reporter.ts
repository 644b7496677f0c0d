import type { CatchUpReport, DeliveryRecord, NoticeLevel, QuirkSummary, ReadyInfo, SendReport, SessionSummary, StallReport, TriggerReport } from '../types.js';
import type { ReplayDelivery, ReplayStart, ReplayTotals } from '../replay/replay-report.js';
import type { SendStart } from './format-send.js';

/**
 * What a session tells the user. The pretty reporter writes blocks for people; the JSON reporter
 * writes one object per line for scripts and CI. A session never writes to a stream directly.
 */
export interface Reporter {
  /** Progress while starting (a spinner on a TTY, a plain line otherwise, nothing in JSON mode). */
  starting(message: string): void;
  ready(info: ReadyInfo): void;
  delivery(record: DeliveryRecord): void;
  /** Something the user should know that is not an event: a handler reload, a fallback binary. */
  notice(message: string, level?: NoticeLevel): void;
  /** A WebhookDevError prints its message, hint and details; anything else is a bug: its stack. */
  error(error: unknown): void;
  summary(summary: SessionSummary): void;
  /** The Stripe CLI stalled or died, or its replacement is ready. */
  stall?(report: StallReport): void;
  /** After a stall: the events of the gap found and delivered again. */
  catchUp?(report: CatchUpReport): void;
  /** A line the user's app (`-- COMMAND`) printed, secrets already masked. */
  appOutput?(stream: 'stdout' | 'stderr', line: string): void;
  /** `webhook-dev trigger`: a trigger is about to run (its events follow as deliveries). */
  triggerStarted?(trigger: string, expected: readonly string[]): void;
  /** `webhook-dev trigger`: what came of one trigger. */
  triggerResult?(report: TriggerReport): void;
  /** `webhook-dev trigger`: the tally of all triggers, before the summary. */
  triggerTotals?(reports: readonly TriggerReport[]): void;
  /** `webhook-dev send`: a payload is about to go out. */
  sendStarted?(start: SendStart): void;
  /** `webhook-dev send`: the delivery and whether the target behaved. */
  sendResult?(report: SendReport): void;
  /** `webhook-dev replay`: a journaled event is about to be delivered again. */
  replayStarted?(start: ReplayStart): void;
  /** `webhook-dev replay`: one re-delivery and its verdict. */
  replayResult?(delivery: ReplayDelivery): void;
  /** `webhook-dev replay`: the tally, after the last delivery. */
  replayTotals?(totals: ReplayTotals): void;
  /** `send` and `replay` without a session, with delivery quirks: what they injected (a session puts it in its summary). */
  quirkSummary?(summary: QuirkSummary): void;
  /**
   * `--debug` only (absent otherwise, so callers write `reporter.debug?.(…)` and pay nothing): the
   * Stripe CLI's raw lines, start-up timings, the stacks of expected errors. Secrets masked.
   */
  debug?(message: string): void;
  /** Stops any spinner; safe to call twice. */
  close(): void;
}
