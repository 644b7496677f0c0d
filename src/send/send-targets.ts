import { resolve } from 'node:path';
import { UsageError, WebhookDevError } from '../errors.js';
import type { SendSource } from '../control/send-request.js';
import type { SessionFileInfo } from '../control/parse-session-file.js';
import type { Tamper } from '../signature/delivery-headers.js';
import type { NoticeLevel, SendReport } from '../types.js';
import type { HandlerSession } from './send-to-handler.js';

/**
 * The three places `send` and `replay` deliver a payload: the user's app (`--forward-to`), a handler
 * in a session of its own (`--handler`), or the project's running `webhook-dev listen`. Each takes
 * the payload's exact bytes and returns the delivery with the verdict on it; none prints anything,
 * so each command announces and shows deliveries in its own words.
 */
export interface TargetPayload {
  /** The bytes to sign and send. */
  raw: string;
  /** The same, parsed. */
  event: Record<string, unknown>;
  /** For messages: a file, `stdin`, `<type> (template)`, `journal`. */
  from: string;
}

export interface AppTargetOptions {
  url: string;
  secret: string | undefined;
  tamper?: Tamper | undefined;
  timeoutMs: number;
  insecure: boolean;
  statusOnly: boolean;
  cwd: string;
}

/**
 * Fails early when `--forward-to` has no secret to sign with (a tampered delivery that never
 * carries a valid signature needs none), and warns once when it came from argv.
 */
function checkAppSecret(secret: string | undefined, { tamper, secretSource, command, notice }: { tamper?: Tamper | undefined; secretSource: string | undefined; command: string; notice: (message: string, level: NoticeLevel) => void }): void {
  const needsSecret = tamper === undefined || tamper.kind === 'stale';
  if (needsSecret && (secret === undefined || secret === '')) {
    throw new UsageError("--forward-to needs your app's signing secret, to sign the payload the way Stripe would.", {
      hint: `Set it in the environment, as your app reads it: STRIPE_WEBHOOK_SECRET=whsec_… webhook-dev ${command} … (or --secret, which other users can see in ps).`,
    });
  }
  if (secretSource === 'cli') notice('--secret is visible to other users of this machine (ps); prefer the STRIPE_WEBHOOK_SECRET environment variable.', 'warn');
}

/** Signs and sends to the app through the forwarder `listen --forward-to` uses, and judges its answer. */
async function sendToAppTarget(payload: TargetPayload, { url, secret, tamper, timeoutMs, insecure, statusOnly, cwd }: AppTargetOptions): Promise<SendReport> {
  const [{ sendToApp }, { judgeSend }, { readDependencies }] = await Promise.all([import('./send-to-app.js'), import('./judge-send.js'), import('../forwarder/read-dependencies.js')]);
  const record = await sendToApp({
    url,
    ...(secret ? { secret } : {}),
    raw: payload.raw,
    event: payload.event,
    timeoutMs,
    insecure,
    statusOnly,
    frameworkClues: { dependencies: await readDependencies(cwd) },
    ...(tamper ? { tamper } : {}),
  });
  const verdict = judgeSend({ target: 'app', record, statusOnly, ...(tamper ? { tamper } : {}) });
  return { target: 'app', url, from: payload.from, record, ...verdict, ...(tamper ? { tamper } : {}) };
}

/** The handler in a session of its own, started once for every payload sent to it. */
async function openHandlerTarget(handler: string, { cwd, handlerTimeoutMs, onNotice }: { cwd: string; handlerTimeoutMs: number; onNotice: (message: string, level: NoticeLevel) => void }): Promise<DirectTarget> {
  const [{ startHandlerSession }, { judgeSend }] = await Promise.all([import('./send-to-handler.js'), import('./judge-send.js')]);
  const session: HandlerSession = await startHandlerSession({ handlerPath: resolve(cwd, handler), cwd, handlerTimeoutMs, onNotice });
  return {
    target: 'handler',
    url: handler,
    async send(payload, { tamper, attempt } = {}) {
      const record = await session.deliver(payload.raw, { ...(tamper ? { tamper } : {}), ...(attempt === undefined ? {} : { attempt }) });
      const verdict = judgeSend({ target: 'handler', record, ...(tamper ? { tamper } : {}) });
      return { target: 'handler', url: handler, from: payload.from, record, ...verdict, ...(tamper ? { tamper } : {}) };
    },
    close: () => session.close(),
  };
}

/** `--forward-to` or `--handler`: a target of the command's own, opened once for every delivery it makes. */
export interface DirectTarget {
  target: 'app' | 'handler';
  /** The app's URL, or the handler file as given. */
  url: string;
  /** `attempt`: told to a handler of its own (`ctx.attempt`) by --retry and --duplicate. */
  send(payload: TargetPayload, options?: { tamper?: Tamper | undefined; attempt?: number }): Promise<SendReport>;
  close(): Promise<void>;
}

