import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { AppExit } from '../app/start-app.js';
import type { WebhookDevError } from '../errors.js';
import { startWatchdog, type Watchdog } from '../process/start-watchdog.js';
import type { Reporter } from '../render/reporter.js';
import { startReceiver, type Receiver } from '../receiver/start-receiver.js';
import type { Journal } from '../journal/open-journal.js';
import type { JournalLimits } from '../journal/prune-journal.js';
import type { HandlerHost } from '../runner/start-handler-host.js';
import { DEFAULT_TOLERANCE_SECONDS } from '../signature/verify-signature.js';
import type { QuirkSettings } from '../quirks/quirk-settings.js';
import type { QuirkSummary, ReadyInfo, StripeCliInfo, StripeEventLike } from '../types.js';
import { createClosers, type Closers } from './closers.js';
import { createSessionForwarder } from './create-session-forwarder.js';
import { createDeliveryPipeline, type DeliveryPipeline } from './delivery-pipeline.js';
import type { DeliverySource } from './delivery-source.js';
import { createDispatcher } from './dispatch-delivery.js';
import { resolveEventSelection } from './resolve-event-selection.js';
import { createSecretSlot, type SecretSlot } from './secret-slot.js';
import type { SessionCounts } from './session-stats.js';
import type { SessionQuirks } from './session-quirks.js';
import { startOfflineApi, type OfflineApi } from './start-offline-api.js';
import { startSessionHandler } from './start-session-handler.js';
import type { ReplaceableApp } from './start-user-app.js';
import type { ListenWatchSettings } from '../stripe-cli/listen-watch-settings.js';

/** Not 4242: that is the port Stripe's own samples give the user's app. */
export const DEFAULT_PORT = 4343;
export const DEFAULT_HANDLER_TIMEOUT_MS = 10_000;
export const DEFAULT_READY_TIMEOUT_MS = 30_000;

export interface ListenSessionOptions {
  reporter: Reporter;
  handler?: string;
  host?: string;
  port?: number;
  path?: string;
  /** `--events`; `'all-snapshot'` when the user asked for '*'. */
  events?: string[] | 'all-snapshot';
  /** Without --events, receive every snapshot event rather than the handler's types (`trigger`). */
  allEvents?: boolean;
  /**
   * Offline only: called once `stripe listen` has been spawned, before it is ready. The emulator
   * queues what it sends until the CLI connects, so `trigger` can start creating objects while the
   * CLI is still connecting instead of after.
   */
  onListenSpawned?: (early: EarlySession) => void;
  /**
   * Called when start-up fails, before what had started is closed. Whoever began work on the
   * early session learns why now, not after the close has cut that work short.
   */
  onStartFailed?: (error: unknown) => void;
  tolerance?: number;
  handlerTimeoutMs?: number;
  readyTimeoutMs?: number;
  showSecret?: boolean;
  offline?: boolean;
  apiKey?: string;
  apiBase?: string;
  projectName?: string;
  stripeBin?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Aborting during start-up stops whatever had started and rejects. */
  signal?: AbortSignal;
  /** Event types to subscribe to on top of the handler's own (`trigger` waits for them). */
  requiredEvents?: readonly string[];
  /**
   * Serve the local control interface (event stream for `trigger`, later the inspector and replay)
   * and announce it in `<project>/.webhook-dev/sessions/`. Off for sessions nobody else should join.
   */
  control?: boolean;
  /** Forward every verified delivery, byte for byte, to the user's app (after the handler, if any). */
  forwardTo?: string;
  /** 0: no timeout (sitting at a breakpoint). */
  forwardTimeoutMs?: number;
  insecure?: boolean;
  /** `-- COMMAND…`: the user's app, started with the secret in its environment. */
  appCommand?: string[];
  secretEnvName?: string;
  /** `--status-only`: judge a forward by its HTTP status alone, not its body or the app's output. */
  statusOnly?: boolean;
  /** `--write-env`: the dotenv file to write the secret into. */
  envFile?: string;
  /**
   * Keep every delivery in `<project>/.webhook-dev/journal/` (what `webhook-dev events` reads).
   * Off when absent: the command line turns it on unless --no-journal.
   */
  journal?: { limits?: Partial<JournalLimits> };
  /** How the Stripe CLI is watched and revived (`WEBHOOK_DEV_WATCHDOG`); `maxFailures: 0` ends the session at the first stall. */
  stripeCliWatch?: Partial<ListenWatchSettings>;
  /** Stripe's delivery quirks on demand: duplicates, reordering, delays, retries (src/quirks/). */
  quirks?: QuirkSettings;
}

