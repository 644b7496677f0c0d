import type { ControlSessionInfo } from './control-session-info.js';
import { ControlConnectionError, statusError, toControlConnectionError } from './control-connection-error.js';

export interface GetSessionInfoOptions {
  controlUrl: string;
  token: string;
  timeoutMs?: number;
  fetch?: typeof globalThis.fetch;
}

/** `GET <controlUrl>/session`. Rejects with a ControlConnectionError saying why it could not. */
export async function getSessionInfo({ controlUrl, token, timeoutMs = 1_000, fetch = globalThis.fetch }: GetSessionInfoOptions): Promise<ControlSessionInfo> {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    const response = await fetch(`${controlUrl.replace(/\/+$/, '')}/session`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      signal: controller.signal,
    });
    if (response.status !== 200) {
      await response.body?.cancel();
      throw statusError(response.status, controlUrl);
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (!isSessionInfoLike(body)) throw new ControlConnectionError('bad-response', `${controlUrl}/session did not answer a webhook-dev session description.`, { status: 200 });
    return body;
  } catch (error) {
    throw toControlConnectionError(error, controlUrl, timedOut);
  } finally {
    clearTimeout(timer);
  }
}

/** Just enough to know it is a session: the rest is trusted, as it comes from our own server. */
function isSessionInfoLike(value: unknown): value is ControlSessionInfo {
  if (typeof value !== 'object' || value === null) return false;
  const { pid, receiverUrl } = value as Record<string, unknown>;
  return Number.isSafeInteger(pid) && typeof receiverUrl === 'string';
}
