import type { ControlSessionInfo } from './control-session-info.js';
import { ControlConnectionError, statusError } from './control-connection-error.js';
import { controlRequest } from './control-request.js';

export interface GetSessionInfoOptions {
  controlUrl: string;
  token: string;
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
}

/** `GET <controlUrl>/session`. Rejects with a ControlConnectionError saying why it could not. */
export async function getSessionInfo({ controlUrl, token, timeoutMs = 1_000, fetch = globalThis.fetch }: GetSessionInfoOptions): Promise<ControlSessionInfo> {
  return controlRequest({ controlUrl, token, path: '/session', init: { headers: { accept: 'application/json' } }, timeoutMs, fetch }, async (response) => {
    if (response.status !== 200) {
      await response.body?.cancel();
      throw statusError(response.status, controlUrl);
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!isSessionInfoLike(body)) throw new ControlConnectionError('bad-response', `${controlUrl}/session did not answer a webhook-dev session description.`, { status: 200 });
    return body;
  });
}

/** Just enough to know it is a session: the rest is trusted, as it comes from our own server. */
function isSessionInfoLike(value: unknown): value is ControlSessionInfo {
  if (typeof value !== 'object' || value === null) return false;
  const { pid, receiverUrl } = value as Record<string, unknown>;
  return Number.isSafeInteger(pid) && typeof receiverUrl === 'string';
}
