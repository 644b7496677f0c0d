/**
 * `replay --offline`: a session of its own, as `trigger --offline` runs one (the real Stripe CLI
 * against the built-in emulator, no account, no network), and each journaled event published
 * through the emulator, so the Stripe CLI itself delivers it to the handler or app: the path every
 * event of `listen` takes, the CLI's own headers and signature included. The emulator sends the
 * event object as Stripe would (pretty-printed), so the bytes are its serialization of the
 * journaled event, not the journaled bytes: `--handler` and `--forward-to` without `--offline`
 * send those exactly.
 */
import { WebhookDevError } from '../errors.js';
import type { Reporter } from '../render/reporter.js';
import { judgeSend } from '../send/judge-send.js';
import { startListenSession } from '../session/start-listen-session.js';
import type { DeliveryRecord, SendReport } from '../types.js';
import type { JournaledPayload } from './load-journaled-events.js';

export interface OfflineReplayOptions {
  handler: string;
  statusOnly: boolean;
  handlerTimeoutMs: number;
  /** How long the Stripe CLI may take to deliver one event. */
  timeoutMs: number;
  cwd: string;
  reporter: Reporter;
}

export interface OfflineReplay {
  target: SendReport['target'];
  url: string;
  send(payload: JournaledPayload): Promise<SendReport>;
  close(): Promise<void>;
}

export async function openOfflineReplay({ handler, statusOnly, handlerTimeoutMs, timeoutMs, cwd, reporter }: OfflineReplayOptions): Promise<OfflineReplay> {
  // No `journal` option: not journaled again, the journal already holds these events as the Stripe CLI first sent them.
  const session = await startListenSession({
    // Replay shows each delivery itself; the session only passes on what is worth saying.
    reporter: { ...reporter, starting: () => {}, ready: () => {}, delivery: () => {}, summary: () => {} },
    handler,
    ...(statusOnly ? { statusOnly: true } : {}),
    offline: true,
    allEvents: true,
    port: 0,
    handlerTimeoutMs,
    control: false,
    cwd,
    stripeCliWatch: { maxFailures: 0 },
  });
  const { publishUrl, offlineApiKey } = session.ready;
  const target = 'handler';
  return {
    target,
    url: handler,
    async send(payload) {
      const record = await new Promise<DeliveryRecord>((resolve, reject) => {
        const timer = setTimeout(() => {
          stop();
          reject(new WebhookDevError('TRIGGER_TIMEOUT', `The Stripe CLI did not deliver ${payload.eventId} within ${Math.round(timeoutMs / 1000)} s.`, { hint: 'Raise --timeout, or run with --debug to see what the Stripe CLI said.' }));
        }, timeoutMs);
        const stop = session.deliveries.subscribe((delivered) => {
          if (delivered.event?.id !== payload.eventId) return;
          clearTimeout(timer);
          stop();
          resolve(delivered);
        });
        fetch(publishUrl!, { method: 'POST', headers: { authorization: `Bearer ${offlineApiKey!}`, 'content-type': 'application/json' }, body: JSON.stringify({ event: payload.event }) })
          .then(async (response) => {
            if (response.status !== 200) throw new Error(`the emulator refused the event: ${response.status} ${await response.text()}`);
          })
          .catch((error: unknown) => {
            clearTimeout(timer);
            stop();
            reject(error instanceof Error ? error : new Error(String(error)));
          });
      });
      const verdict = judgeSend({ target, record, statusOnly });
      return { target, url: handler, from: 'journal', record, ...verdict };
    },
    close: () => session.close(),
  };
}
