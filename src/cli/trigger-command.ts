import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ExitCode, UsageError, WebhookDevError, isWebhookDevError } from '../errors.js';
import type { Reporter } from '../render/reporter.js';
import type { HeldReporter } from '../render/hold-until-ready.js';
import type { TriggerTarget } from '../trigger/trigger-target.js';
import { parseListenWatchSettings } from '../stripe-cli/listen-watch-settings.js';
import { startListenSession, type EarlySession, type ListenSession } from '../session/start-listen-session.js';
import { parseEventList } from '../stripe-cli/listen-args.js';
import { emptyCounts, countDelivery } from '../session/session-stats.js';
import type { StripeCliInfo, TriggerReport } from '../types.js';
import { assertTriggerNames, findTriggerNameProblems } from '../trigger/check-trigger-names.js';
import { defaultExpectedEvents } from '../trigger/default-expected-events.js';
import { KNOWN_TRIGGERS_VERSION, knownTriggers } from '../stripe-cli/known-triggers.js';
import { offlineTriggers, offlineTriggersOn } from '../emulator/offline-triggers.js';
import { createReporter, debugWanted } from './create-reporter.js';
import { toJsonLine } from '../render/record-schema.js';
import { toSessionOptions, type ListenFlags } from './listen-command.js';
import { parseDuration } from './parse-options.js';
import { givenQuirkFlags, quirksBelongToSession } from '../quirks/quirk-settings.js';
import { NO_CREDENTIALS_NOTICE, resolveMode } from './resolve-mode.js';
import { applyProjectConfig, type ApplyProjectConfigOptions } from './apply-project-config.js';
import { STOP_EXIT_CODE, waitForStop, type StopSignal } from './wait-for-stop.js';

export interface TriggerFlags extends ListenFlags {
  list?: boolean;
  expect?: string;
  timeout?: string;
  quietPeriod?: string;
  junit?: string;
  standalone?: boolean;
  attach?: boolean;
  override?: string[];
  add?: string[];
  remove?: string[];
  skip?: string[];
  stripeAccount?: string;
  apiVersion?: string;
  raw?: string;
}

