/**
 * A client of the control interface could not get what it asked for. Not a WebhookDevError: which
 * exit code it means depends on the command (`trigger` with no session to talk to is a user
 * error, an inspector losing its stream is not), so the command maps `reason` to one.
 */
export type ControlFailureReason =
  /** Nothing answered at the control URL: the session has ended. */
  | 'unreachable'
  /** No answer in time: the session may be busy. */
  | 'timeout'
  /** 401 or 403: a wrong token, or a URL that is not the one the session file gives. */
  | 'unauthorized'
  /** Something answered, but not the way a webhook-dev session does. */
  | 'bad-response';

export class ControlConnectionError extends Error {
  readonly code = 'CONTROL_CONNECTION_FAILED';
  readonly reason: ControlFailureReason;
  readonly status: number | undefined;

  constructor(reason: ControlFailureReason, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ControlConnectionError';
    this.reason = reason;
    this.status = options.status;
  }
}

/** Turns a fetch failure into a ControlConnectionError; the token is never part of the message. */
export function toControlConnectionError(error: unknown, controlUrl: string, timedOut: boolean): ControlConnectionError {
  if (error instanceof ControlConnectionError) return error;
  if (timedOut) return new ControlConnectionError('timeout', `The webhook-dev session at ${controlUrl} did not answer in time.`, { cause: error });
  return new ControlConnectionError('unreachable', `Nothing answers at ${controlUrl}: the webhook-dev session has probably ended.`, { cause: error });
}

/** The error for a response that is not the expected 200. */
export function statusError(status: number, controlUrl: string): ControlConnectionError {
  if (status === 401 || status === 403) {
    return new ControlConnectionError('unauthorized', `The webhook-dev session at ${controlUrl} refused the token (HTTP ${status}).`, { status });
  }
  return new ControlConnectionError('bad-response', `${controlUrl} answered HTTP ${status}; it does not look like a webhook-dev session.`, { status });
}