/** What a session's delivery quirks did so far, and whether some are still due (`trigger` waits for them). */
export interface SessionQuirksView {
  busy(): boolean;
  summary(): QuirkSummary;
}

/** What exists of an offline session before `stripe listen` is ready. */
export interface EarlySession {
  apiBase: string;
  /** The key the session's emulator accepts (for `stripe trigger`, in its env). */
  apiKey: string;
  /** The emulator's Unix socket, for `stripe trigger` as STRIPE_CLI_UNIX_SOCKET (meter events). */
  localSocket?: string;
  stripeCli: StripeCliInfo;
  events: string[] | 'all-snapshot';
  deliveries: DeliverySource;
  emulatorEvents: { subscribe(listener: (event: StripeEventLike) => void): () => void };
  quirks?: SessionQuirksView;
}

export interface ListenSession {
  ready: ReadyInfo;
  counts(): SessionCounts;
  /** Every delivery, after the reporter has shown it. */
  deliveries: DeliverySource;
  /** Offline only: every event the emulator sends, the moment it sends it (exact trigger attribution). */
  emulatorEvents?: { subscribe(listener: (event: StripeEventLike) => void): () => void };
  /** Settles if the session ends on its own: the Stripe CLI died under it and could not be revived. */
  failed: Promise<WebhookDevError>;
  /** With `-- COMMAND`: settles when the app exits; the session then ends with its status. */
  appExited?: Promise<AppExit>;
  /** With delivery quirks on. */
  quirks?: SessionQuirksView;
  close(): Promise<void>;
}

/**
 * One `webhook-dev listen`, in phases that each return what the next needs:
 * 1. resolve the options; 2. start what depends on nothing else, together (handler host, Stripe CLI
 * lookup, emulator, forwarder), then the receiver and its delivery pipeline; 3. `stripe listen`
 * (the secret comes from here); 4. the user's app, with the secret; 5. announce (control server,
 * session file, ready). Everything started is closed in reverse, whatever ends the session.
 */
export async function startListenSession(options: ListenSessionOptions): Promise<ListenSession> {
  const closers = createClosers();
  try {
    return await start(options, closers);
  } catch (error) {
    options.onStartFailed?.(error);
    await closers.closeAll();
    throw error;
  }
}

async function start(options: ListenSessionOptions, closers: Closers): Promise<ListenSession> {
  const settings = resolveSettings(options);
  const parts = await startParts(settings, closers);
  const delivery = await startDelivery(settings, parts, closers);
  const listen = await startListen(settings, parts, delivery, closers);
  const app = await startApp(settings, parts, delivery, listen, closers);
  return announce(settings, parts, delivery, listen, app, closers);
}

// --- 1. Resolve -------------------------------------------------------------------------------

type Settings = ReturnType<typeof resolveSettings>;

