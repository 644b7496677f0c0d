import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ExitCode, UsageError, WebhookDevError, isWebhookDevError } from '../errors.js';
import type { Reporter } from '../render/reporter.js';
import type { TriggerTarget } from '../trigger/trigger-target.js';
import { OFFLINE_API_KEY, startListenSession, type EarlySession, type ListenSession } from '../session/start-listen-session.js';
import { parseEventList } from '../stripe-cli/listen-args.js';
import { emptyCounts, countDelivery } from '../session/session-stats.js';
import type { TriggerReport } from '../types.js';
import { createReporter } from './create-reporter.js';
import { toSessionOptions, type ListenFlags } from './listen-command.js';
import { parseDuration } from './parse-options.js';
import { waitForStop, type StopSignal } from './wait-for-stop.js';
import { expectedEventsOf } from '../trigger/expected-events.js';

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

const SIGNAL_EXIT: Record<StopSignal, number> = { SIGINT: ExitCode.SIGINT, SIGTERM: ExitCode.SIGTERM };

export async function runTriggerCommand(events: string[], flags: TriggerFlags): Promise<number> {
  const reporter = await createReporter({ json: flags.json === true });
  const startedAt = performance.now();
  const stop = waitForStop();
  const reports: TriggerReport[] = [];
  let target: TriggerTarget | undefined;
  const finish = (exitCode: number, reason: 'SIGINT' | 'SIGTERM' | 'error' | 'closed') => {
    const counts = reports.flatMap((r) => r.deliveries).reduce(countDelivery, emptyCounts());
    reporter.triggerTotals?.(reports);
    reporter.summary({ ...counts, durationMs: Math.round(performance.now() - startedAt), exitCode, reason });
    reporter.close();
    return exitCode;
  };
  try {
    if (flags.list) return await listTriggers(flags, reporter);
    const plans = planTriggers(events, flags.expect);
    const timeoutMs = parseDuration(flags.timeout ?? '30s', '--timeout');
    const quietMs = parseDuration(flags.quietPeriod ?? '300ms', '--quiet-period');
    target = await openTarget(plans.flatMap((p) => p.expected), flags, reporter, stop.signal);

    const [{ runTriggers }, { createTriggerRunner }, { worstVerdict, VERDICT_EXIT_CODE }] = await Promise.all([
      import('../trigger/run-triggers.js'),
      import('../trigger/create-trigger-runner.js'),
      import('../trigger/trigger-verdict.js'),
    ]);
    const runner = await createTriggerRunner({
      cli: target.cli,
      ...(target.apiBase ? { apiBase: target.apiBase } : {}),
      ...(target.offline ? { apiKey: OFFLINE_API_KEY } : flags.apiKey ? { apiKey: flags.apiKey } : {}),
      offline: target.offline,
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
        signal: controller.signal,
        onStart: (plan) => reporter.triggerStarted?.(plan.trigger, plan.expected),
        // Standalone, the session's own reporter already shows each delivery.
        ...(target.mode === 'attached' ? { onDelivery: (record) => reporter.delivery(record) } : {}),
        onResult: (report) => {
          reports.push(report);
          reporter.triggerResult?.(report);
        },
      });
    } finally {
      stop.signal.removeEventListener('abort', abort);
      await runner.close();
    }
    if (flags.junit) await writeJunit(flags.junit, reports, reporter);
    if (stop.received) return finish(SIGNAL_EXIT[stop.received], stop.received);
    if (sessionError) {
      reporter.error(sessionError);
      return finish(sessionError.exitCode, 'error');
    }
    return finish(VERDICT_EXIT_CODE[worstVerdict(reports.map((r) => r.verdict))], 'closed');
  } catch (error) {
    if (stop.received) return finish(SIGNAL_EXIT[stop.received], stop.received);
    reporter.error(error);
    return finish(isWebhookDevError(error) ? error.exitCode : ExitCode.INTERNAL, 'error');
  } finally {
    await target?.close();
    stop.dispose();
  }
}

function planTriggers(events: string[], expect: string | undefined) {
  if (events.length === 0) {
    throw new UsageError('Name at least one event to trigger.', { hint: 'For example: webhook-dev trigger payment_intent.succeeded (webhook-dev trigger --list shows them all).' });
  }
  const expected = expect === undefined ? undefined : parseEventList(expect);
  if (expected === 'all-snapshot') throw new UsageError('--expect takes event types, not "*".', { hint: 'For example: --expect payment_intent.succeeded,charge.succeeded' });
  return events.map((trigger) => ({ trigger, expected: expected ?? expectedEventsOf(trigger) }));
}

/**
 * Attached when a `webhook-dev listen` runs for this project (both terminals show the events);
 * standalone otherwise, or when the command names its own handler or offline mode (CI).
 */
