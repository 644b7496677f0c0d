import { ExitCode, isWebhookDevError } from '../errors.js';
import type { Reporter } from '../render/reporter.js';
import { startListenSession, type ListenSessionOptions } from '../session/start-listen-session.js';
import { parseEventList } from '../stripe-cli/listen-args.js';
import { parseApiBase, parseDuration, parsePort, parseSeconds } from './parse-options.js';
import { createReporter } from './create-reporter.js';
import { waitForStop, type StopSignal } from './wait-for-stop.js';

export interface ListenFlags {
  handler?: string;
  events?: string;
  offline?: boolean;
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
}

export function toSessionOptions(flags: ListenFlags): Omit<ListenSessionOptions, 'reporter' | 'signal'> {
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
  };
}

const SIGNAL_EXIT: Record<StopSignal, number> = { SIGINT: ExitCode.SIGINT, SIGTERM: ExitCode.SIGTERM };

/** Runs `listen` until Ctrl-C, SIGTERM or a fatal error; returns the process exit code. */
export async function runListenCommand(flags: ListenFlags): Promise<number> {
  const reporter: Reporter = await createReporter({ json: flags.json === true });
  const startedAt = performance.now();
  const stop = waitForStop();
  const finish = (exitCode: number, reason: 'SIGINT' | 'SIGTERM' | 'error' | 'stripe-cli-exited', counts = { events: 0, ok: 0, failed: 0, rejected: 0 }) => {
    reporter.summary({ ...counts, durationMs: Math.round(performance.now() - startedAt), exitCode, reason });
    reporter.close();
    return exitCode;
  };
  try {
    let session;
    try {
      session = await startListenSession({ ...toSessionOptions(flags), reporter, signal: stop.signal, control: true });
    } catch (error) {
      if (stop.signal.aborted && stop.received) return finish(SIGNAL_EXIT[stop.received], stop.received);
      reporter.error(error);
      return finish(isWebhookDevError(error) ? error.exitCode : ExitCode.INTERNAL, 'error');
    }
    const ended = await Promise.race([stop.stopped.then((signal) => ({ signal })), session.failed.then((error) => ({ error }))]);
    await session.close();
    if ('error' in ended) {
      reporter.error(ended.error);
      return finish(ended.error.exitCode, 'stripe-cli-exited', session.counts());
    }
    return finish(SIGNAL_EXIT[ended.signal], ended.signal, session.counts());
  } finally {
    stop.dispose();
  }
}