function resolveSettings(options: ListenSessionOptions) {
  const cwd = options.cwd ?? process.cwd();
  const settings = {
    ...options,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? DEFAULT_PORT,
    path: options.path ?? '/webhook',
    tolerance: options.tolerance ?? DEFAULT_TOLERANCE_SECONDS,
    handlerTimeoutMs: options.handlerTimeoutMs ?? DEFAULT_HANDLER_TIMEOUT_MS,
    readyTimeoutMs: options.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS,
    showSecret: options.showSecret ?? false,
    offline: options.offline ?? false,
    env: options.env ?? process.env,
    cwd,
    handlerPath: options.handler === undefined ? undefined : resolve(cwd, options.handler),
    // The handler's declared types choose the events, unless --events did: then `stripe listen`
    // need not wait for the handler to load.
    handlerChoosesEvents: options.events === undefined && options.allEvents !== true,
    appCommand: options.appCommand !== undefined && options.appCommand.length > 0 ? options.appCommand : undefined,
    secretEnvName: options.secretEnvName ?? 'STRIPE_WEBHOOK_SECRET',
  };
  if (settings.host !== '127.0.0.1' && settings.host !== 'localhost' && settings.host !== '::1') {
    options.reporter.notice(`The receiver listens on ${settings.host}: other machines and containers that can reach it may send it requests (they still need a valid signature).`, 'warn');
  }
  return settings;
}

// --- 2. Start what depends on nothing else --------------------------------------------------

interface Parts {
  watchdog: Watchdog;
  secret: SecretSlot;
  controlToken: string | undefined;
  /** The handler host while it loads; awaited before the session is ready. */
  loading: Promise<HandlerHost> | undefined;
  /** The host, when it had to load before `stripe listen` (its types choose the events). */
  loaded: HandlerHost | undefined;
  cli: StripeCliInfo;
  forwarder: Awaited<ReturnType<typeof createSessionForwarder>> | undefined;
  emulator: OfflineApi | undefined;
  journal: Journal | undefined;
  stripeCli: [typeof import('../stripe-cli/listen-args.js'), typeof import('../stripe-cli/stripe-cli-env.js'), typeof import('../stripe-cli/supervise-stripe-listen.js'), typeof import('./listen-recovery.js')];
}

/** Started together; each registers its closer as soon as it exists, so a failure of one still closes the others. */
async function startParts(settings: Settings, closers: Closers): Promise<Parts> {
  const { reporter, offline, env, cwd } = settings;
  const secret = createSecretSlot();
  closers.add(() => secret.close());
  // Made now so the emulator can accept it too: the publish examples send the session's token.
  const controlToken = settings.control === true ? (await import('../control/control-token.js')).createControlToken() : undefined;
  // Closed last: by then every child has exited and been forgotten, so it stops nothing.
  const watchdog = startWatchdog();
  closers.add(() => watchdog.close());

  reporter.starting(settings.handlerPath ? 'Loading the handler and starting…' : 'Starting…');
  // The handler loads in its own worker thread, so it starts now and the Stripe CLI gets ready in
  // parallel; `stripe listen` waits for it only when its types choose the events.
  const loading =
    settings.handlerPath === undefined
      ? undefined
      : startSessionHandler(settings.handlerPath, settings.handler!, {
          reporter,
          closers,
          cwd,
          timeoutMs: settings.handlerTimeoutMs,
          choosesEvents: settings.handlerChoosesEvents,
          ...(settings.requiredEvents ? { requiredEvents: settings.requiredEvents } : {}),
        });
  const [loaded, located, forwarder, emulator, journal, stripeCli] = await settleAll([
    settings.handlerChoosesEvents ? loading : undefined,
    import('../stripe-cli/locate-stripe-cli.js').then(({ locateStripeCli }) => locateStripeCli({ stripeBin: settings.stripeBin, env })),
    settings.forwardTo ? createSessionForwarder({ ...settings, forwardTo: settings.forwardTo }, () => secret.current(), closers) : undefined,
    offline ? startOfflineApi(closers, watchdog, controlToken) : undefined,
    settings.journal ? openSessionJournal(cwd, settings.journal.limits, reporter, closers) : undefined,
    Promise.all([import('../stripe-cli/listen-args.js'), import('../stripe-cli/stripe-cli-env.js'), import('../stripe-cli/supervise-stripe-listen.js'), import('./listen-recovery.js')]),
    // A killed session's app may hold the port this one's app needs, its CLI may forward to ours.
    settings.control === true ? sweepLeftovers(cwd, reporter) : undefined,
  ]);
  settings.signal?.throwIfAborted();
  reporter.debug?.(`start-up: Stripe CLI found (${located.info.path} ${located.info.version})${emulator ? ', emulator up' : ''}${loaded ? ', handler loaded' : ''}`);
  for (const note of located.notes) reporter.notice(note);
  // Offline, the emulator made the secret: deliveries can be verified before the CLI says Ready.
  if (emulator) secret.set(emulator.secret);
  return { watchdog, secret, controlToken, loading, loaded, cli: located.info, forwarder, emulator, journal, stripeCli };
}

