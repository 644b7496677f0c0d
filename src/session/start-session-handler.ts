import type { Reporter } from '../render/reporter.js';
import type { HandlerHost } from '../runner/start-handler-host.js';
import type { Closers } from './closers.js';
import { resolveEventSelection } from './resolve-event-selection.js';

export interface SessionHandlerOptions {
  reporter: Reporter;
  closers: Closers;
  cwd: string;
  timeoutMs: number;
  /** The handler's declared types choose the Stripe CLI's events (no --events): a reload that changes them is worth a warning. */
  choosesEvents: boolean;
  requiredEvents?: readonly string[];
}

/** The user's handler in its worker, reloaded on save, with the session's notices. */
export async function startSessionHandler(handlerPath: string, shown: string, { reporter, closers, cwd, timeoutMs, choosesEvents, requiredEvents }: SessionHandlerOptions): Promise<HandlerHost> {
  const { startHandlerHost } = await import('../runner/start-handler-host.js');
  // The Stripe CLI's subscription is fixed when it starts: what the first version declared.
  let subscribed: string[] | 'all-snapshot' | undefined;
  const host = await startHandlerHost(handlerPath, {
    cwd,
    timeoutMs,
    onNotice: (message, level) => reporter.notice(message, level),
    onReload: (handler) => {
      reporter.notice(`Reloaded ${shown}`);
      if (subscribed === undefined || subscribed === 'all-snapshot') return;
      const types = handler.eventTypes;
      if (types === null || types.some((type) => !subscribed!.includes(type))) {
        reporter.notice('The handler now declares other event types; restart webhook-dev to receive them.', 'warn');
      }
    },
    onReloadError: (error: unknown) => {
      reporter.notice('The edited handler did not load; still using the previous version.', 'warn');
      reporter.error(error);
    },
  });
  closers.add(() => host.close());
  if (choosesEvents) subscribed = resolveEventSelection(undefined, host.current().eventTypes, requiredEvents).events;
  return host;
}
