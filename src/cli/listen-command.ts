import { exitStatus } from '../app/exit-status.js';
import { ExitCode, UsageError, isWebhookDevError } from '../errors.js';
import type { Reporter } from '../render/reporter.js';
import type { SessionSummary } from '../types.js';
import { startListenSession, type ListenSessionOptions } from '../session/start-listen-session.js';
import { parseEventList } from '../stripe-cli/listen-args.js';
import { parseForwardUrl } from '../forwarder/parse-forward-url.js';
import { parseListenWatchSettings } from '../stripe-cli/listen-watch-settings.js';
import { DEFAULT_JOURNAL_LIMITS, type JournalLimits } from '../journal/prune-journal.js';
import { parseQuirkFlags, type QuirkFlags } from '../quirks/quirk-settings.js';
import { parseAge, parseApiBase, parseByteSize, parseDuration, parseEnvName, parsePort, parseSeconds } from './parse-options.js';
import { createReporter, debugWanted } from './create-reporter.js';
import { NO_CREDENTIALS_NOTICE, resolveMode } from './resolve-mode.js';
import { applyProjectConfig, type ApplyProjectConfigOptions } from './apply-project-config.js';
import { STOP_EXIT_CODE, waitForStop, type StopSignal } from './wait-for-stop.js';

export interface ListenFlags extends QuirkFlags {
  handler?: string;
  events?: string;
  offline?: boolean;
  /** Insist on a real Stripe account: fail without credentials instead of running offline. */
  online?: boolean;
  port?: string;
  host?: string;
  path?: string;
  tolerance?: string;
  handlerTimeout?: string;
  json?: boolean;
  showSecret?: boolean;
  apiKey?: string;
  projectName?: string;
  stripeBin?: string;
  readyTimeout?: string;
  apiBase?: string;
  forwardTo?: string;
  forwardTimeout?: string;
  /** false with --no-timeout. */
  timeout?: boolean | string;
  insecure?: boolean;
  secretEnv?: string;
  writeEnv?: string;
  /** The old name of --write-env, refused with a hint (see program.ts). */
  envFile?: string;
  debug?: boolean;
  statusOnly?: boolean;
  /** false with --no-journal. */
  journal?: boolean;
  journalMaxSize?: string;
  journalMaxAge?: string;
  /** After `--`: the user's app. */
  command?: string[];
}

export function toSessionOptions(flags: ListenFlags): Omit<ListenSessionOptions, 'reporter' | 'signal'> {
  const quirks = parseQuirkFlags(flags);
  return {
    ...(flags.handler !== undefined ? { handler: flags.handler } : {}),
    ...(flags.events !== undefined ? { events: parseEventList(flags.events) } : {}),
    offline: flags.offline === true,
    ...(flags.port !== undefined ? { port: parsePort(flags.port) } : {}),
    ...(flags.host !== undefined ? { host: flags.host } : {}),
    ...(flags.path !== undefined ? { path: flags.path } : {}),
    ...(flags.tolerance !== undefined ? { tolerance: parseSeconds(flags.tolerance, '--tolerance') } : {}),
    ...(flags.handlerTimeout !== undefined ? { handlerTimeoutMs: parseDuration(flags.handlerTimeout, '--handler-timeout') } : {}),
    ...(flags.readyTimeout !== undefined ? { readyTimeoutMs: parseDuration(flags.readyTimeout, '--ready-timeout') } : {}),
    showSecret: flags.showSecret === true,
    ...(flags.apiKey ? { apiKey: flags.apiKey } : {}),
    ...(flags.projectName !== undefined ? { projectName: flags.projectName } : {}),
    ...(flags.stripeBin !== undefined ? { stripeBin: flags.stripeBin } : {}),
    ...(flags.apiBase !== undefined ? { apiBase: parseApiBase(flags.apiBase) } : {}),
    ...(flags.forwardTo !== undefined ? { forwardTo: parseForwardUrl(flags.forwardTo) } : {}),
    ...(flags.timeout === false ? { forwardTimeoutMs: 0 } : flags.forwardTimeout !== undefined ? { forwardTimeoutMs: parseDuration(flags.forwardTimeout, '--forward-timeout') } : {}),
    ...(flags.insecure ? { insecure: true } : {}),
    ...(flags.secretEnv !== undefined ? { secretEnvName: parseEnvName(flags.secretEnv) } : {}),
    ...(flags.envFile !== undefined ? refuseEnvFile() : {}),
    ...(flags.writeEnv !== undefined ? { envFile: flags.writeEnv } : {}),
    ...(flags.statusOnly ? { statusOnly: true } : {}),
    ...(flags.command && flags.command.length > 0 ? { appCommand: flags.command } : {}),
    ...(flags.journal === false ? {} : { journal: { limits: journalLimits(flags) } }),
    ...(quirks ? { quirks } : {}),
  };
}

