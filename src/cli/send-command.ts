import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ExitCode, UsageError, WebhookDevError, isWebhookDevError } from '../errors.js';
import type { Reporter } from '../render/reporter.js';
import type { Tamper } from '../signature/delivery-headers.js';
import type { LoadedPayload } from '../send/load-payload.js';
import type { SendReport } from '../types.js';
import { createReporter, debugWanted } from './create-reporter.js';
import { parseForwardUrl } from '../forwarder/parse-forward-url.js';
import { parseDuration } from './parse-options.js';

export interface SendFlags {
  set?: string[];
  forwardTo?: string;
  handler?: string;
  handlerTimeout?: string;
  secret?: string;
  stale?: string;
  badSignature?: boolean;
  /** commander's `--no-signature`: false when given. */
  signature?: boolean;
  wrongSecret?: boolean;
  timeout?: string;
  insecure?: boolean;
  statusOnly?: boolean;
  json?: boolean;
  debug?: boolean;
}

export interface SendContext {
  /** Where commander got --secret from: 'cli' (visible in ps) or 'env'. */
  secretSource?: string | undefined;
  cwd?: string;
  stdin?: NodeJS.ReadableStream;
}

/**
 * `webhook-dev send <event-type | file.json | ->`: one payload, signed as Stripe signs (or tampered
 * with on purpose), to the user's app (`--forward-to`) or through the project's running session.
 * Exits 0 when the target did the right thing with it: accepted a good delivery, refused a bad one.
 */
export async function runSendCommand(argument: string, flags: SendFlags, { secretSource, cwd = process.cwd(), stdin = process.stdin }: SendContext = {}): Promise<number> {
  const reporter = await createReporter({ json: flags.json === true, interactive: false, debug: debugWanted(flags.debug) });
  // Nothing to wait for: send joins a session that is ready, or needs none.
  reporter.release();
  try {
    const tamper = parseTamper(flags);
    const timeoutMs = parseDuration(flags.timeout ?? '30s', '--timeout');
    const [{ parseSetOverride }, { classifyPayloadArgument, loadPayload }] = await Promise.all([import('../send/set-override.js'), import('../send/load-payload.js')]);
    const overrides = (flags.set ?? []).map(parseSetOverride);
    const payload = await loadPayload(classifyPayloadArgument(argument), {
      overrides,
      readFile: (path) => readFile(resolve(cwd, path)),
      readStdin: () => readAll(stdin),
    });
    if (flags.forwardTo !== undefined && flags.handler !== undefined) {
      throw new UsageError('Choose one target: --forward-to sends to your app, --handler runs your handler in a session of its own.', {
        hint: 'To run both, start webhook-dev listen --handler … --forward-to … and send without either.',
      });
    }
    const secretIgnored = flags.forwardTo === undefined && flags.secret !== undefined && secretSource === 'cli';
    if (secretIgnored) reporter.notice('--secret is only used with --forward-to: a session signs with its own secret.', 'warn');
    const context = { tamper, timeoutMs, cwd, reporter };
    const report =
      flags.forwardTo !== undefined
        ? await sendToAppTarget(payload, flags, { ...context, secretSource })
        : flags.handler !== undefined
          ? await sendToHandlerTarget(payload, flags.handler, { ...context, handlerTimeoutMs: parseDuration(flags.handlerTimeout ?? '10s', '--handler-timeout') })
          : await sendThroughSession(payload, context);
    reporter.sendResult?.(report);
    return report.exitCode;
  } catch (error) {
    reporter.error(error);
    return isWebhookDevError(error) ? error.exitCode : ExitCode.INTERNAL;
  } finally {
    reporter.close();
  }
}

interface TargetContext {
  tamper: Tamper | undefined;
  timeoutMs: number;
  cwd: string;
  reporter: Reporter;
}

async function sendToAppTarget(payload: LoadedPayload, flags: SendFlags, { tamper, timeoutMs, cwd, reporter, secretSource }: TargetContext & { secretSource: string | undefined }): Promise<SendReport> {
  const url = parseForwardUrl(flags.forwardTo!);
  // A tampered delivery that never carries a valid signature needs no real secret.
  const needsSecret = tamper === undefined || tamper.kind === 'stale';
  if (needsSecret && (flags.secret === undefined || flags.secret === '')) {
    throw new UsageError("--forward-to needs your app's signing secret, to sign the payload the way Stripe would.", {
      hint: 'Set it in the environment, as your app reads it: STRIPE_WEBHOOK_SECRET=whsec_… webhook-dev send … (or --secret, which other users can see in ps).',
    });
  }
  if (secretSource === 'cli') reporter.notice('--secret is visible to other users of this machine (ps); prefer the STRIPE_WEBHOOK_SECRET environment variable.', 'warn');
  const [{ sendToApp }, { judgeSend }, { readDependencies }] = await Promise.all([import('../send/send-to-app.js'), import('../send/judge-send.js'), import('../forwarder/read-dependencies.js')]);
  reporter.sendStarted?.({ target: 'app', url, from: payload.from, ...eventType(payload), ...(tamper ? { tamper } : {}) });
  const record = await sendToApp({
    url,
    ...(flags.secret ? { secret: flags.secret } : {}),
    raw: payload.raw,
    event: payload.event,
    timeoutMs,
    insecure: flags.insecure === true,
    statusOnly: flags.statusOnly === true,
    frameworkClues: { dependencies: await readDependencies(cwd) },
    ...(tamper ? { tamper } : {}),
  });
  const verdict = judgeSend({ target: 'app', record, statusOnly: flags.statusOnly === true, ...(tamper ? { tamper } : {}) });
  return { target: 'app', url, from: payload.from, record, ...verdict, ...(tamper ? { tamper } : {}) };
}