interface Delivery {
  receiver: Receiver;
  pipeline: DeliveryPipeline;
  quirks: SessionQuirks | undefined;
  /** Deliveries wait for the user's app while it starts (or restarts with a new secret) instead of failing. */
  appStarting: (started: Promise<unknown>) => void;
  /** Known only to this process: marks what the control interface's `POST /send` delivers (send, replay). */
  originKey: string;
}

/** receiver → verification → dispatch (handler, then forward) → one record → the pipeline's sinks. */
async function startDelivery(settings: Settings, parts: Parts, closers: Closers): Promise<Delivery> {
  const pipeline = createDeliveryPipeline({ reporter: settings.reporter, ...(parts.journal ? { journal: parts.journal } : {}) });
  // Awaited in phase 3 in any case. Offline triggers may already be running when it fails: what
  // they delivered meanwhile is not reported, the load failure is (once, by whoever started the session).
  parts.loading?.catch(() => pipeline.quiet());
  // With `-- COMMAND`, deliveries wait for the app to be up instead of failing while it starts.
  const app = settings.appCommand ? createAppGate() : undefined;
  if (app) closers.add(() => app.open());
  const dispatcher = createDispatcher({ host: parts.loading, forwarder: parts.forwarder, appReady: () => app?.ready() ?? Promise.resolve() });
  let receiverUrl = '';
  const quirks = settings.quirks
    ? (await import('./session-quirks.js')).createSessionQuirks({ settings: settings.quirks, receiverUrl: () => receiverUrl, secret: () => parts.secret.current() })
    : undefined;
  const dispatch = quirks ? quirks.wrap(dispatcher) : dispatcher;
  const originKey = randomBytes(18).toString('base64url');
  const receiver = await startReceiver({
    host: settings.host,
    port: settings.port,
    path: settings.path,
    tolerance: settings.tolerance,
    getSecret: parts.secret.get,
    ...(dispatch ? { dispatch } : {}),
    keep: pipeline.keep,
    originKey,
    onDelivery: pipeline.deliver,
    ...(quirks ? { readMark: quirks.readMark } : {}),
  });
  closers.add(() => receiver.close());
  receiverUrl = receiver.url;
  // Closed before the receiver: held deliveries are handed over, copies and retries not yet made are given up.
  if (quirks) closers.add(() => quirks.close());
  settings.signal?.throwIfAborted();
  settings.reporter.debug?.(`start-up: receiver listening at ${receiver.url}`);
  return { receiver, pipeline, quirks, appStarting: (started) => app?.starting(started), originKey };
}

// --- 3. stripe listen ------------------------------------------------------------------------

interface Listen {
  secret: string;
  apiVersion: string | undefined;
  apiBase: string | undefined;
  selection: ReturnType<typeof resolveEventSelection>;
  /** Settles if the session ends on its own: the Stripe CLI died under it and could not be revived. */
  failed: Promise<WebhookDevError>;
  /** A replacement CLI came with another secret: the app and the env file are told (phase 4). */
  onSecretChange(listener: (secret: string) => Promise<void>): void;
}

