import type { SendRequest } from '../control/send-request.js';
import { ORIGIN_HEADER, originHeaderValue } from '../receiver/delivery-origin.js';
import { deliveryHeaders } from '../signature/delivery-headers.js';

export interface ReceiverSendOptions {
  /** The session's receiver, as its ready info gives it. */
  receiverUrl: string;
  /** The session's signing secret. */
  secret: string;
  /** The receiver's origin key: each delivery is marked `send` or `replay`, as the request says. */
  originKey?: string;
  fetch?: typeof globalThis.fetch;
}

/**
 * What `POST /send` on the control interface does: sign the payload as Stripe would (or tamper with
 * it as asked) and POST it to the session's own receiver over the loopback, so that it is verified,
 * dispatched, shown and recorded exactly like an event the Stripe CLI forwarded.
 */
export function createReceiverSend({ receiverUrl, secret, originKey, fetch = globalThis.fetch }: ReceiverSendOptions): (request: SendRequest, signal: AbortSignal) => Promise<void> {
  const url = loopbackUrl(receiverUrl);
  return async ({ payload, tamper, source = 'send' }, signal) => {
    const headers = deliveryHeaders(payload, { secret, ...(tamper ? { tamper } : {}) });
    if (originKey !== undefined) headers[ORIGIN_HEADER] = originHeaderValue(source, originKey);
    const response = await fetch(url, { method: 'POST', headers, body: payload, signal });
    await response.arrayBuffer();
  };
}

/** A receiver bound to every interface is reached on the loopback. */
export function loopbackUrl(receiverUrl: string): string {
  const url = new URL(receiverUrl);
  if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
  if (url.hostname === '[::]') url.hostname = '[::1]';
  return url.href;
}
