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
  return async ({ payload, tamper, source = 'send' }, signal) => {
    const headers = deliveryHeaders(payload, { secret, ...(tamper ? { tamper } : {}) });
    if (originKey !== undefined) headers[ORIGIN_HEADER] = originHeaderValue(source, originKey);
    await postToOwnReceiver(receiverUrl, { headers, body: payload, signal }, fetch);
  };
}

/**
 * A delivery the session makes itself (`POST /send`, a quirk's copy or retry, the catch-up's
 * recovered events), POSTed to its own receiver over the loopback; resolves with the status once
 * the answer has been read to the end.
 */
export async function postToOwnReceiver(receiverUrl: string, { headers, body, signal }: { headers: Record<string, string>; body: string | Uint8Array; signal?: AbortSignal }, fetch: typeof globalThis.fetch = globalThis.fetch): Promise<number> {
  const response = await fetch(loopbackUrl(receiverUrl), { method: 'POST', headers, body, ...(signal ? { signal } : {}) });
  await response.arrayBuffer();
  return response.status;
}

/** A receiver bound to every interface is reached on the loopback. */
function loopbackUrl(receiverUrl: string): string {
  const url = new URL(receiverUrl);
  if (url.hostname === '0.0.0.0') url.hostname = '127.0.0.1';
  if (url.hostname === '[::]') url.hostname = '[::1]';
  return url.href;
}