async function startListen(settings: Settings, parts: Parts, { receiver, pipeline, quirks }: Delivery, closers: Closers): Promise<Listen> {
  const { reporter, readyTimeoutMs, signal } = settings;
  const { emulator } = parts;
  const selection = resolveEventSelection(settings.events, settings.handlerChoosesEvents ? (parts.loaded?.current().eventTypes ?? null) : null, settings.requiredEvents);
  reporter.starting('Starting stripe listen…');
  const [{ buildListenArgs }, { buildStripeCliEnv }, { superviseStripeListen }, { createListenRecovery }] = parts.stripeCli;
  const apiBase = emulator?.apiBase ?? settings.apiBase;
  const cliEnv = buildStripeCliEnv({ baseEnv: settings.env, apiKey: emulator ? emulator.apiKey : settings.apiKey, configDir: emulator?.configDir, offline: settings.offline });
  const secretListeners: Array<(secret: string) => Promise<void>> = [];
  // A stalled or dead CLI is replaced; this says so, keeps the secret in step and catches up.
  const recovery = createListenRecovery({
    reporter,
    events: selection.events,
    ...(emulator ? {} : { listEvents: listMissedEvents(parts.cli, cliEnv, apiBase, settings.projectName, selection.events, parts.watchdog) }),
    receiverUrl: () => receiver.url,
    secret: () => parts.secret.current()!,
    onSecretChanged: async (next) => {
      parts.secret.set(next);
      reporter.notice('The restarted Stripe CLI has a new signing secret; deliveries are verified with it from now on.', 'warn');
      for (const listener of secretListeners) await listener(next);
    },
  });
  pipeline.deliveries.subscribe((record) => recovery.saw(record));
  const listenReady = superviseStripeListen({
    cli: parts.cli,
    args: buildListenArgs({ forwardTo: receiver.url, events: selection.events, thinEvents: selection.thinEvents, apiBase, projectName: settings.projectName }),
    env: cliEnv,
    ...(settings.stripeCliWatch ? { settings: settings.stripeCliWatch } : {}),
    onStall: recovery.onStall,
    onRestartFailed: recovery.onRestartFailed,
    onRecovered: recovery.onRecovered,
    readyTimeoutMs,
    signal,
    watch: parts.watchdog,
    ...(emulator ? { readyWhen: emulator.connected(readyTimeoutMs) } : {}),
    onLine: (line, text) => {
      reporter.debug?.(`stripe listen │ ${text}`);
      if (line.kind === 'ready' && emulator && line.secret !== emulator.secret) {
        reporter.notice('The Stripe CLI reports another signing secret than the offline emulator gave it; deliveries will fail verification. Report this with the output of --json.', 'warn');
      }
      if (line.kind === 'unknown-event') {
        reporter.notice(`The Stripe CLI does not know the event type "${line.eventType}"; check its spelling (https://docs.stripe.com/api/events/types).`, 'warn');
      }
      if (line.kind === 'forward-error') reporter.notice(`Stripe CLI could not deliver${line.eventId ? ` ${line.eventId}` : ''}: ${line.message}`, 'warn');
    },
  });
  // Awaited below; should the handler fail to load first, the close stops the CLI, and that
  // rejection must not surface as an unhandled one.
  listenReady.catch(() => {});
  if (emulator && settings.onListenSpawned) {
    // Triggers start here, while the handler's worker may still be loading: deliveries wait for it.
    settings.onListenSpawned({
      apiBase: emulator.apiBase,
      apiKey: emulator.apiKey,
      ...(emulator.localSocket === undefined ? {} : { localSocket: emulator.localSocket }),
      stripeCli: parts.cli,
      events: selection.events,
      deliveries: pipeline.deliveries,
      emulatorEvents: subscribable(emulator.listeners),
      ...(quirks ? { quirks } : {}),
    });
  }
  const listen = await listenReady;
  reporter.debug?.('start-up: stripe listen ready');
  parts.secret.set(listen.secret);
  let closing = false;
  closers.add(async () => {
    closing = true;
    pipeline.quiet();
    await recovery.close();
    await listen.close();
  });
  await parts.loading;
  // Settles only when the CLI cannot be revived (or, for `trigger`, may not be).
  const failed = listen.failed.then((error) => (closing ? new Promise<WebhookDevError>(() => {}) : error));
  return { secret: listen.secret, apiVersion: listen.apiVersion, apiBase, selection, failed, onSecretChange: (listener) => void secretListeners.push(listener) };
}