export async function runTriggerCommand(events: string[], given: TriggerFlags, config?: Omit<ApplyProjectConfigOptions, 'reporter'>): Promise<number> {
  let flags = given;
  let fromConfig = new Set<string>();
  const reporter = await createReporter({ json: flags.json === true, interactive: false, debug: debugWanted(flags.debug) });
  const startedAt = performance.now();
  const stop = waitForStop();
  const reports: TriggerReport[] = [];
  let target: TriggerTarget | undefined;
  let plans: ReturnType<typeof planTriggers> = [];
  const finish = async (exitCode: number, reason: StopSignal | 'error' | 'closed') => {
    const counts = reports.flatMap((r) => r.deliveries).reduce(countDelivery, emptyCounts());
    // Closed first, so retries that a timeout or Ctrl-C cut short are in the quirks' summary.
    const quirks = target?.quirks ? await target.close().then(() => target!.quirks!.summary()) : undefined;
    reporter.triggerTotals?.(reports);
    reporter.summary({ ...counts, ...(quirks ? { quirks } : {}), durationMs: Math.round(performance.now() - startedAt), exitCode, reason });
    reporter.close();
    return exitCode;
  };
  try {
    if (config) ({ flags, fromConfig } = await applyProjectConfig(flags, { ...config, reporter }));
    if (flags.list) return await listTriggers(flags, reporter);
    plans = planTriggers(events, flags.expect);
    const timeoutMs = parseDuration(flags.timeout ?? '30s', '--timeout');
    const quietMs = parseDuration(flags.quietPeriod ?? '300ms', '--quiet-period');
    // A raw fixture runs whatever it describes: the names are then only labels.
    const known = flags.raw === undefined ? await knownTriggerNames(events, flags) : undefined;
    const checkNames = (offline: boolean) => {
      if (known) assertTriggerNames(findTriggerNameProblems(events, known, offline ? offlineTriggersOn() : undefined));
    };
    checkNames(false);
    target = await openTarget(plans.flatMap((p) => p.expected), flags, fromConfig, reporter, stop.signal, checkNames);

    const [{ runTriggers }, { createTriggerRunner }, { worstVerdict, VERDICT_EXIT_CODE, isHandlerLoadFailure }] = await Promise.all([
      import('../trigger/run-triggers.js'),
      import('../trigger/create-trigger-runner.js'),
      import('../trigger/trigger-verdict.js'),
    ]);
    const runner = await createTriggerRunner({
      cli: target.cli,
      ...(target.apiBase ? { apiBase: target.apiBase } : {}),
      ...(target.offline ? (target.apiKey === undefined ? {} : { apiKey: target.apiKey }) : flags.apiKey ? { apiKey: flags.apiKey } : {}),
      offline: target.offline,
      ...(target.localSocket === undefined ? {} : { localSocket: target.localSocket }),
      ...(flags.projectName ? { projectName: flags.projectName } : {}),
      passthrough: {
        overrides: flags.override ?? [],
        adds: flags.add ?? [],
        removes: flags.remove ?? [],
        skips: flags.skip ?? [],
        ...(flags.stripeAccount ? { stripeAccount: flags.stripeAccount } : {}),
        ...(flags.apiVersion ? { apiVersion: flags.apiVersion } : {}),
        ...(flags.raw ? { raw: flags.raw } : {}),
      },
      timeoutMs,
    });
    const controller = new AbortController();
    const abort = () => controller.abort();
    stop.signal.addEventListener('abort', abort, { once: true });
    let sessionError: WebhookDevError | undefined;
    let shown = Promise.resolve();
    void target.failed.then((error) => {
      sessionError = error;
      controller.abort(error);
    });
    try {
      await runTriggers({
        plans,
        source: target.source,
        runTrigger: (trigger, signal) => runner.run(trigger, signal),
        timeoutMs,
        quietMs,
        ...(target.published ? { published: target.published } : {}),
        receives: target.receives,
        ...(target.busy ? { busy: target.busy } : {}),
        signal: controller.signal,
        statusOnly: flags.statusOnly === true,
        onStart: (plan) => reporter.triggerStarted?.(plan.trigger, plan.expected),
        // Standalone, the session's own reporter already shows each delivery.
        ...(target.mode === 'attached' ? { onDelivery: (record) => reporter.delivery(record) } : {}),
        onResult: (report) => {
          // Offline triggers start while the handler loads; if it cannot, their cut-short results
          // are not the story: each trigger is reported once, as a load failure, below.
          shown = shown.then(async () => {
            await target?.started;
            if (isHandlerLoadFailure(sessionError)) return;
            reports.push(report);
            reporter.triggerResult?.(report);
          });
        },
      });
      await shown;
    } finally {
      stop.signal.removeEventListener('abort', abort);
      await runner.close();
    }
    if (flags.junit) await writeJunit(flags.junit, reports, reporter);
    if (stop.received) return finish(STOP_EXIT_CODE[stop.received], stop.received);
    if (sessionError) {
      await reportLoadFailure(sessionError, plans, reports, flags, reporter);
      reporter.error(sessionError);
      return finish(sessionError.exitCode, 'error');
    }
    return finish(VERDICT_EXIT_CODE[worstVerdict(reports.map((r) => r.verdict))], 'closed');
  } catch (error) {
    if (stop.received) return finish(STOP_EXIT_CODE[stop.received], stop.received);
    await reportLoadFailure(error, plans, reports, flags, reporter).catch(() => {});
    reporter.error(error);
    return finish(isWebhookDevError(error) ? error.exitCode : ExitCode.INTERNAL, 'error');
  } finally {
    await target?.close();
    stop.dispose();
  }
}

/**
 * A handler that did not load fails every trigger as `handler-load` (trigger records, JUnit), once,
 * instead of the timeouts or handler failures its missing results would otherwise look like.
 */
async function reportLoadFailure(error: unknown, plans: readonly TriggerPlan[], reports: TriggerReport[], flags: TriggerFlags, reporter: Reporter): Promise<void> {
  const { handlerLoadReports } = await import('../trigger/trigger-verdict.js');
  const failed = handlerLoadReports(plans, error);
  if (!failed) {
    return;
  }
  reports.splice(0, reports.length, ...failed);
  for (const report of failed) reporter.triggerResult?.(report);
  if (flags.junit) await writeJunit(flags.junit, reports, reporter);
}

type TriggerPlan = ReturnType<typeof planTriggers>[number];

function planTriggers(events: string[], expect: string | undefined) {
  if (events.length === 0) {
    throw new UsageError('Name at least one event to trigger.', { hint: 'For example: webhook-dev trigger payment_intent.succeeded (webhook-dev trigger --list shows them all).' });
  }
  const expected = expect === undefined ? undefined : parseEventList(expect);
  if (expected === 'all-snapshot') throw new UsageError('--expect takes event types, not "*".', { hint: 'For example: --expect payment_intent.succeeded,charge.succeeded' });
  return events.map((trigger) => ({ trigger, expected: expected ?? defaultExpectedEvents(trigger) }));
}

