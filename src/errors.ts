/**
 * Every failure a user can cause or fix is a WebhookDevError: it carries a stable `code`, the
 * process exit code the CLI uses for it, and a `hint` that says what to do next. Anything else
 * that reaches the top level is a bug and is printed with its stack.
 */

/** Exit codes are part of the public contract (README "Exit codes"); never renumber. */
export const ExitCode = {
  OK: 0,
  INTERNAL: 1,
  USAGE: 2,
  STRIPE_CLI_NOT_FOUND: 3,
  STRIPE_CLI_TOO_OLD: 4,
  STRIPE_AUTH_FAILED: 5,
  STRIPE_API_UNREACHABLE: 6,
  STRIPE_CLI_EXITED: 7,
  STRIPE_CLI_NOT_READY: 8,
  PORT_IN_USE: 9,
  HANDLER_NOT_FOUND: 10,
  HANDLER_LOAD_FAILED: 11,
  HANDLER_INVALID: 12,
  TRIGGER_HANDLER_FAILED: 20,
  TRIGGER_VERIFICATION_FAILED: 21,
  TRIGGER_TIMEOUT: 22,
  TRIGGER_FAILED: 23,
  SESSION_NOT_FOUND: 24,
  APP_NOT_READY: 25,
  ENV_FILE_INVALID: 26,
  CONFIG_INVALID: 27,
  TEMP_DIR_UNWRITABLE: 28,
  SEND_TAMPERED_ACCEPTED: 29,
  PAYLOAD_INVALID: 30,
  EVENT_NOT_FOUND: 31,
  SIGHUP: 129,
  SIGINT: 130,
  SIGTERM: 143,
} as const;

export type ExitCodeName = keyof typeof ExitCode;

export interface WebhookDevErrorOptions {
  hint?: string;
  /** Extra lines shown under the message, e.g. the last lines a child process printed. */
  details?: string[];
  cause?: unknown;
}

export class WebhookDevError extends Error {
  readonly code: ExitCodeName;
  readonly exitCode: number;
  readonly hint: string | undefined;
  readonly details: string[];

  constructor(code: ExitCodeName, message: string, options: WebhookDevErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = ExitCode[code];
    this.hint = options.hint;
    this.details = options.details ?? [];
  }
}

export class UsageError extends WebhookDevError {
  constructor(message: string, options?: WebhookDevErrorOptions) {
    super('USAGE', message, options);
  }
}

export class StripeCliNotFoundError extends WebhookDevError {
  constructor(message: string, options?: WebhookDevErrorOptions) {
    super('STRIPE_CLI_NOT_FOUND', message, options);
  }
}

export class StripeCliTooOldError extends WebhookDevError {
  constructor(message: string, options?: WebhookDevErrorOptions) {
    super('STRIPE_CLI_TOO_OLD', message, options);
  }
}

export class StripeAuthError extends WebhookDevError {
  constructor(message: string, options?: WebhookDevErrorOptions) {
    super('STRIPE_AUTH_FAILED', message, options);
  }
}

export class StripeUnreachableError extends WebhookDevError {
  constructor(message: string, options?: WebhookDevErrorOptions) {
    super('STRIPE_API_UNREACHABLE', message, options);
  }
}

export class StripeCliExitedError extends WebhookDevError {
  constructor(message: string, options?: WebhookDevErrorOptions) {
    super('STRIPE_CLI_EXITED', message, options);
  }
}

export class StripeCliNotReadyError extends WebhookDevError {
  constructor(message: string, options?: WebhookDevErrorOptions) {
    super('STRIPE_CLI_NOT_READY', message, options);
  }
}

export class PortInUseError extends WebhookDevError {
  constructor(message: string, options?: WebhookDevErrorOptions) {
    super('PORT_IN_USE', message, options);
  }
}

export class HandlerNotFoundError extends WebhookDevError {
  constructor(message: string, options?: WebhookDevErrorOptions) {
    super('HANDLER_NOT_FOUND', message, options);
  }
}

export class HandlerLoadError extends WebhookDevError {
  constructor(message: string, options?: WebhookDevErrorOptions) {
    super('HANDLER_LOAD_FAILED', message, options);
  }
}

export class HandlerShapeError extends WebhookDevError {
  constructor(message: string, options?: WebhookDevErrorOptions) {
    super('HANDLER_INVALID', message, options);
  }
}

/** `stripe trigger` could not create its fixture objects (an API error, an unreachable API, an unknown event). */
export class TriggerFailedError extends WebhookDevError {
  constructor(message: string, options?: WebhookDevErrorOptions) {
    super('TRIGGER_FAILED', message, options);
  }
}

/** The app given after `--` could not be started, or never accepted connections on the forward-to address. */
export class AppNotReadyError extends WebhookDevError {
  constructor(message: string, options?: WebhookDevErrorOptions) {
    super('APP_NOT_READY', message, options);
  }
}

/** `--write-env` names something webhook-dev must not write: not a dotenv file, a folder, a missing folder. */
export class EnvFileError extends WebhookDevError {
  constructor(message: string, options?: WebhookDevErrorOptions) {
    super('ENV_FILE_INVALID', message, options);
  }
}

/** The project config (webhook-dev.config.* or package.json "webhook-dev") cannot be read or has a wrong setting. */
export class ConfigError extends WebhookDevError {
  constructor(message: string, options?: WebhookDevErrorOptions) {
    super('CONFIG_INVALID', message, options);
  }
}

/** The Stripe CLI's throwaway config folder (offline) cannot be made: TMPDIR is missing, read-only or full. */
export class TempDirError extends WebhookDevError {
  constructor(message: string, options?: WebhookDevErrorOptions) {
    super('TEMP_DIR_UNWRITABLE', message, options);
  }
}

/** `send`: the payload cannot be read or built: an unreadable file, invalid JSON, a `--set` that cannot apply. */
export class PayloadError extends WebhookDevError {
  constructor(message: string, options?: WebhookDevErrorOptions) {
    super('PAYLOAD_INVALID', message, options);
  }
}

/** `events show <evt_id>`: the journal holds no delivery of that event (never received, pruned, or --no-journal). */
export class EventNotFoundError extends WebhookDevError {
  constructor(message: string, options?: WebhookDevErrorOptions) {
    super('EVENT_NOT_FOUND', message, options);
  }
}

export function isWebhookDevError(error: unknown): error is WebhookDevError {
  return error instanceof WebhookDevError;
}
