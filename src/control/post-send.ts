import { ControlConnectionError, statusError } from './control-connection-error.js';
import { controlRequest } from './control-request.js';
import type { SendRequest } from './send-request.js';
import { isWireDelivery, type WireDelivery } from './wire-delivery.js';

export interface PostSendOptions {
  controlUrl: string;
  token: string;
  request: SendRequest;
  /** The whole exchange: the session's handler and forward included. */
  timeoutMs: number;
  fetch?: typeof globalThis.fetch;
}

/** `POST <controlUrl>/send`: the delivery the session made of the payload. Rejects with a ControlConnectionError. */
export async function postSend({ controlUrl, token, request, timeoutMs, fetch = globalThis.fetch }: PostSendOptions): Promise<WireDelivery> {
  const init = { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(request) };
  return controlRequest({ controlUrl, token, path: '/send', init, timeoutMs, fetch }, async (response) => {
    const body = (await response.json().catch(() => undefined)) as { delivery?: unknown; error?: unknown } | undefined;
    if (response.status === 404) {
      throw new ControlConnectionError('bad-response', 'the running webhook-dev listen is older than `send` and has no /send endpoint; restart it', { status: 404 });
    }
    if (response.status === 401 || response.status === 403) throw statusError(response.status, controlUrl);
    if (response.status !== 200) throw new ControlConnectionError('bad-response', typeof body?.error === 'string' ? body.error : `it answered HTTP ${response.status}`, { status: response.status });
    if (!isWireDelivery(body?.delivery)) throw new ControlConnectionError('bad-response', `${controlUrl}/send did not answer a delivery.`, { status: 200 });
    return body.delivery;
  });
}