/**
 * The bundled Stripe CLI's triggers are known without running it (that takes 0.5–1 s). Another
 * version (--stripe-bin, stripe on PATH) may know more: it is asked only when a name is unknown.
 */
async function knownTriggerNames(names: string[], flags: TriggerFlags): Promise<readonly string[]> {
  if (names.every((name) => knownTriggers.includes(name))) return knownTriggers;
  const { locateStripeCli } = await import('../stripe-cli/locate-stripe-cli.js');
  const { info } = await locateStripeCli({ stripeBin: flags.stripeBin, env: process.env });
  return info.version === KNOWN_TRIGGERS_VERSION ? knownTriggers : listTriggersOf(info);
}

/**
 * Attached when a `webhook-dev listen` runs for this project (both terminals show the events);
 * standalone otherwise, or when the command names its own handler or offline mode (CI).
 */
async function openTarget(
  required: string[],
  flags: TriggerFlags,
  fromConfig: ReadonlySet<string>,
  reporter: HeldReporter,
  signal: AbortSignal,
  checkNames: (offline: boolean) => void,
): Promise<TriggerTarget> {
  // The config's handler and mode serve a session of its own; they do not stop `trigger` from
  // joining the project's running `listen`, as the same flags typed on the command line do.
  const asked = (name: 'handler' | 'offline') => flags[name] !== undefined && flags[name] !== false && !fromConfig.has(name);
  const wantsOwnSession = flags.standalone === true || asked('handler') || asked('offline');
  if (flags.attach && wantsOwnSession) {
    throw new UsageError('--attach cannot be combined with --standalone, --handler or --offline.', { hint: 'Drop --attach to run a session of its own.' });
  }
  if (!wantsOwnSession) {
    const [{ attachToSession }, { findRunningSession }] = await Promise.all([import('../trigger/attach-to-session.js'), import('../control/find-live-session.js')]);
    const found = await findRunningSession(process.cwd());
    if (found) refuseQuirksWhenAttached(flags);
    if (found) {
      checkNames(found.offline);
      // The session is ready already, and shows its own banner in its own terminal.
      reporter.release();
      return attachToSession(found, { required, stripeBin: flags.stripeBin, reporter });
    }
    if (flags.attach) {
      refuseQuirksWhenAttached(flags);
      throw new WebhookDevError('SESSION_NOT_FOUND', 'No running webhook-dev listen was found for this project.', {
        hint: 'Start one in another terminal (webhook-dev listen --offline --handler …) from this project, or drop --attach.',
      });
    }
    reporter.notice('No running webhook-dev listen for this project: starting a session of its own.');
  }
  const mode = resolveMode(flags);
  checkNames(mode.offline);
  if (mode.reason === 'no-credentials') reporter.notice(NO_CREDENTIALS_NOTICE);
  // Every snapshot event unless --events: a trigger shows all the events it caused, handled or not,
  // and `stripe listen` need not wait for the handler to load.
  let early: ((session: EarlySession) => void) | undefined;
  const spawned = new Promise<EarlySession>((resolve) => (early = resolve));
  let startFailed: ((error: unknown) => void) | undefined;
  const failedToStart = new Promise<unknown>((resolve) => (startFailed = resolve));
  const starting = startListenSession({
    ...toSessionOptions({ port: '0', ...flags, offline: mode.offline }),
    allEvents: true,
    reporter,
    signal,
    requiredEvents: required,
    control: false,
    onListenSpawned: early,
    onStartFailed: startFailed,
    // A CI check does not wait out a flaky CLI: the first stall or death fails the run (exit 7).
    stripeCliWatch: { maxFailures: 0, ...parseListenWatchSettings(process.env.WEBHOOK_DEV_WATCHDOG) },
  });
  // Offline, triggers need not wait for `stripe listen` to be ready: the emulator queues what it
  // sends until the CLI connects. Online they must, or real Stripe's events would go nowhere.
  const first = await Promise.race([starting.then((session) => ({ session })), spawned.then((spawnedSession) => ({ spawnedSession }))]);
  if ('session' in first) return standaloneTarget(first.session);
  const session = first.spawnedSession;
  // If start-up fails after the triggers began, that ends them like a session that died. It is
  // known before the close that cuts the running triggers short (a handler that did not load must
  // not read as a `stripe trigger` whose emulator went away).
  const asSessionError = (error: unknown) => (error instanceof WebhookDevError ? error : new WebhookDevError('INTERNAL', String(error), { cause: error }));
  const failed = Promise.race([failedToStart.then(asSessionError), starting.then((ready) => ready.failed, asSessionError)]);
  const started = starting.catch(() => undefined);
  return {
    mode: 'standalone',
    source: session.deliveries,
    cli: session.stripeCli,
    apiBase: session.apiBase,
    apiKey: session.apiKey,
    ...(session.localSocket === undefined ? {} : { localSocket: session.localSocket }),
    offline: true,
    published: session.emulatorEvents,
    receives: receivesFrom(session.events),
    ...(session.quirks ? { quirks: session.quirks, busy: session.quirks.busy } : {}),
    failed,
    started,
    close: async () => (await started)?.close(),
  };
}