async function openTarget(required: string[], flags: TriggerFlags, reporter: Reporter, signal: AbortSignal): Promise<TriggerTarget> {
  const wantsOwnSession = flags.standalone === true || flags.handler !== undefined || flags.offline === true;
  if (flags.attach && wantsOwnSession) {
    throw new UsageError('--attach cannot be combined with --standalone, --handler or --offline.', { hint: 'Drop --attach to run a session of its own.' });
  }
  if (!wantsOwnSession) {
    const { attachToSession, findRunningSession } = await import('../trigger/attach-to-session.js');
    const found = await findRunningSession(process.cwd());
    if (found) return attachToSession(found, { required, stripeBin: flags.stripeBin, reporter });
    if (flags.attach) {
      throw new WebhookDevError('SESSION_NOT_FOUND', 'No running webhook-dev listen was found for this project.', {
        hint: 'Start one in another terminal (webhook-dev listen --offline --handler …) from this project, or drop --attach.',
      });
    }
    reporter.notice('No running webhook-dev listen for this project: starting a session of its own.');
  }
  // Every snapshot event unless --events: a trigger shows all the events it caused, handled or not,
  // and `stripe listen` need not wait for the handler to load.
  let early: ((session: EarlySession) => void) | undefined;
  const spawned = new Promise<EarlySession>((resolve) => (early = resolve));
  const starting = startListenSession({
    ...toSessionOptions({ port: '0', ...flags }),
    allEvents: true,
    reporter,
    signal,
    requiredEvents: required,
    control: false,
    onListenSpawned: early,
  });
  // Offline, triggers need not wait for `stripe listen` to be ready: the emulator queues what it
  // sends until the CLI connects. Online they must, or real Stripe's events would go nowhere.
  const first = await Promise.race([starting.then((session) => ({ session })), spawned.then((spawnedSession) => ({ spawnedSession }))]);
  if ('session' in first) return standaloneTarget(first.session);
  const session = first.spawnedSession;
  // If start-up fails after the triggers began, that ends them like a session that died.
  const failed = starting.then(
    (ready) => ready.failed,
    (error: unknown) => (error instanceof WebhookDevError ? error : new WebhookDevError('INTERNAL', String(error), { cause: error })),
  );
  return {
    mode: 'standalone',
    source: session.deliveries,
    cli: session.stripeCli,
    apiBase: session.apiBase,
    offline: true,
    published: session.emulatorEvents,
    receives: receivesFrom(session.events),
    failed,
    close: async () => {
      const ready = await starting.catch(() => undefined);
      await ready?.close();
    },
  };
}

function standaloneTarget(session: ListenSession): TriggerTarget {
  return {
    mode: 'standalone',
    source: session.deliveries,
    cli: session.ready.stripeCli,
    apiBase: session.ready.apiBase,
    offline: session.ready.offline,
    ...(session.emulatorEvents ? { published: session.emulatorEvents } : {}),
    receives: receivesFrom(session.ready.events),
    failed: session.failed,
    close: () => session.close(),
  };
}

function receivesFrom(events: string[] | 'all-snapshot'): (type: string) => boolean {
  return (type) => events === 'all-snapshot' || events.includes(type);
}

async function listTriggers(flags: TriggerFlags, reporter: Reporter): Promise<number> {
  const [{ locateStripeCli }, { listStripeTriggers }, { buildStripeCliEnv }, { offlineTriggers, offlineGaps, DEFAULT_OFFLINE_GAP }] = await Promise.all([
    import('../stripe-cli/locate-stripe-cli.js'),
    import('../stripe-cli/list-stripe-triggers.js'),
    import('../stripe-cli/stripe-cli-env.js'),
    import('../emulator/offline-triggers.js'),
  ]);
  const { info } = await locateStripeCli({ stripeBin: flags.stripeBin, env: process.env });
  const names = await listStripeTriggers({ cli: info, env: buildStripeCliEnv({ baseEnv: process.env, offline: true }) });
  const offline = new Set<string>(offlineTriggers);
  const rows = names.map((name) => (offline.has(name) ? { name, offline: true } : { name, offline: false, reason: offlineGaps[name] ?? DEFAULT_OFFLINE_GAP }));
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ type: 'triggers', stripeCli: info, triggers: rows })}\n`);
  } else {
    const width = Math.max(...rows.map((row) => row.name.length));
    process.stdout.write(rows.map((row) => `${row.name.padEnd(width)}  ${row.offline ? 'offline ✓' : `not offline: ${row.reason}`}`).join('\n') + '\n');
    process.stderr.write(`${rows.length} triggers in ${info.path} ${info.version}; ${rows.filter((r) => r.offline).length} work offline (--offline).\n`);
  }
  reporter.close();
  return ExitCode.OK;
}

async function writeJunit(file: string, reports: TriggerReport[], reporter: Reporter): Promise<void> {
  const [{ toJunitXml }, { formatDeliveryLine }] = await Promise.all([import('../trigger/junit-report.js'), import('../trigger/format-delivery-line.js')]);
  const cases = reports.map((report) => ({ ...report, eventLines: report.deliveries.map(formatDeliveryLine) }));
  const path = resolve(file);
  await writeFile(path, toJunitXml(cases, { timestamp: new Date() }));
  reporter.notice(`JUnit report written to ${path}`);
}
