// The programmatic API. The CLI is one client of it; a project's own test suite is another.
export { defineHandler, defineHandlers } from './runner/define-handlers.js';
export type { EventHandler, HandlerMap, StripeEventOfType, StripeEventType, ThinEventOfType, ThinEventType } from './runner/define-handlers.js';
export type { HandlerContext, HandlerLogger } from './runner/handler-context.js';
export { defineConfig } from './config/project-config.js';
export type { WebhookDevConfig } from './config/project-config.js';

export { startListenSession, DEFAULT_PORT } from './session/start-listen-session.js';
export type { ListenSession, ListenSessionOptions } from './session/start-listen-session.js';
export { startEmulator, supportedEventTypes } from './emulator/start-emulator.js';
export { offlineTriggers } from './emulator/offline-triggers.js';
export type { Emulator, EmulatorOptions, PublishInput } from './emulator/start-emulator.js';
export { startReceiver } from './receiver/start-receiver.js';
export type { Receiver, ReceiverOptions } from './receiver/start-receiver.js';
export { loadHandler } from './runner/load-handler.js';
export { runHandler } from './runner/run-handler.js';

export { signPayload, computeSignature } from './signature/sign-payload.js';
export { verifySignature, DEFAULT_TOLERANCE_SECONDS } from './signature/verify-signature.js';
export { deliveryHeaders } from './signature/delivery-headers.js';
export type { DeliveryHeadersOptions, Tamper } from './signature/delivery-headers.js';
export type { RejectionReason, VerifyResult } from './signature/verify-signature.js';
export { maskSecret } from './secrets.js';
export { parseQuirkFlags, describeQuirks } from './quirks/quirk-settings.js';
export type { QuirkFlags, QuirkSettings } from './quirks/quirk-settings.js';
export { planQuirks, deliverWithQuirks } from './quirks/deliver-with-quirks.js';
export type { PlannedSend, SendOutcome, QuirkSendResult, DeliverWithQuirksResult } from './quirks/deliver-with-quirks.js';
export { createQuirkPlanner } from './quirks/plan-quirks.js';
export type { QuirkPlanner, DeliveryPlan } from './quirks/plan-quirks.js';
export { retryDelayMs, retryScheduleMs, stripeRetryGapMs } from './quirks/retry-schedule.js';

export { createJsonReporter } from './render/json-reporter.js';
export { JSON_SCHEMA_VERSION } from './render/record-schema.js';
export type { AnyJsonRecord, DebugRecord, JournalEntryRecord, JournalEventRecord, TriggersRecord, Versioned } from './render/record-schema.js';
export type { ReplayRecord, ReplaySummaryRecord } from './render/replay-records.js';
export type {
  AppOutputRecord,
  CatchUpRecord,
  ErrorRecord,
  EventRecord,
  EventRecordEvent,
  ForwardRecord,
  HandlerErrorRecord,
  JsonRecord,
  NoticeRecord,
  ReadyRecord,
  SendRecord,
  StallRecord,
  SummaryRecord,
  TriggerRecord,
} from './render/json-records.js';
export { createPrettyReporter } from './render/pretty-reporter.js';
export type { Reporter } from './render/reporter.js';

export * from './errors.js';
export type * from './types.js';
