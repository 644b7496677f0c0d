import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { StripeCliExitedError, WebhookDevError } from '../errors.js';
import type { Reporter } from '../render/reporter.js';
import { startReceiver, type EventDispatcher, type Receiver } from '../receiver/start-receiver.js';
import { DEFAULT_TOLERANCE_SECONDS } from '../signature/verify-signature.js';
import type { DeliveryRecord, ReadyInfo } from '../types.js';
import type { DeliverySource } from './delivery-source.js';
import type { ControlServer } from '../control/start-control-server.js';
import { toWireDelivery } from './wire-delivery.js';
import { resolveEventSelection } from './resolve-event-selection.js';
import { countDelivery, emptyCounts, type SessionCounts } from './session-stats.js';

/** Not 4242: that is the port Stripe's own samples give the user's app. */
export const DEFAULT_PORT = 4343;
export const DEFAULT_HANDLER_TIMEOUT_MS = 10_000;
export const DEFAULT_READY_TIMEOUT_MS = 30_000;
/** A syntactically valid test key for the emulator; it grants nothing anywhere else. */
export const OFFLINE_API_KEY = 'sk_test_webhookdev_offline';

export interface ListenSessionOptions {
  reporter: Reporter;
  handler?: string;
  host?: string;
  port?: number;
  path?: string;
  /** `--events`; `'all-snapshot'` when the user asked for '*'. */
  events?: string[] | 'all-snapshot';
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
}

export interface ListenSession {
  ready: ReadyInfo;
  counts(): SessionCounts;
  /** Every delivery, after the reporter has shown it. */
  deliveries: DeliverySource;
  /** Settles if the session ends on its own: the Stripe CLI died under it. */
  failed: Promise<WebhookDevError>;
  close(): Promise<void>;
}

type Closer = () => Promise<void> | void;

/**
 * One `webhook-dev listen`: handler, receiver, (emulator), Stripe CLI, in that order, so that each
 * piece exists before the next needs it. Everything started is registered for close() in reverse.
 */
export async function startListenSession(options: ListenSessionOptions): Promise<ListenSession> {
  const closers: Closer[] = [];
  const closeAll = async () => {
    for (const close of closers.splice(0).reverse()) {
      await Promise.resolve(close()).catch(() => {});
    }
  };
  try {
    return await start(options, closers, closeAll);
  } catch (error) {
    await closeAll();
    throw error;
  }
}

