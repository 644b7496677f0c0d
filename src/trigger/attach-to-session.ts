import { WebhookDevError, UsageError } from '../errors.js';
import { ControlConnectionError } from '../control/control-connection-error.js';
import { followSessionEvents } from '../control/follow-session-events.js';
import { getSessionInfo } from '../control/get-session-info.js';
import type { SessionFileInfo } from '../control/parse-session-file.js';
import type { Reporter } from '../render/reporter.js';
import { fromWireDelivery, isWireDelivery, isWireQuirksBusy, isWireSent } from '../control/wire-delivery.js';
import { locateStripeCli } from '../stripe-cli/locate-stripe-cli.js';
import type { DeliveryRecord } from '../types.js';
import type { TriggerTarget } from './trigger-target.js';

/**
 * Joins a running session: its event stream becomes the trigger's source, and `stripe trigger`
 * talks to the same API as the session's `stripe listen` (its emulator when it is offline).
 */
export async function attachToSession(
  session: SessionFileInfo,
  { required, stripeBin, reporter }: { required: readonly string[]; stripeBin: string | undefined; reporter: Reporter },
): Promise<TriggerTarget> {
  const info = await getSessionInfo({ controlUrl: session.controlUrl, token: session.token }).catch((error: unknown) => {
    throw lostSession(error);
  });
  if (info.events !== 'all-snapshot') {
    const unsubscribed = required.filter((type) => !info.events.includes(type));
    if (unsubscribed.length > 0) {
      throw new UsageError(`The running webhook-dev listen (pid ${info.pid}) does not receive ${unsubscribed.join(', ')}.`, {
        hint: `Restart it with --events including ${unsubscribed.join(',')}, add a handler for it, or run this trigger with --standalone.`,
      });
    }
  }
  const listeners = new Set<(record: DeliveryRecord) => void>();
  const sentListeners = new Set<(event: { id: string; type: string }) => void>();
  let resolveFailed!: (error: WebhookDevError) => void;
  const failed = new Promise<WebhookDevError>((resolve) => (resolveFailed = resolve));
  let closing = false;
  // The session's delivery quirks (if any) hold a delivery or owe a copy or retry: not judged yet.
  let quirksBusy = false;
  const follower = await followSessionEvents({
    controlUrl: session.controlUrl,
    token: session.token,
    onRecord: (record) => {
      if (isWireSent(record)) {
        for (const listener of sentListeners) listener(record.event);
        return;
      }
      if (isWireQuirksBusy(record)) {
        quirksBusy = record.busy;
        return;
      }
      if (!isWireDelivery(record)) return;
      const delivery = fromWireDelivery(record);
      for (const listener of listeners) listener(delivery);
    },
  }).catch((error: unknown) => {
    throw lostSession(error);
  });
  void follower.closed.then(() => {
    if (!closing) resolveFailed(new WebhookDevError('SESSION_NOT_FOUND', `The webhook-dev listen session (pid ${info.pid}) went away during the trigger.`, { hint: 'Start it again, or run the trigger with --standalone.' }));
  });
  const { info: cli } = await locateStripeCli({ stripeBin, env: process.env });
  reporter.notice(`Attached to webhook-dev listen (pid ${info.pid}${info.offline ? ', offline' : ''}) receiving at ${info.receiverUrl}`);
  return {
    mode: 'attached',
    source: {
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    cli,
    apiBase: info.apiBase ?? undefined,
    offline: info.offline,
    // A session from before the emulator checked keys does not say one; its emulator takes any.
    ...(typeof info.offlineApiKey === 'string' ? { apiKey: info.offlineApiKey } : {}),
    ...(typeof info.offlineSocket === 'string' ? { localSocket: info.offlineSocket } : {}),
    // An offline session relays what its emulator sends: exact attribution, no quiet period.
    ...(info.offline
      ? {
          published: {
            subscribe(listener: (event: { id: string; type: string }) => void) {
              sentListeners.add(listener);
              return () => sentListeners.delete(listener);
            },
          },
        }
      : {}),
    receives: (type) => info.events === 'all-snapshot' || info.events.includes(type),
    busy: () => quirksBusy,
    failed,
    async close() {
      closing = true;
      follower.close();
      await follower.closed;
    },
  };
}

function lostSession(error: unknown): WebhookDevError {
  const reason = error instanceof ControlConnectionError ? ` (${error.reason})` : '';
  return new WebhookDevError('SESSION_NOT_FOUND', `Could not connect to the running webhook-dev listen session${reason}.`, {
    hint: 'It may have just stopped: start it again, or run the trigger with --standalone.',
    cause: error,
  });
}