// --- 4. The user's app -----------------------------------------------------------------------

async function startApp(settings: Settings, parts: Parts, { appStarting }: Delivery, listen: Listen, closers: Closers): Promise<{ exited?: Promise<AppExit> }> {
  const { reporter, cwd, secretEnvName, envFile } = settings;
  if (envFile !== undefined) {
    const { writeSecretToEnvFile } = await import('./start-user-app.js');
    await writeSecretToEnvFile({ file: envFile, name: secretEnvName, secret: listen.secret, cwd, reporter });
    listen.onSecretChange((next) => writeSecretToEnvFile({ file: envFile, name: secretEnvName, secret: next, cwd, reporter }).catch((error: unknown) => reporter.error(error)));
  }
  if (settings.appCommand === undefined) return {};
  const { startReplaceableApp } = await import('./start-user-app.js');
  const started = startReplaceableApp({
    command: settings.appCommand,
    secret: listen.secret,
    secretEnvName,
    env: settings.env,
    cwd,
    ...(settings.forwardTo ? { forwardTo: settings.forwardTo } : {}),
    readyTimeoutMs: settings.readyTimeoutMs,
    reporter,
    closers,
    watch: parts.watchdog,
    ...(settings.signal ? { signal: settings.signal } : {}),
    ...(parts.forwarder ? { onLine: parts.forwarder.appLine } : {}),
  });
  appStarting(started);
  const app: ReplaceableApp = await started;
  // Restarted with the new secret should a replaced Stripe CLI ever bring one; deliveries wait for it.
  listen.onSecretChange(async (next) => {
    const restarted = app.restart(next);
    appStarting(restarted);
    await restarted.catch((error: unknown) => reporter.error(error));
  });
  return { exited: app.exited };
}

// --- 5. Announce -----------------------------------------------------------------------------

async function announce(settings: Settings, parts: Parts, { receiver, pipeline, quirks, originKey }: Delivery, listen: Listen, app: { exited?: Promise<AppExit> }, closers: Closers): Promise<ListenSession> {
  const { reporter, handlerPath } = settings;
  const { emulator } = parts;
  let ready: ReadyInfo = {
    receiverUrl: receiver.url,
    stripeCli: parts.cli,
    ...(listen.apiVersion ? { apiVersion: listen.apiVersion } : {}),
    events: listen.selection.events,
    eventsSource: listen.selection.source,
    ...(handlerPath ? { handlerPath } : {}),
    secret: listen.secret,
    showSecret: settings.showSecret,
    offline: settings.offline,
    ...(listen.apiBase ? { apiBase: listen.apiBase } : {}),
    ...(emulator ? { publishUrl: emulator.publishUrl, offlineApiKey: emulator.apiKey, ...(emulator.localSocket ? { offlineSocket: emulator.localSocket } : {}) } : {}),
    ...(settings.forwardTo ? { forwardTo: settings.forwardTo } : {}),
    ...(parts.journal ? { journal: { dir: parts.journal.dir, session: parts.journal.session } } : {}),
    ...(settings.quirks ? { quirks: settings.quirks } : {}),
  };
  if (settings.control === true) {
    const [{ startSessionControl }, { toReadyRecord }] = await Promise.all([import('./start-session-control.js'), import('../render/json-records.js')]);
    const started = await startSessionControl({ ready, cwd: settings.cwd, closers, reporter, originKey, watchdog: parts.watchdog, ...(parts.controlToken === undefined ? {} : { token: parts.controlToken }) });
    const control = started.control;
    if (started.curlConfigPath !== undefined) ready = { ...ready, publishCurlConfig: started.curlConfigPath };
    if (emulator) {
      const relay = (event: StripeEventLike) => control.publish({ type: 'sent', event: { id: event.id, type: event.type } });
      emulator.listeners.add(relay);
      closers.add(() => void emulator.listeners.delete(relay));
    }
    control.publish(toReadyRecord(ready));
    pipeline.streamTo(control);
    quirks?.onBusyChange((busy) => control.publish({ type: 'quirks-busy', busy }));
  }
  reporter.debug?.('start-up: ready');
  reporter.ready(ready);
  // What killed offline sessions left in the temp folder; once ready, so it costs start-up nothing.
  if (emulator) void import('./offline-config-dir.js').then(({ removeStaleConfigDirs }) => removeStaleConfigDirs());

  // Added last, so it runs first when the session closes: deliveries already answered are still
  // reported (bounded), ones cut short by the close are not.
  closers.add(async () => {
    await receiver.drain(1_000);
    pipeline.quiet();
  });
  let closed: Promise<void> | undefined;
  return {
    ready,
    counts: pipeline.counts,
    deliveries: pipeline.deliveries,
    ...(emulator ? { emulatorEvents: subscribable(emulator.listeners) } : {}),
    failed: listen.failed,
    ...(app.exited ? { appExited: app.exited } : {}),
    ...(quirks ? { quirks } : {}),
    close: () => (closed ??= closers.closeAll()),
  };
}