async function start(options: ListenSessionOptions, closers: Closer[], closeAll: () => Promise<void>): Promise<ListenSession> {
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
  const checkAborted = () => signal?.throwIfAborted();

  // Heavy modules load only here, so `webhook-dev --help` stays fast.
  let dispatch: EventDispatcher | undefined;
  let handlerPath: string | undefined;
  let handlerEventTypes: string[] | null = null;
  if (options.handler !== undefined) {
    reporter.starting('Loading the handler…');
    const [{ watchHandler }, { runHandler }] = await Promise.all([import('../runner/watch-handler.js'), import('../runner/run-handler.js')]);
    handlerPath = resolve(cwd, options.handler);
    const watcher = await watchHandler(handlerPath, {
      onReload: (reloaded) => {
        reporter.notice(`Reloaded ${options.handler}`);
        warnIfSelectionChanged(reloaded.eventTypes);
      },
      onError: (error: unknown) => {
        reporter.notice(`The edited handler did not load; still using the previous version.`, 'warn');
        reporter.error(error);
      },
    });
    closers.push(() => watcher.close());
    handlerEventTypes = watcher.current().eventTypes;
    // The Stripe CLI's subscription is fixed at start; say so rather than silently miss events.
    const subscribed = JSON.stringify(handlerEventTypes === null ? null : [...handlerEventTypes].sort());
    const warnIfSelectionChanged = (types: string[] | null) => {
      if (options.events !== undefined || JSON.stringify(types === null ? null : [...types].sort()) === subscribed) return;
      reporter.notice('The handler now declares other event types; restart webhook-dev to receive them.', 'warn');
    };
    dispatch = (event, delivery) =>
      runHandler(watcher.current(), event, { timeoutMs: handlerTimeoutMs, attempt: delivery.attempt, receivedAt: delivery.receivedAt });
  }
  const selection = resolveEventSelection(options.events, handlerEventTypes, options.requiredEvents);
  checkAborted();

  reporter.starting('Finding the Stripe CLI…');
  const [{ locateStripeCli }, { buildListenArgs }, { buildStripeCliEnv }, { startStripeListen }] = await Promise.all([
    import('../stripe-cli/locate-stripe-cli.js'),
    import('../stripe-cli/listen-args.js'),
    import('../stripe-cli/stripe-cli-env.js'),
    import('../stripe-cli/start-stripe-listen.js'),
  ]);
  const located = await locateStripeCli({ stripeBin: options.stripeBin, env });
  for (const note of located.notes) reporter.notice(note);
  checkAborted();

  let secret: string | undefined;
  let counts = emptyCounts();
  const listeners = new Set<(record: DeliveryRecord) => void>();
  let control: ControlServer | undefined;
  const receiver: Receiver = await startReceiver({
    host,
    port,
    path,
    tolerance,
    getSecret: () => secret,
    dispatch,
    onDelivery: (record) => {
      counts = countDelivery(counts, record);
      reporter.delivery(record);
      for (const listener of listeners) listener(record);
      control?.publish(toWireDelivery(record));
    },
  });
  closers.push(() => receiver.close());
  checkAborted();

  let apiBase = options.apiBase;
  let apiKey = options.apiKey;
  let configDir: string | undefined;
  let publishUrl: string | undefined;
  if (offline) {
    reporter.starting('Starting the offline Stripe emulator…');
    const { startEmulator } = await import('../emulator/start-emulator.js');
    const emulator = await startEmulator({});
    closers.push(() => emulator.close());
    apiBase = emulator.apiBase;
    publishUrl = `${emulator.controlUrl}/events`;
    apiKey = OFFLINE_API_KEY;
    // A throwaway config folder: offline runs never read or write the user's Stripe CLI login.
    configDir = await mkdtemp(join(tmpdir(), 'webhook-dev-stripe-'));
    const dir = configDir;
    closers.push(() => rm(dir, { recursive: true, force: true }));
  }
  checkAborted();

  reporter.starting('Starting stripe listen…');
  const listen = await startStripeListen({
    cli: located.info,
    args: buildListenArgs({ forwardTo: receiver.url, events: selection.events, apiBase, projectName: options.projectName }),
    env: buildStripeCliEnv({ baseEnv: env, apiKey, configDir, offline }),
    readyTimeoutMs,
    signal,
    onLine: (line) => {
      if (line.kind === 'unknown-event') {
        reporter.notice(`The Stripe CLI does not know the event type "${line.eventType}"; check its spelling (https://docs.stripe.com/api/events/types).`, 'warn');
      }
      if (line.kind === 'forward-error') reporter.notice(`Stripe CLI could not deliver${line.eventId ? ` ${line.eventId}` : ''}: ${line.message}`, 'warn');
    },
  });
  secret = listen.secret;
  let closing = false;
  closers.push(async () => {
    closing = true;
    await listen.close();
  });

  const failed = listen.exited.then(({ exitCode, signal: childSignal }) => {
    if (closing) return new Promise<WebhookDevError>(() => {});
    return new StripeCliExitedError(
      `The Stripe CLI stopped unexpectedly (${childSignal ? `signal ${childSignal}` : `exit code ${exitCode}`}); no more events can arrive.`,
      { hint: 'Its last output is below. Start webhook-dev again; if it keeps stopping, run with --json and report the output.', details: listen.recentOutput() },
    );
  });

  const ready: ReadyInfo = {
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
    ...(publishUrl ? { publishUrl } : {}),
  };
  if (options.control === true) {
    control = await startSessionControl({ ready, cwd, closers });
    const { toReadyRecord } = await import('../render/json-records.js');
    control.publish(toReadyRecord(ready));
  }
  reporter.ready(ready);

  let closed: Promise<void> | undefined;
  return {
    ready,
    counts: () => counts,
    deliveries: {
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    failed,
    close: () => (closed ??= closeAll()),
  };
}

/** The control server, and the session file that lets `webhook-dev trigger` find it. */
async function startSessionControl({ ready, cwd, closers }: { ready: ReadyInfo; cwd: string; closers: Closer[] }): Promise<ControlServer> {
  const [{ startControlServer }, { toControlSessionInfo }, { findProjectRoot, writeSessionFile }] = await Promise.all([
    import('../control/start-control-server.js'),
    import('../control/control-session-info.js'),
    import('../control/session-file.js'),
  ]);
  const startedAt = new Date();
  const info = toControlSessionInfo(ready, { pid: process.pid, startedAt });
  const server = await startControlServer({ getSession: () => info });
  closers.push(() => server.close());
  const file = await writeSessionFile(await findProjectRoot(cwd), {
    version: 1,
    pid: process.pid,
    controlUrl: server.url,
    token: server.token,
    startedAt: startedAt.toISOString(),
    offline: ready.offline,
    apiBase: ready.apiBase ?? null,
    receiverUrl: ready.receiverUrl,
    cwd,
  });
  // Removed before the server closes, so no one finds a session that no longer answers.
  closers.push(() => file.remove());
  return server;
}
