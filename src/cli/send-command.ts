import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ExitCode, UsageError, WebhookDevError, isWebhookDevError } from '../errors.js';
import type { Reporter } from '../render/reporter.js';
import type { Tamper } from '../signature/delivery-headers.js';
import type { LoadedPayload } from '../send/load-payload.js';
import type { QuirkFlags, QuirkSettings } from '../quirks/quirk-settings.js';
import type { SendReport } from '../types.js';
import type { DirectTarget } from '../send/send-targets.js';
import { createReporter, debugWanted } from './create-reporter.js';
import { displayPath } from '../render/display-path.js';
import { parseDuration } from './parse-options.js';

export interface SendFlags extends QuirkFlags {
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
    const [{ parseSetOverride }, { classifyPayloadArgument, loadPayload }, { parseQuirkFlags }] = await Promise.all([
      import('../send/set-override.js'),
      import('../send/load-payload.js'),
      import('../quirks/quirk-settings.js'),
    ]);
    const quirks = parseQuirkFlags(flags);
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
    const context = { tamper, timeoutMs, cwd, reporter, secretSource };
    if (quirks !== undefined) return await sendWithQuirksTo(payload, flags, quirks, context);
    const report = await sendTo(payload, flags, context);
    reporter.sendResult?.(report);
    return report.exitCode;
  } catch (error) {
    reporter.error(error);
    return isWebhookDevError(error) ? error.exitCode : ExitCode.INTERNAL;
  } finally {
    reporter.close();
  }
}

interface SendContextResolved {
  tamper: Tamper | undefined;
  timeoutMs: number;
  cwd: string;
  reporter: Reporter;
  secretSource: string | undefined;
}

async function sendTo(payload: LoadedPayload, flags: SendFlags, context: SendContextResolved): Promise<SendReport> {
  const { tamper, timeoutMs, cwd, reporter } = context;
  const targets = await import('../send/send-targets.js');
  const announce = (target: SendReport['target'], url: string) =>
    reporter.sendStarted?.({ target, url, from: payload.from, ...targets.payloadEventType(payload), ...(tamper ? { tamper } : {}) });
  const sendDirect = async (target: DirectTarget) => {
    try {
      announce(target.target, target.url);
      return await target.send(payload, { tamper });
    } finally {
      await target.close();
    }
  };
  const direct = await openDirectTarget(flags, context, targets);
  if (direct !== undefined) return sendDirect(direct);
  const { findRunningSession } = await import('../control/find-live-session.js');
  const session = await findRunningSession(cwd);
  const configured = session === undefined ? await targets.configuredHandler(cwd) : undefined;
  if (configured !== undefined) {
    reporter.notice(`No webhook-dev listen is running in this project: sending to the handler of ${configured.source} (${displayPath(configured.handler, cwd)}), in a worker of its own.`);
    return sendDirect((await openDirectTarget({ ...flags, handler: configured.handler, handlerTimeout: flags.handlerTimeout ?? configured.handlerTimeout }, context, targets))!);
  }
  if (session === undefined) {
    throw new WebhookDevError('SESSION_NOT_FOUND', 'No webhook-dev listen is running in this project to send the payload through.', {
      hint: 'Start `webhook-dev listen` in another terminal, or send straight to your app: STRIPE_WEBHOOK_SECRET=whsec_… webhook-dev send … --forward-to http://localhost:3000/webhook',
    });
  }
  announce('session', session.receiverUrl);
  return targets.sendThroughSession(payload, session, { tamper, timeoutMs, source: 'send' });
}

/**
 * With delivery quirks: the payload to the app or a handler of its own, as often as the quirks say
 * (a --duplicate copy, --retry after a failure), each delivery shown; exits with the worst of the
 * deliveries that stand (a retry that succeeded makes good the attempts before it).
 */
async function sendWithQuirksTo(payload: LoadedPayload, flags: SendFlags, quirks: QuirkSettings, context: SendContextResolved): Promise<number> {
  const { reporter } = context;
  if (context.tamper !== undefined) {
    throw new UsageError('Delivery quirks and --stale, --bad-signature, --no-signature or --wrong-secret test different things: run them separately.', {
      hint: 'The tamper options check that your verification refuses a bad delivery; the quirks check how your handler copes with good ones.',
    });
  }
  const [targets, { sendWithQuirks, asMadeByQuirks }, { quirksBelongToSession }] = await Promise.all([import('../send/send-targets.js'), import('../send/send-with-quirks.js'), import('../quirks/quirk-settings.js')]);
  const target = await openDirectTarget(flags, context, targets);
  if (target === undefined) throw quirksBelongToSession(flags, 'this send goes through the running webhook-dev listen', 'or send without a session: --handler <file> or --forward-to <url>.');
  try {
    const item = { payload, eventId: typeof payload.event.id === 'string' ? payload.event.id : '(no id)', eventType: typeof payload.event.type === 'string' ? payload.event.type : '(no type)' };
    const sent = await sendWithQuirks([item], quirks, async (_item, made) => {
      reporter.sendStarted?.({ target: target.target, url: target.url, from: payload.from, ...targets.payloadEventType(payload) });
      const shown = asMadeByQuirks(await target.send(payload, { attempt: made.attempt }), made);
      reporter.sendResult?.(shown);
      return { ok: shown.exitCode === 0, delivery: shown };
    });
    reporter.quirkSummary?.(sent.summary);
    return sent.standing.find((report) => report.exitCode !== 0)?.exitCode ?? 0;
  } finally {
    await target.close();
  }
}

function openDirectTarget(flags: SendFlags, { tamper, timeoutMs, cwd, reporter, secretSource }: SendContextResolved, targets: typeof import('../send/send-targets.js')) {
  return targets.openDirectTarget({
    forwardTo: flags.forwardTo,
    handler: flags.handler,
    secret: flags.secret,
    secretSource,
    tamper,
    command: 'send',
    timeoutMs,
    handlerTimeoutMs: flags.handler === undefined ? 0 : parseDuration(flags.handlerTimeout ?? '10s', '--handler-timeout'),
    insecure: flags.insecure === true,
    statusOnly: flags.statusOnly === true,
    cwd,
    notice: (message, level) => reporter.notice(message, level),
  });
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

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
