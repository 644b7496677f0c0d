import { startReceiver } from '../receiver/start-receiver.js';
import { startHandlerHost } from '../runner/start-handler-host.js';
import { deliveryHeaders, randomSecret, type Tamper } from '../signature/delivery-headers.js';
import type { DeliveryRecord, NoticeLevel } from '../types.js';

export interface SendToHandlerOptions {
  /** Absolute path of the handler module. */
  handlerPath: string;
  cwd: string;
  raw: string;
  tamper?: Tamper;
  handlerTimeoutMs: number;
  /** Seconds, as the receiver takes it. */
  tolerance?: number;
  onNotice: (message: string, level: NoticeLevel) => void;
}

/**
 * A session of its own for one payload, with no Stripe CLI and no emulator: the handler in its
 * worker behind the built-in receiver, which verifies with a random secret only this process knows.
 * The payload is signed with it (or tampered with) and POSTed over the loopback, so it is verified
 * and dispatched exactly as a delivery from the Stripe CLI would be. Everything is stopped before
 * it returns.
 */
export async function sendToHandler({ handlerPath, cwd, raw, tamper, handlerTimeoutMs, tolerance, onNotice }: SendToHandlerOptions): Promise<{ record: DeliveryRecord; url: string }> {
  const secret = randomSecret();
  const host = await startHandlerHost(handlerPath, { cwd, timeoutMs: handlerTimeoutMs, onNotice, watch: false });
  let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
  try {
    let recorded!: (record: DeliveryRecord) => void;
    const delivery = new Promise<DeliveryRecord>((resolve) => (recorded = resolve));
    receiver = await startReceiver({
      port: 0,
      getSecret: () => secret,
      ...(tolerance === undefined ? {} : { tolerance }),
      dispatch: async (event, { raw: body, attempt, receivedAt }) => ({ handler: await host.run({ raw: body.toString('utf8'), attempt, receivedAt, label: event.id }) }),
      onDelivery: recorded,
    });
    const response = await fetch(receiver.url, { method: 'POST', headers: deliveryHeaders(raw, { secret, ...(tamper ? { tamper } : {}) }), body: raw });
    await response.arrayBuffer();
    return { record: await delivery, url: receiver.url };
  } finally {
    await receiver?.close();
    await host.close();
  }
}