function standaloneTarget(session: ListenSession): TriggerTarget {
  return {
    mode: 'standalone',
    source: session.deliveries,
    cli: session.ready.stripeCli,
    apiBase: session.ready.apiBase,
    ...(session.ready.offlineApiKey === undefined ? {} : { apiKey: session.ready.offlineApiKey }),
    ...(session.ready.offlineSocket === undefined ? {} : { localSocket: session.ready.offlineSocket }),
    offline: session.ready.offline,
    ...(session.emulatorEvents ? { published: session.emulatorEvents } : {}),
    receives: receivesFrom(session.ready.events),
    ...(session.quirks ? { quirks: session.quirks, busy: session.quirks.busy } : {}),
    failed: session.failed,
    close: () => session.close(),
  };
}

/** The quirks shape a session's deliveries: an attached trigger joins a session that has its own (or none). */
function refuseQuirksWhenAttached(flags: TriggerFlags): void {
  const given = givenQuirkFlags(flags);
  if (given.length === 0) return;
  throw quirksBelongToSession(flags, 'this trigger attaches to a running webhook-dev listen', `or run a session of the trigger's own: webhook-dev trigger --standalone ${given[0]} ….`);
}

function receivesFrom(events: string[] | 'all-snapshot'): (type: string) => boolean {
  return (type) => events === 'all-snapshot' || events.includes(type);
}

async function listTriggers(flags: TriggerFlags, reporter: Reporter): Promise<number> {
  const { locateStripeCli } = await import('../stripe-cli/locate-stripe-cli.js');
  const { offlineTriggerGaps, LOCAL_SOCKET_GAP } = await import('../emulator/offline-trigger-gaps.js');
  const { info } = await locateStripeCli({ stripeBin: flags.stripeBin, env: process.env });
  const names = info.version === KNOWN_TRIGGERS_VERSION ? knownTriggers : await listTriggersOf(info);
  const offline = new Set<string>(offlineTriggersOn());
  // A trigger this webhook-dev does not know (a newer Stripe CLI) has no recorded reason.
  const reason = (name: string) => offlineTriggerGaps[name] ?? (offlineTriggers.includes(name) ? LOCAL_SOCKET_GAP : 'not emulated offline yet');
  const rows = names.map((name) => ({ name, offline: offline.has(name), ...(offline.has(name) ? {} : { reason: reason(name) }) }));
  if (flags.json) {
    process.stdout.write(`${toJsonLine({ type: 'triggers', stripeCli: info, triggers: rows })}\n`);
  } else {
    const width = Math.max(...rows.map((row) => row.name.length));
    process.stdout.write(rows.map((row) => `${row.name.padEnd(width)}  ${row.offline ? 'offline ✓' : `online only: ${row.reason}`}`).join('\n') + '\n');
    process.stderr.write(`${rows.length} triggers in ${info.path} ${info.version}; ${rows.filter((r) => r.offline).length} work offline (--offline).\n`);
  }
  reporter.close();
  return ExitCode.OK;
}

async function listTriggersOf(cli: StripeCliInfo): Promise<string[]> {
  const [{ listStripeTriggers }, { buildStripeCliEnv }] = await Promise.all([import('../stripe-cli/list-stripe-triggers.js'), import('../stripe-cli/stripe-cli-env.js')]);
  return listStripeTriggers({ cli, env: buildStripeCliEnv({ baseEnv: process.env, offline: true }) });
}

async function writeJunit(file: string, reports: TriggerReport[], reporter: Reporter): Promise<void> {
  const [{ toJunitXml }, { formatDeliveryLine }] = await Promise.all([import('../trigger/junit-report.js'), import('../trigger/format-delivery-line.js')]);
  const cases = reports.map((report) => ({ ...report, eventLines: report.deliveries.map(formatDeliveryLine) }));
  const path = resolve(file);
  await writeFile(path, toJunitXml(cases, { timestamp: new Date() }));
  reporter.notice(`JUnit report written to ${path}`);
}
