import type { DeliveryRecord, NoticeLevel, ReadyInfo, SessionSummary } from '../types.js';

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
  /** Stops any spinner; safe to call twice. */
  close(): void;
}
