import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { EventNotFoundError, ExitCode, UsageError, WebhookDevError, isWebhookDevError } from '../errors.js';
import type { Reporter } from '../render/reporter.js';
import type { JournaledPayload } from '../replay/load-journaled-events.js';
import type { ReplayDelivery, ReplayTotals } from '../replay/replay-report.js';
import type { ReplaySelection } from '../replay/replay-selection.js';
import type { QuirkFlags } from '../quirks/quirk-settings.js';
import type { DeliveryQuirks, SendReport } from '../types.js';
import { createReporter, debugWanted } from './create-reporter.js';
import { displayPath } from '../render/display-path.js';
import { parseDuration, parseSince } from './parse-options.js';

export interface ReplayFlags extends QuirkFlags {
  last?: string | boolean;
  failed?: boolean;
  since?: string;
  type?: string;
  times?: string;
  edit?: boolean;
  forwardTo?: string;
  handler?: string;
  handlerTimeout?: string;
  secret?: string;
  standalone?: boolean;
  attach?: boolean;
  offline?: boolean;
  timeout?: string;
  insecure?: boolean;
  statusOnly?: boolean;
  json?: boolean;
  junit?: string;
  debug?: boolean;
}

export interface ReplayContext {
  /** Where commander got --secret from: 'cli' (visible in ps) or 'env'. */
  secretSource?: string | undefined;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Where the replayed deliveries go, opened once for all of them. */
interface ReplayTarget {
  target: SendReport['target'];
  url: string;
  /** `attempt`: a --retry's number (or 1 for a --duplicate copy), for a handler's `ctx.attempt`. */
  send(payload: JournaledPayload, options?: { attempt?: number }): Promise<SendReport>;
  close(): Promise<void>;
}

/**
 * `webhook-dev replay [evt_id…] | --last [N] | --failed`: journaled events delivered again, byte
 * for byte as journaled, re-signed with a fresh timestamp and the current secret: through the
 * running session (it signs, journals them as `replay` and shows them), or to a handler or app of
 * its own. No Stripe CLI, account or network in any mode. Exits as `trigger` does: 0 when every
 * delivery was handled.
 */
export async function runReplayCommand(ids: string[], flags: ReplayFlags, { secretSource, cwd = process.cwd(), env = process.env }: ReplayContext = {}): Promise<number> {
  const reporter = await createReporter({ json: flags.json === true, interactive: false, debug: debugWanted(flags.debug) });
  // Nothing to wait for: replay joins a session that is ready, or needs none.
  reporter.release();
  try {
    const [{ parseReplaySelection, parseTimes }, { parseQuirkFlags, quirksBelongToSession }] = await Promise.all([import('../replay/replay-selection.js'), import('../quirks/quirk-settings.js')]);
    const selection = parseReplaySelection(ids, flags);
    const quirks = parseQuirkFlags(flags);
    const times = parseTimes(flags.times);
    const timeoutMs = parseDuration(flags.timeout ?? '30s', '--timeout');
    checkFlags(selection, flags);
    const payloads = await loadPayloads(selection, flags, cwd);
    const prepared = flags.edit ? await editAll(payloads, env) : payloads.map((payload) => ({ ...payload, edited: false }));
    for (const payload of prepared) {
      if (payload.redacted && !payload.edited) {
        reporter.notice(`${payload.eventId}: the journal masked something secret-looking in its body, so this replay sends the masked text, not the original bytes.`, 'warn');
      }
    }
    const target = await openTarget(flags, { cwd, timeoutMs, reporter, secretSource });
    let deliveries: ReplayDelivery[] = [];
    // What decides the verdict: every delivery, but with --retry only each event's last attempt.
    let standing: ReplayDelivery[] = [];
    try {
      if (quirks !== undefined && target.target === 'session') {
        throw quirksBelongToSession(flags, 'this replay goes through the running webhook-dev listen', 'or replay without a session: --handler <file> or --forward-to <url>.');
      }
      const [{ judgeReplayDelivery }, { asMadeByQuirks }, { payloadEventType }] = await Promise.all([import('../replay/replay-report.js'), import('../send/send-with-quirks.js'), import('../send/send-targets.js')]);
      const items = prepared.flatMap((payload) =>
        Array.from({ length: times }, (_, index) => ({ payload, copy: index + 1, eventId: payload.eventId, eventType: typeof payload.event.type === 'string' ? payload.event.type : '(no type)' })),
      );
      const replayOne = async (item: (typeof items)[number], made?: { attempt: number; quirks: DeliveryQuirks }): Promise<ReplayDelivery> => {
        const { payload, copy } = item;
        reporter.replayStarted?.({ eventId: payload.eventId, ...payloadEventType(payload), copy, times, target: target.target, url: target.url, edited: payload.edited });
        const sent = await target.send(payload, made ? { attempt: made.attempt } : {});
        const report = made ? asMadeByQuirks(sent, made) : sent;
        const delivery: ReplayDelivery = { ...report, eventId: payload.eventId, copy, times, edited: payload.edited, redacted: payload.redacted, ...judgeReplayDelivery(report, { statusOnly: flags.statusOnly === true }) };
        reporter.replayResult?.(delivery);
        return delivery;
      };
      if (quirks === undefined) {
        for (const item of items) deliveries.push(await replayOne(item));
        standing = deliveries;
      } else {
        const { sendWithQuirks } = await import('../send/send-with-quirks.js');
        const sent = await sendWithQuirks(items, quirks, async (item, made) => {
          const delivery = await replayOne(item, made);
          return { ok: delivery.verdict === 'passed', delivery };
        });
        ({ deliveries, standing } = sent);
        reporter.quirkSummary?.(sent.summary);
      }
    } finally {
      await target.close();
    }
    const { replayTotals } = await import('../replay/replay-report.js');
    const totals = { ...replayTotals(standing), deliveries: deliveries.length };
    reporter.replayTotals?.(totals);
    if (flags.junit) await writeJunit(flags.junit, standing, totals, reporter);
    return totals.exitCode;
  } catch (error) {
    reporter.error(error);
    return isWebhookDevError(error) ? error.exitCode : ExitCode.INTERNAL;
  } finally {
    reporter.close();
  }
}

function checkFlags(selection: ReplaySelection, flags: ReplayFlags): void {
  if (flags.forwardTo !== undefined && flags.handler !== undefined) {
    throw new UsageError('Choose one target: --forward-to replays to your app, --handler runs your handler in a session of its own.', {
      hint: 'To run both, start webhook-dev listen --handler … --forward-to … and replay without either.',
    });
  }
  const standalone = flags.standalone === true || flags.forwardTo !== undefined || flags.handler !== undefined || flags.offline === true;
  if (flags.attach && standalone) throw new UsageError('--attach cannot be combined with --standalone, --offline, --handler or --forward-to.', { hint: 'Drop --attach to replay without a session.' });
  if (flags.offline && flags.handler === undefined) {
    throw new UsageError('--offline replays through a session of its own (the Stripe CLI against the built-in emulator): it needs --handler <file>.', {
      hint: flags.forwardTo !== undefined
        ? 'To your app, drop --offline: --forward-to signs the journaled bytes with your app\'s secret, with no Stripe CLI at all.'
        : 'For example: webhook-dev replay --last --offline --handler src/webhooks.ts',
    });
  }
  if (flags.standalone && flags.forwardTo === undefined && flags.handler === undefined) {
    throw new UsageError('--standalone needs a target: --handler <file> or --forward-to <url>.', { hint: 'For example: webhook-dev replay --last --standalone --handler src/webhooks.ts' });
  }
  if (selection.kind === 'ids' && (flags.since !== undefined || flags.type !== undefined)) {
    throw new UsageError('--since and --type pick events from the journal: they go with --last or --failed, not with event ids.', { hint: 'For example: webhook-dev replay --failed --since 1h' });
  }
}

async function loadPayloads(selection: ReplaySelection, flags: ReplayFlags, cwd: string): Promise<JournaledPayload[]> {
  const [{ findProjectRoot }, { journalDir }, { loadJournaledEvents }] = await Promise.all([
    import('../control/session-file.js'),
    import('../journal/journal-files.js'),
    import('../replay/load-journaled-events.js'),
  ]);
  const dir = journalDir(await findProjectRoot(cwd));
  if (selection.kind === 'ids') return loadJournaledEvents(dir, selection.ids);
  const [{ findJournalEvents }, { parseTypePattern }] = await Promise.all([import('../replay/find-journal-events.js'), import('../journal/type-pattern.js')]);
  const filters = {
    ...(flags.type !== undefined ? { type: parseTypePattern(flags.type) } : {}),
    ...(flags.since !== undefined ? { since: parseSince(flags.since) } : {}),
  };
  const { eventIds, segments } = await findJournalEvents(dir, filters, selection);
  if (eventIds.length === 0) {
    const narrowed = [flags.type !== undefined ? `of type ${flags.type}` : undefined, flags.since !== undefined ? `since ${flags.since}` : undefined].filter((text) => text !== undefined).join(' ');
    const what = `No journaled event ${narrowed ? `${narrowed} ` : ''}${selection.failedOnly ? 'failed on its last delivery' : 'was found'}`;
    throw new EventNotFoundError(segments === 0 ? 'The journal is empty: there is nothing to replay.' : `${what}: there is nothing to replay.`, {
      hint: segments === 0 ? 'webhook-dev listen and trigger keep every delivery in .webhook-dev/journal/, unless run with --no-journal.' : 'Run webhook-dev events to see what the journal kept.',
    });
  }
  return loadJournaledEvents(dir, eventIds);
}

async function editAll(payloads: JournaledPayload[], env: NodeJS.ProcessEnv): Promise<Array<JournaledPayload & { edited: boolean }>> {
  const { editPayload } = await import('../replay/edit-payload.js');
  const edited: Array<JournaledPayload & { edited: boolean }> = [];
  // One at a time: the editor has the terminal.
  for (const payload of payloads) {
    const result = await editPayload(payload.raw, { eventId: payload.eventId, env });
    edited.push(result.changed ? { ...payload, raw: result.raw, event: result.event, edited: true, redacted: false } : { ...payload, edited: false });
  }
  return edited;
}

/** Attached when a `webhook-dev listen` runs for this project, unless a target of its own is named. */
async function openTarget(flags: ReplayFlags, { cwd, timeoutMs, reporter, secretSource }: { cwd: string; timeoutMs: number; reporter: Reporter; secretSource: string | undefined }): Promise<ReplayTarget> {
  const [targets, { findRunningSession }] = await Promise.all([import('../send/send-targets.js'), import('../control/find-live-session.js')]);
  if (flags.forwardTo === undefined && flags.secret !== undefined && secretSource === 'cli') reporter.notice('--secret is only used with --forward-to: a session signs with its own secret.', 'warn');
  if (flags.offline === true && flags.handler !== undefined) {
    const handlerTimeoutMs = parseDuration(flags.handlerTimeout ?? '10s', '--handler-timeout');
    const { openOfflineReplay } = await import('../replay/open-offline-replay.js');
    reporter.notice('Replaying through a session of its own: the Stripe CLI against the built-in emulator delivers each event.');
    return openOfflineReplay({ handler: flags.handler, statusOnly: flags.statusOnly === true, handlerTimeoutMs, timeoutMs, cwd, reporter });
  }
  const openDirect = (handler: string | undefined, handlerTimeout: string | undefined) =>
    targets.openDirectTarget({
      forwardTo: flags.forwardTo,
      handler,
      secret: flags.secret,
      secretSource,
      command: 'replay',
      timeoutMs,
      handlerTimeoutMs: handler === undefined ? 0 : parseDuration(handlerTimeout ?? '10s', '--handler-timeout'),
      insecure: flags.insecure === true,
      statusOnly: flags.statusOnly === true,
      cwd,
      notice: (message, level) => reporter.notice(message, level),
    });
  const direct = await openDirect(flags.handler, flags.handlerTimeout);
  if (direct !== undefined) return direct;
  const session = await findRunningSession(cwd);
  const configured = session === undefined && flags.attach !== true ? await targets.configuredHandler(cwd) : undefined;
  if (configured !== undefined) {
    reporter.notice(`No webhook-dev listen is running in this project: replaying to the handler of ${configured.source} (${displayPath(configured.handler, cwd)}), in a worker of its own.`);
    return (await openDirect(configured.handler, flags.handlerTimeout ?? configured.handlerTimeout))!;
  }
  if (session === undefined) {
    throw new WebhookDevError('SESSION_NOT_FOUND', `No webhook-dev listen is running in this project to replay through.`, {
      hint: flags.attach
        ? 'Start one in another terminal (webhook-dev listen --handler …) from this project, or drop --attach.'
        : 'Start `webhook-dev listen` in another terminal, or replay without one: --handler src/webhooks.ts, or --forward-to http://localhost:3000/webhook with STRIPE_WEBHOOK_SECRET set.',
    });
  }
  return {
    target: 'session',
    url: session.receiverUrl,
    send: (payload) => targets.sendThroughSession(payload, session, { timeoutMs, source: 'replay' }),
    close: async () => {},
  };
}

/** One test case per re-delivery, with trigger's writer. */
async function writeJunit(file: string, deliveries: readonly ReplayDelivery[], totals: ReplayTotals, reporter: Reporter): Promise<void> {
  const [{ toJunitXml }, { formatDeliveryLine }] = await Promise.all([import('../trigger/junit-report.js'), import('../trigger/format-delivery-line.js')]);
  const cases = deliveries.map((delivery) => ({
    trigger: `${delivery.record.event?.type ?? '(no type)'} ${delivery.eventId}${delivery.times > 1 ? ` (${delivery.copy}/${delivery.times})` : ''}`,
    verdict: delivery.verdict,
    durationMs: delivery.record.durationMs,
    failures: delivery.failures,
    eventLines: [formatDeliveryLine(delivery.record)],
  }));
  const path = resolve(file);
  await writeFile(path, toJunitXml(cases, { timestamp: new Date(), suite: 'replay' }));
  reporter.notice(`JUnit report written to ${path} (${totals.deliveries} test ${totals.deliveries === 1 ? 'case' : 'cases'})`);
}