function journalLimits(flags: ListenFlags): Partial<JournalLimits> {
  const limits: Partial<JournalLimits> = {};
  if (flags.journalMaxSize !== undefined) {
    limits.maxTotalBytes = parseByteSize(flags.journalMaxSize, '--journal-max-size');
    // About ten segments per cap, so pruning deletes a tenth at a time rather than everything.
    limits.maxSegmentBytes = Math.max(64 * 1024, Math.min(DEFAULT_JOURNAL_LIMITS.maxSegmentBytes, Math.floor(limits.maxTotalBytes / 10)));
  }
  if (flags.journalMaxAge !== undefined) limits.maxAgeMs = parseAge(flags.journalMaxAge, '--journal-max-age');
  return limits;
}

/**
 * Node parses `--env-file` wherever it appears, ours included (nodejs/node#54232): a missing file
 * ends the process in Node with exit 9 before webhook-dev runs, and an existing one is read by
 * Node too. The old spelling cannot be kept safely; where it does reach us, say what to use.
 */
function refuseEnvFile(): never {
  throw new UsageError('--env-file is now --write-env.', {
    hint: 'Node.js itself reads --env-file wherever it appears on the command line and exits when the file does not exist yet (nodejs/node#54232). Use --write-env <path>: it creates a missing file (mode 0600).',
  });
}

/** Runs `listen` until Ctrl-C, SIGTERM, SIGHUP, a closed output or a fatal error; returns the process exit code. */
export async function runListenCommand(given: ListenFlags, config?: Omit<ApplyProjectConfigOptions, 'reporter'>): Promise<number> {
  let flags = given;
  const reporter: Reporter = await createReporter({ json: flags.json === true, debug: debugWanted(flags.debug) });
  const startedAt = performance.now();
  const stop = waitForStop();
  const finish = (exitCode: number, reason: StopSignal | 'error' | 'stripe-cli-exited' | 'app-exited', counts: Omit<SessionSummary, 'durationMs' | 'exitCode' | 'reason'> = { events: 0, ok: 0, failed: 0, rejected: 0 }) => {
    reporter.summary({ ...counts, durationMs: Math.round(performance.now() - startedAt), exitCode, reason });
    reporter.close();
    return exitCode;
  };
  try {
    let session;
    try {
      if (config) flags = (await applyProjectConfig(flags, { ...config, reporter })).flags;
      const mode = resolveMode(flags);
      if (mode.reason === 'no-credentials') reporter.notice(NO_CREDENTIALS_NOTICE);
      session = await startListenSession({
        ...toSessionOptions({ ...flags, offline: mode.offline }),
        stripeCliWatch: parseListenWatchSettings(process.env.WEBHOOK_DEV_WATCHDOG),
        reporter,
        signal: stop.signal,
        control: true,
      });
    } catch (error) {
      if (stop.signal.aborted && stop.received) return finish(STOP_EXIT_CODE[stop.received], stop.received);
      reporter.error(error);
      return finish(isWebhookDevError(error) ? error.exitCode : ExitCode.INTERNAL, 'error');
    }
    const ended = await Promise.race([
      stop.stopped.then((signal) => ({ signal })),
      session.failed.then((error) => ({ error })),
      ...(session.appExited ? [session.appExited.then((app) => ({ app }))] : []),
    ]);
    await session.close();
    // Read after the close: retries it cut short are in it.
    const counts = { ...session.counts(), ...(session.quirks ? { quirks: session.quirks.summary() } : {}) };
    if ('error' in ended) {
      reporter.error(ended.error);
      return finish(ended.error.exitCode, 'stripe-cli-exited', counts);
    }
    if ('app' in ended) {
      // The session ends with the app's own status, as if the app had been run alone.
      const code = exitStatus(ended.app);
      reporter.notice(`The app exited (${ended.app.signal ? `signal ${ended.app.signal}` : `exit code ${ended.app.exitCode}`}); stopping.`, code === 0 ? 'info' : 'warn');
      return finish(code, 'app-exited', counts);
    }
    return finish(STOP_EXIT_CODE[ended.signal], ended.signal, counts);
  } finally {
    stop.dispose();
  }
}
