import { resolve } from 'node:path';
import type { AppExit } from '../app/start-app.js';
import type { ControlServer } from '../control/start-control-server.js';
import type { WebhookDevError } from '../errors.js';
import { startWatchdog, type Watchdog } from '../process/start-watchdog.js';
import type { Reporter } from '../render/reporter.js';
import { startReceiver, type DispatchResult, type EventDispatcher } from '../receiver/start-receiver.js';
import type { HandlerHost } from '../runner/start-handler-host.js';
import type { HandlerWorker } from '../runner/start-handler-worker.js';
import { redactSecrets } from '../secrets.js';
import { DEFAULT_TOLERANCE_SECONDS } from '../signature/verify-signature.js';
import type { DeliveryRecord, ReadyInfo, StripeCliInfo, StripeEventLike } from '../types.js';
import { createClosers, type Closers } from './closers.js';
import type { DeliverySource } from './delivery-source.js';
import { resolveEventSelection } from './resolve-event-selection.js';
import { countDelivery, emptyCounts, type SessionCounts } from './session-stats.js';
import { toWireDelivery } from './wire-delivery.js';
import type { ListenRecoveryHandle } from './listen-recovery.js';
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
  /** `--write-env`: the dotenv file to write the secret into. */
  envFile?: string;
  /** How the Stripe CLI is watched and revived (`WEBHOOK_DEV_WATCHDOG`); `maxFailures: 0` ends the session at the first stall. */
  stripeCliWatch?: Partial<ListenWatchSettings>;
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
}

export interface ListenSession {
  ready: ReadyInfo;
  counts(): SessionCounts;
  /** Every delivery, after the reporter has shown it. */
  deliveries: DeliverySource;
  /** Offline only: every event the emulator sends, the moment it sends it (exact trigger attribution). */
  emulatorEvents?: { subscribe(listener: (event: StripeEventLike) => void): () => void };
  /** Settles if the session ends on its own: the Stripe CLI died under it. */
  failed: Promise<WebhookDevError>;
  /** With `-- COMMAND`: settles when the app exits; the session then ends with its status. */
  appExited?: Promise<AppExit>;
  close(): Promise<void>;
}

/**
 * One `webhook-dev listen`. The handler, the Stripe CLI lookup, the receiver and the emulator do
 * not depend on each other, so they start together; `stripe listen` needs all of them, and the
 * user's app needs the secret `stripe listen` prints. Everything started is closed in reverse.
 */
export async function startListenSession(options: ListenSessionOptions): Promise<ListenSession> {
  const closers = createClosers();
  try {
    return await start(options, closers);
  } catch (error) {
    await closers.closeAll();
    throw error;
  }
}