export interface DirectTargetOptions {
  forwardTo?: string | undefined;
  handler?: string | undefined;
  secret: string | undefined;
  /** Where commander got --secret from: 'cli' is visible in ps, and warned about. */
  secretSource: string | undefined;
  /** A tampered send may need no secret (see checkAppSecret). */
  tamper?: Tamper | undefined;
  /** For messages: `send`, `replay`. */
  command: string;
  timeoutMs: number;
  handlerTimeoutMs: number;
  insecure: boolean;
  statusOnly: boolean;
  cwd: string;
  notice: (message: string, level: NoticeLevel) => void;
}

/** The app (`--forward-to`) or a handler of its own (`--handler`); undefined when neither is asked for. */
export async function openDirectTarget(options: DirectTargetOptions): Promise<DirectTarget | undefined> {
  const { forwardTo, handler, secret, secretSource, tamper, command, timeoutMs, handlerTimeoutMs, insecure, statusOnly, cwd, notice } = options;
  if (forwardTo !== undefined) {
    const { parseForwardUrl } = await import('../forwarder/parse-forward-url.js');
    const url = parseForwardUrl(forwardTo);
    checkAppSecret(secret, { tamper, secretSource, command, notice });
    return { target: 'app', url, send: (payload, given = {}) => sendToAppTarget(payload, { url, secret, tamper: given.tamper, timeoutMs, insecure, statusOnly, cwd }), close: async () => {} };
  }
  if (handler === undefined) return undefined;
  return openHandlerTarget(handler, { cwd, handlerTimeoutMs, onNotice: notice });
}

/**
 * The handler of the project's config (webhook-dev.config.*, or "webhook-dev" in package.json), for
 * `send` and `replay` when no session runs: there, the project's own handler is what a command
 * with no target means, as `trigger` runs it in a session of its own.
 */
export async function configuredHandler(cwd: string): Promise<{ handler: string; handlerTimeout?: string; source: string } | undefined> {
  const { loadProjectConfig } = await import('../config/load-project-config.js');
  const config = await loadProjectConfig(cwd);
  const handler = config?.flags.handler;
  if (config === undefined || typeof handler !== 'string') return undefined;
  const timeout = config.flags.handlerTimeout;
  return { handler, ...(typeof timeout === 'string' ? { handlerTimeout: timeout } : {}), source: config.source };
}

export interface SessionTargetOptions {
  tamper?: Tamper | undefined;
  timeoutMs: number;
  /** What the session journals the delivery as. */
  source: SendSource;
}

/**
 * Through the running session's control `POST /send`: it signs with its own secret and delivers to
 * its own receiver, so the payload takes the one path an event from the Stripe CLI takes.
 */
export async function sendThroughSession(payload: TargetPayload, session: SessionFileInfo, { tamper, timeoutMs, source }: SessionTargetOptions): Promise<SendReport> {
  const [{ postSend }, { ControlConnectionError }, { fromWireDelivery }, { judgeSend }] = await Promise.all([
    import('../control/post-send.js'),
    import('../control/control-connection-error.js'),
    import('../control/wire-delivery.js'),
    import('./judge-send.js'),
  ]);
  const request = { payload: payload.raw, source, ...(tamper ? { tamper } : {}) };
  const wire = await postSend({ controlUrl: session.controlUrl, token: session.token, request, timeoutMs }).catch((error: unknown) => {
    if (error instanceof ControlConnectionError && error.reason === 'timeout') {
      throw new WebhookDevError('TRIGGER_TIMEOUT', `The session did not record the delivery within ${Math.round(timeoutMs / 1000)} s.`, {
        hint: "Its handler or app may still be busy with it (see the session's terminal); raise --timeout.",
        cause: error,
      });
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new WebhookDevError('SESSION_NOT_FOUND', `Could not deliver through the running webhook-dev listen (pid ${session.pid}): ${reason}`, {
      hint: 'It may have just stopped: start it again, or deliver straight to your app with --forward-to.',
      cause: error,
    });
  });
  const record = fromWireDelivery(wire);
  const verdict = judgeSend({ target: 'session', record, ...(tamper ? { tamper } : {}) });
  return { target: 'session', url: session.receiverUrl, from: payload.from, record, ...verdict, ...(tamper ? { tamper } : {}) };
}

/** `{ eventType }` when the payload names its type, for the start line. */
export function payloadEventType(payload: TargetPayload): { eventType?: string } {
  return typeof payload.event.type === 'string' ? { eventType: payload.event.type } : {};
}