async function sendToHandlerTarget(payload: LoadedPayload, handler: string, { tamper, cwd, reporter, handlerTimeoutMs }: TargetContext & { handlerTimeoutMs: number }): Promise<SendReport> {
  const [{ sendToHandler }, { judgeSend }] = await Promise.all([import('../send/send-to-handler.js'), import('../send/judge-send.js')]);
  reporter.sendStarted?.({ target: 'handler', url: handler, from: payload.from, ...eventType(payload), ...(tamper ? { tamper } : {}) });
  const { record } = await sendToHandler({
    handlerPath: resolve(cwd, handler),
    cwd,
    raw: payload.raw,
    handlerTimeoutMs,
    onNotice: (message, level) => reporter.notice(message, level),
    ...(tamper ? { tamper } : {}),
  });
  const verdict = judgeSend({ target: 'handler', record, ...(tamper ? { tamper } : {}) });
  return { target: 'handler', url: handler, from: payload.from, record, ...verdict, ...(tamper ? { tamper } : {}) };
}

async function sendThroughSession(payload: LoadedPayload, { tamper, timeoutMs, cwd, reporter }: TargetContext): Promise<SendReport> {
  const [{ findLiveSession }, { findProjectRoot }, { postSend }, { ControlConnectionError }, { fromWireDelivery }, { judgeSend }] = await Promise.all([
    import('../control/find-live-session.js'),
    import('../control/session-file.js'),
    import('../control/post-send.js'),
    import('../control/control-connection-error.js'),
    import('../control/wire-delivery.js'),
    import('../send/judge-send.js'),
  ]);
  const session = await findLiveSession(await findProjectRoot(cwd));
  if (session === undefined) {
    throw new WebhookDevError('SESSION_NOT_FOUND', 'No webhook-dev listen is running in this project to send the payload through.', {
      hint: 'Start `webhook-dev listen` in another terminal, or send straight to your app: STRIPE_WEBHOOK_SECRET=whsec_… webhook-dev send … --forward-to http://localhost:3000/webhook',
    });
  }
  reporter.sendStarted?.({ target: 'session', url: session.receiverUrl, from: payload.from, ...eventType(payload), ...(tamper ? { tamper } : {}) });
  const wire = await postSend({ controlUrl: session.controlUrl, token: session.token, request: { payload: payload.raw, ...(tamper ? { tamper } : {}) }, timeoutMs }).catch((error: unknown) => {
    if (error instanceof ControlConnectionError && error.reason === 'timeout') {
      throw new WebhookDevError('TRIGGER_TIMEOUT', `The session did not record the delivery within ${Math.round(timeoutMs / 1000)} s.`, {
        hint: 'Its handler or app may still be busy with it (see the session\'s terminal); raise --timeout.',
        cause: error,
      });
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new WebhookDevError('SESSION_NOT_FOUND', `Could not send through the running webhook-dev listen (pid ${session.pid}): ${reason}`, {
      hint: 'It may have just stopped: start it again, or send straight to your app with --forward-to.',
      cause: error,
    });
  });
  const record = fromWireDelivery(wire);
  const verdict = judgeSend({ target: 'session', record, ...(tamper ? { tamper } : {}) });
  return { target: 'session', url: session.receiverUrl, from: payload.from, record, ...verdict, ...(tamper ? { tamper } : {}) };
}

/** At most one of --stale, --bad-signature, --no-signature, --wrong-secret. */
export function parseTamper(flags: Pick<SendFlags, 'stale' | 'badSignature' | 'signature' | 'wrongSecret'>): Tamper | undefined {
  const chosen: Tamper[] = [];
  if (flags.stale !== undefined) chosen.push({ kind: 'stale', seconds: parseStaleSeconds(flags.stale) });
  if (flags.badSignature === true) chosen.push({ kind: 'bad-signature' });
  if (flags.signature === false) chosen.push({ kind: 'no-signature' });
  if (flags.wrongSecret === true) chosen.push({ kind: 'wrong-secret' });
  if (chosen.length > 1) {
    throw new UsageError('Choose one of --stale, --bad-signature, --no-signature and --wrong-secret per send.', { hint: 'Run send once for each: each is a separate check of your verification.' });
  }
  return chosen[0];
}

/** `600` (seconds), or a duration such as `10m`. */
function parseStaleSeconds(value: string): number {
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  try {
    return Math.round(parseDuration(value, '--stale') / 1000);
  } catch {
    throw new UsageError(`--stale takes how old the timestamp is, in seconds or as a duration (got "${value}").`, { hint: "For example: --stale 600 (Stripe's libraries refuse anything older than 300 s)." });
  }
}

function eventType(payload: LoadedPayload): { eventType?: string } {
  return typeof payload.event.type === 'string' ? { eventType: payload.event.type } : {};
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