async function start(options: ListenSessionOptions, closers: Closers): Promise<ListenSession> {
  const {
    reporter,
    host = '127.0.0.1',
    port = DEFAULT_PORT,
    path = '/webhook',
    tolerance = DEFAULT_TOLERANCE_SECONDS,
    handlerTimeoutMs = DEFAULT_HANDLER_TIMEOUT_MS,
    readyTimeoutMs = DEFAULT_READY_TIMEOUT_MS,
    showSecret = false,
    offline = false,
    env = process.env,
    cwd = process.cwd(),
    signal,
  } = options;
  const handlerPath = options.handler === undefined ? undefined : resolve(cwd, options.handler);
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    reporter.notice(`The receiver listens on ${host}: other machines and containers that can reach it may send it requests (they still need a valid signature).`, 'warn');
  }

  let secret: string | undefined;
  // Settles when `stripe listen` says its secret, or with undefined if it never does.
  let learnSecret!: (value: string | undefined) => void;
  const secretKnown = new Promise<string | undefined>((resolve) => (learnSecret = resolve));
  closers.add(() => learnSecret(undefined));
  let counts = emptyCounts();
  let closing = false;
  const listeners = new Set<(record: DeliveryRecord) => void>();
  let control: ControlServer | undefined;
  let appReady: Promise<unknown> = Promise.resolve();
  let onHandlerReload: (handler: HandlerWorker) => void = () => {};
  let recovery: ListenRecoveryHandle | undefined;
  // Restarted with the new secret should a replaced Stripe CLI ever bring one.
  let app: ReplaceableApp | undefined;
  let onSecretChanged: (secret: string) => Promise<void> = async (next) => {
    secret = next;
  };
  // Made now so the emulator can accept it too: the publish examples send the session's token.
  const controlToken = options.control === true ? (await import('../control/control-token.js')).createControlToken() : undefined;
  // Closed last: by then every child has exited and been forgotten, so it stops nothing.
  const watchdog = startWatchdog();
  closers.add(() => watchdog.close());

  reporter.starting(handlerPath ? 'Loading the handler and starting…' : 'Starting…');
  const phase = (name: string) => reporter.debug?.(`start-up: ${name}`);
  // Started together; each registers its closer as soon as it exists, so a failure of one still
  // closes the others.
  // The handler's declared types choose the events, unless --events did: then `stripe listen`
  // need not wait for the handler to load. It loads in its own worker thread either way, so it
  // starts now and the Stripe CLI gets ready in parallel.
  const handlerChoosesEvents = options.events === undefined && options.allEvents !== true;
  const loading = handlerPath === undefined ? undefined : startHost(handlerPath, options.handler!, { reporter, closers, cwd, handlerTimeoutMs, onReload: (reloaded) => onHandlerReload(reloaded) });
  // Awaited below in any case. Offline triggers may already be running when it fails: what they
  // delivered meanwhile is not reported, the load failure is (once, by whoever started the session).
  loading?.catch(() => {
    closing = true;
  });
  const [early, located, forwarder, emulator, stripeCli] = await settleAll([
    handlerChoosesEvents ? loading : undefined,
    import('../stripe-cli/locate-stripe-cli.js').then(({ locateStripeCli }) => locateStripeCli({ stripeBin: options.stripeBin, env })),
    options.forwardTo ? createForwarder(options, () => secret, closers) : undefined,
    offline ? startOfflineApi(closers, watchdog, controlToken) : undefined,
    Promise.all([import('../stripe-cli/listen-args.js'), import('../stripe-cli/stripe-cli-env.js'), import('../stripe-cli/supervise-stripe-listen.js'), import('./listen-recovery.js')]),
    // A killed session's app may hold the port this one's app needs, its CLI may forward to ours.
    options.control === true ? sweepLeftovers(cwd, reporter) : undefined,
  ]);
  signal?.throwIfAborted();
  phase(`Stripe CLI found (${located.info.path} ${located.info.version})${emulator ? ', emulator up' : ''}${early ? ', handler loaded' : ''}`);
  for (const note of located.notes) reporter.notice(note);
  // Offline, the emulator made the secret: deliveries can be verified before the CLI says Ready.
  if (emulator) secret = emulator.secret;

  const dispatch = createDispatcher({ host: loading, forwarder, appReady: () => appReady });
  const receiver = await startReceiver({
    host,
    port,
    path,
    tolerance,
    getSecret: () => secret ?? secretKnown,
    ...(dispatch ? { dispatch } : {}),
    onDelivery: (record) => {
      // Deliveries cut short by the close itself (a handler stuck in a loop at Ctrl-C) would be
      // printed after the summary: the summary is the last word.
      if (closing) return;
      counts = countDelivery(counts, record);
      recovery?.saw(record);
      reporter.delivery(record);
      for (const listener of listeners) listener(record);
      // Built only if a follower (trigger, the inspector) reads it: most sessions have none.
      control?.publishLazy('delivery', () => toWireDelivery(record));
    },
  });
  closers.add(() => receiver.close());
  signal?.throwIfAborted();
  phase(`receiver listening at ${receiver.url}`);

  const selection = resolveEventSelection(options.events, handlerChoosesEvents ? early?.current().eventTypes : null, options.requiredEvents);
  if (early) onHandlerReload = warnOnSelectionChange(selection.events, reporter);

  reporter.starting('Starting stripe listen…');
  const [{ buildListenArgs }, { buildStripeCliEnv }, { superviseStripeListen }, { createListenRecovery }] = stripeCli;
  const apiBase = emulator?.apiBase ?? options.apiBase;
  const cliEnv = buildStripeCliEnv({ baseEnv: env, apiKey: emulator ? emulator.apiKey : options.apiKey, configDir: emulator?.configDir, offline });
  // A stalled or dead CLI is replaced; this says so, keeps the secret in step and catches up.
  recovery = createListenRecovery({
    reporter,
    events: selection.events,
    ...(emulator ? {} : { listEvents: listMissedEvents(located.info, cliEnv, apiBase, options.projectName, selection.events, watchdog) }),
    receiverUrl: () => receiver.url,
    secret: () => secret!,
    onSecretChanged: (next) => onSecretChanged(next),
  });
  const listenReady = superviseStripeListen({
    cli: located.info,
    args: buildListenArgs({ forwardTo: receiver.url, events: selection.events, thinEvents: selection.thinEvents, apiBase, projectName: options.projectName }),
    env: cliEnv,
    ...(options.stripeCliWatch ? { settings: options.stripeCliWatch } : {}),
    onStall: recovery.onStall,
    onRestartFailed: recovery.onRestartFailed,
    onRecovered: recovery.onRecovered,
    readyTimeoutMs,
    signal,
    watch: watchdog,
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
  if (emulator && options.onListenSpawned) {
    // Triggers start here, while the handler's worker may still be loading: deliveries wait for it.
    options.onListenSpawned({
      apiBase: emulator.apiBase,
      apiKey: emulator.apiKey,
      ...(emulator.localSocket === undefined ? {} : { localSocket: emulator.localSocket }),
      stripeCli: located.info,
      events: selection.events,
      deliveries: subscribable(listeners),
      emulatorEvents: subscribable(emulator.listeners),
    });
  }
  const listen = await listenReady;
  phase('stripe listen ready');
  secret = listen.secret;
  learnSecret(listen.secret);
  closers.add(async () => {
    closing = true;
    await recovery?.close();
    await listen.close();
  });
  await loading;
  // Settles only when the CLI cannot be revived (or, for `trigger`, may not be).
  const failed = listen.failed.then((error) => (closing ? new Promise<WebhookDevError>(() => {}) : error));

  const secretEnvName = options.secretEnvName ?? 'STRIPE_WEBHOOK_SECRET';
  onSecretChanged = async (next) => {
    secret = next;
    reporter.notice('The restarted Stripe CLI has a new signing secret; deliveries are verified with it from now on.', 'warn');
    if (options.envFile !== undefined) {
      const { writeSecretToEnvFile } = await import('./start-user-app.js');
      await writeSecretToEnvFile({ file: options.envFile, name: secretEnvName, secret: next, cwd, reporter }).catch((error: unknown) => reporter.error(error));
    }
    if (app !== undefined) {
      // Deliveries wait for the restarted app rather than fail against a stopped one.
      const restarted = app.restart(next);
      appReady = restarted.catch(() => {});
      await restarted.catch((error: unknown) => reporter.error(error));
    }
  };
  if (options.envFile !== undefined) {
    const { writeSecretToEnvFile } = await import('./start-user-app.js');
    await writeSecretToEnvFile({ file: options.envFile, name: secretEnvName, secret: listen.secret, cwd, reporter });
  }
  let appExited: Promise<AppExit> | undefined;
  if (options.appCommand !== undefined && options.appCommand.length > 0) {
    const { startReplaceableApp } = await import('./start-user-app.js');
    const started = startReplaceableApp({
      command: options.appCommand,
      secret: listen.secret,
      secretEnvName,
      env,
      cwd,
      ...(options.forwardTo ? { forwardTo: options.forwardTo } : {}),
      readyTimeoutMs,
      reporter,
      closers,
      watch: watchdog,
      ...(signal ? { signal } : {}),
      ...(forwarder ? { onLine: forwarder.appLine } : {}),
    });
    // Deliveries that arrive while the app is still starting wait for it instead of failing.
    appReady = started.catch(() => {});
    app = await started;
    appExited = app.exited;
  }

  let ready: ReadyInfo = {
    receiverUrl: receiver.url,
    stripeCli: located.info,
    ...(listen.apiVersion ? { apiVersion: listen.apiVersion } : {}),
    events: selection.events,
    eventsSource: selection.source,
    ...(handlerPath ? { handlerPath } : {}),
    secret: listen.secret,
    showSecret,
    offline,
    ...(apiBase ? { apiBase } : {}),
    ...(emulator ? { publishUrl: emulator.publishUrl, offlineApiKey: emulator.apiKey, ...(emulator.localSocket ? { offlineSocket: emulator.localSocket } : {}) } : {}),
    ...(options.forwardTo ? { forwardTo: options.forwardTo } : {}),
  };
  if (options.control === true) {
    const [{ startSessionControl }, { toReadyRecord }] = await Promise.all([import('./start-session-control.js'), import('../render/json-records.js')]);
    const started = await startSessionControl({ ready, cwd, closers, reporter, watchdog, ...(controlToken === undefined ? {} : { token: controlToken }) });
    control = started.control;
    if (started.curlConfigPath !== undefined) ready = { ...ready, publishCurlConfig: started.curlConfigPath };
    const stream = control;
    if (emulator) {
      const relay = (event: StripeEventLike) => stream.publish({ type: 'sent', event: { id: event.id, type: event.type } });
      emulator.listeners.add(relay);
      closers.add(() => void emulator.listeners.delete(relay));
    }
    control.publish(toReadyRecord(ready));
  }
  phase('ready');
  reporter.ready(ready);
  // What killed offline sessions left in the temp folder; once ready, so it costs start-up nothing.
  if (emulator) void import('./offline-config-dir.js').then(({ removeStaleConfigDirs }) => removeStaleConfigDirs());

  // Added last, so it runs first when the session closes: deliveries already answered are still
  // reported (bounded), ones cut short by the close are not.
  closers.add(async () => {
    await receiver.drain(1_000);
    closing = true;
  });
  let closed: Promise<void> | undefined;
  return {
    ready,
    counts: () => counts,
    deliveries: subscribable(listeners),
    ...(emulator ? { emulatorEvents: subscribable(emulator.listeners) } : {}),
    failed,
    ...(appExited ? { appExited } : {}),
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

function subscribable<T>(listeners: Set<(value: T) => void>) {
  return {
    subscribe(listener: (value: T) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

interface HostContext {
  reporter: Reporter;
  closers: Closers;
  cwd: string;
  handlerTimeoutMs: number;
  onReload: (handler: HandlerWorker) => void;
}

async function startHost(handlerPath: string, shown: string, { reporter, closers, cwd, handlerTimeoutMs, onReload }: HostContext): Promise<HandlerHost> {
  const { startHandlerHost } = await import('../runner/start-handler-host.js');
  const host = await startHandlerHost(handlerPath, {
    cwd,
    timeoutMs: handlerTimeoutMs,
    onNotice: (message, level) => reporter.notice(message, level),
    onReload: (handler) => {
      reporter.notice(`Reloaded ${shown}`);
      onReload(handler);
    },
    onReloadError: (error: unknown) => {
      reporter.notice('The edited handler did not load; still using the previous version.', 'warn');
      reporter.error(error);
    },
  });
  closers.add(() => host.close());
  return host;
}

/** The Stripe CLI's subscription is fixed when it starts: say so rather than silently miss events. */
function warnOnSelectionChange(subscribed: string[] | 'all-snapshot', reporter: Reporter): (handler: HandlerWorker) => void {
  return (reloaded) => {
    if (subscribed === 'all-snapshot') return;
    const types = reloaded.eventTypes;
    if (types === null || types.some((type) => !subscribed.includes(type))) {
      reporter.notice('The handler now declares other event types; restart webhook-dev to receive them.', 'warn');
    }
  };
}

async function createForwarder(options: ListenSessionOptions, secret: () => string | undefined, closers: Closers) {
  const [{ createForwarder: create }, { readDependencies }] = await Promise.all([import('../forwarder/create-forwarder.js'), import('../forwarder/read-dependencies.js')]);
  const command = options.appCommand !== undefined && options.appCommand.length > 0 ? options.appCommand : undefined;
  const forwarder = create({
    url: options.forwardTo!,
    ...(options.forwardTimeoutMs !== undefined ? { timeoutMs: options.forwardTimeoutMs } : {}),
    insecure: options.insecure === true,
    secret,
    ...(options.secretEnvName ? { secretEnvName: options.secretEnvName } : {}),
    judge: options.statusOnly === true ? 'status' : 'answer',
    attributeAppOutput: command !== undefined,
    secretInjected: command !== undefined,
    frameworkClues: { dependencies: await readDependencies(options.cwd ?? process.cwd()), ...(command ? { command } : {}) },
  });
  closers.add(() => forwarder.close());
  return forwarder;
}

function createDispatcher({
  host,
  forwarder,
  appReady,
}: {
  host: Promise<HandlerHost> | undefined;
  forwarder: Awaited<ReturnType<typeof createForwarder>> | undefined;
  appReady: () => Promise<unknown>;
}): EventDispatcher | undefined {
  if (!host && !forwarder) return undefined;
  // A handler that failed to load ends the session's start-up with that error; a delivery that
  // arrived meanwhile (offline triggers start early) fails quietly instead of raising a warning.
  const loaded = host?.then(
    (value) => ({ host: value }),
    (error: unknown) => ({ error }),
  );
  return async (event, delivery) => {
    const result: DispatchResult = {};
    if (loaded) {
      const handler = await loaded;
      result.handler =
        'host' in handler
          ? await handler.host.run({ raw: delivery.raw.toString('utf8'), attempt: delivery.attempt, receivedAt: delivery.receivedAt, label: event.id })
          : { outcome: { status: 'error', error: { name: 'HandlerLoadError', message: redactSecrets(errorMessage(handler.error)) } }, durationMs: 0, logs: [] };
    }
    if (forwarder) {
      await appReady();
      const { answered, judged } = await forwarder.send(delivery.raw, delivery.headers, event.id);
      return { ...result, forward: answered, settled: judged.then((forward) => ({ ...result, forward })) };
    }
    return result;
  };
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

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The offline Stripe, its throwaway Stripe CLI config folder, and a tap on the events it sends. */
async function startOfflineApi(closers: Closers, watchdog: Watchdog, sessionToken: string | undefined) {
  const { startEmulator } = await import('../emulator/start-emulator.js');
  const listeners = new Set<(event: StripeEventLike) => void>();
  // Offline runs never read or write the user's Stripe CLI login.
  const { createOfflineConfigDir } = await import('./offline-config-dir.js');
  const configDir = await createOfflineConfigDir();
  // Should webhook-dev be killed, the watchdog deletes the folder once the CLI is gone.
  const afterDeath = watchdog.removeAfterDeath('dir', configDir.path);
  closers.add(async () => {
    await configDir.close();
    afterDeath.cancel();
  });
  const emulator = await startEmulator({
    onEvent: (event) => listeners.forEach((listener) => listener(event)),
    ...(sessionToken === undefined ? {} : { sessionToken }),
    // The socket `stripe trigger` reaches it through lives and dies with the config folder.
    localSocketDir: configDir.path,
  });
  closers.add(() => emulator.close());
  return {
    apiBase: emulator.apiBase,
    /** Random per session: given to the Stripe CLI in its env, never in argv. */
    apiKey: emulator.apiKey,
    localSocket: emulator.localSocket,
    publishUrl: `${emulator.controlUrl}/events`,
    configDir: configDir.path,
    listeners,
    secret: emulator.secret,
    /** `stripe listen` is ready when its websocket is up: the emulator sees that first-hand. */
    connected: async (timeoutMs: number) => {
      await emulator.waitForListener(timeoutMs);
      return { secret: emulator.secret, apiVersion: emulator.apiVersion };
    },
  };
}
