import type { Forwarder } from '../forwarder/create-forwarder.js';
import type { DispatchResult, EventDispatcher } from '../receiver/start-receiver.js';
import type { HandlerHost } from '../runner/start-handler-host.js';
import { redactSecrets } from '../secrets.js';

export interface DispatchOptions {
  /** Still loading when the first offline triggers deliver: deliveries wait for it. */
  host: Promise<HandlerHost> | undefined;
  forwarder: Forwarder | undefined;
  /** Settles once the user's app (`-- COMMAND`) is up, or at once when there is none. */
  appReady: () => Promise<unknown>;
}

/**
 * What a verified event goes through: the handler first, then the forward to the user's app.
 * Undefined when there is neither (inspect mode).
 */
export function createDispatcher({ host, forwarder, appReady }: DispatchOptions): EventDispatcher | undefined {
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
          ? await handler.host.run({ raw: delivery.text, attempt: delivery.attempt, receivedAt: delivery.receivedAt, label: event.id })
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

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