/** Like Promise.all, but waits for every promise, so each one's closer is registered before a failure is thrown. */
async function settleAll<T extends readonly unknown[]>(promises: T): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const results = await Promise.allSettled(promises);
  const rejected = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (rejected) throw rejected.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as { -readonly [K in keyof T]: Awaited<T[K]> };
}

/**
 * What deliveries to the user's app wait for: its first start (closed until then), and any restart
 * after. `open` releases every waiter (the session is closing).
 */
function createAppGate(): { ready: () => Promise<void>; starting: (started: Promise<unknown>) => void; open: () => void } {
  let open!: () => void;
  let current = new Promise<void>((resolve) => (open = resolve));
  return {
    ready: () => current,
    starting(started) {
      current = started.then(
        () => {},
        () => {},
      );
      void current.then(open);
    },
    open: () => open(),
  };
}

function subscribable<T>(listeners: Set<(value: T) => void>) {
  return {
    subscribe(listener: (value: T) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The journal is a record, not a requirement: when it cannot be written, the session says so and runs on. */
async function openSessionJournal(cwd: string, limits: Partial<JournalLimits> | undefined, reporter: Reporter, closers: Closers): Promise<Journal> {
  const [{ findProjectRoot }, { openJournal }] = await Promise.all([import('../control/session-file.js'), import('../journal/open-journal.js')]);
  const journal = openJournal({ projectRoot: await findProjectRoot(cwd), ...(limits ? { limits } : {}), onWarning: (message) => reporter.notice(message, 'warn') });
  closers.add(() => journal.close());
  reporter.debug?.(`journal: session ${journal.session} in ${journal.dir}`);
  return journal;
}

/** Online catch-up lists the gap's events with the CLI's own credentials (`stripe get`, see list-stripe-events.ts). */
function listMissedEvents(cli: StripeCliInfo, env: Record<string, string>, apiBase: string | undefined, projectName: string | undefined, events: string[] | 'all-snapshot', watch: Watchdog) {
  return async (since: number, until: number) => {
    const { listStripeEvents } = await import('../stripe-cli/list-stripe-events.js');
    return listStripeEvents({ cli, env, createdGte: since, createdLte: until, ...(apiBase ? { apiBase } : {}), ...(projectName ? { projectName } : {}), ...(events === 'all-snapshot' ? {} : { types: events }), watch });
  };
}

async function sweepLeftovers(cwd: string, reporter: Reporter): Promise<void> {
  const [{ findProjectRoot }, { sweepDeadSessions }] = await Promise.all([import('../control/session-file.js'), import('../control/sweep-dead-sessions.js')]);
  for (const { pid, stopped } of await sweepDeadSessions(await findProjectRoot(cwd))) {
    if (stopped.length > 0) reporter.notice(`Stopped ${stopped.length === 1 ? 'a process' : `${stopped.length} processes`} left running by a killed session (pid ${pid}): ${stopped.map((child) => child.pid).join(', ')}.`, 'warn');
  }
}
