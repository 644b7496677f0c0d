import { startReceiver } from '../receiver/start-receiver.js';
import { startHandlerHost } from '../runner/start-handler-host.js';
import { deliveryHeaders, randomSecret, type Tamper } from '../signature/delivery-headers.js';
import type { DeliveryRecord, NoticeLevel } from '../types.js';

export interface HandlerSessionOptions {
  /** Absolute path of the handler module. */
  handlerPath: string;
  cwd: string;
  handlerTimeoutMs: number;
  /** Seconds, as the receiver takes it. */
  tolerance?: number;
  onNotice: (message: string, level: NoticeLevel) => void;
}

export interface HandlerSession {
  /** The built-in receiver's URL (loopback, random port). */
  url: string;
  /**
   * Signs the payload (or tampers with it), POSTs it, and resolves with the delivery's record.
   * `attempt` overrides the count by event id (a --duplicate copy is attempt 1, a --retry says its number).
   */
  deliver(raw: string, options?: { tamper?: Tamper; attempt?: number }): Promise<DeliveryRecord>;
  close(): Promise<void>;
}

/**
 * A session of its own, with no Stripe CLI and no emulator: the handler in its worker behind the
 * built-in receiver, which verifies with a random secret only this process knows. Payloads are
 * signed with it (or tampered with) and POSTed over the loopback, so each is verified and
 * dispatched exactly as a delivery from the Stripe CLI would be. Deliveries go one at a time;
 * the same event delivered twice counts as attempt 2, as in `listen`.
 */
export async function startHandlerSession({ handlerPath, cwd, handlerTimeoutMs, tolerance, onNotice }: HandlerSessionOptions): Promise<HandlerSession> {
  const secret = randomSecret();
  const host = await startHandlerHost(handlerPath, { cwd, timeoutMs: handlerTimeoutMs, onNotice, watch: false });
  const pending: Array<(record: DeliveryRecord) => void> = [];
  // Deliveries go one at a time, so the attempt asked for belongs to the one in flight.
  let attemptAsked: number | undefined;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  try {
    receiver = await startReceiver({
      port: 0,
      getSecret: () => secret,
      ...(tolerance === undefined ? {} : { tolerance }),
      dispatch: async (event, { raw: body, attempt, receivedAt }) => ({ handler: await host.run({ raw: body.toString('utf8'), attempt: attemptAsked ?? attempt, receivedAt, label: event.id }) }),
      onDelivery: (record) => pending.shift()?.(record),
    });
  } catch (error) {
    await host.close();
    throw error;
  }
  let closing: Promise<void> | undefined;
  return {
    url: receiver.url,
    async deliver(raw, { tamper, attempt } = {}) {
      attemptAsked = attempt;
      const recorded = new Promise<DeliveryRecord>((resolve) => pending.push(resolve));
      const response = await fetch(receiver.url, { method: 'POST', headers: deliveryHeaders(raw, { secret, ...(tamper ? { tamper } : {}) }), body: raw });
      await response.arrayBuffer();
      return recorded;
    },
    close() {
      closing ??= receiver.close().finally(() => host.close());
      return closing;
    },
  };
}
