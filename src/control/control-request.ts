import { toControlConnectionError } from './control-connection-error.js';

export interface ControlRequestOptions {
  controlUrl: string;
  token: string;
  /** `/session`, `/events?since=3`, … */
  path: string;
  init?: Omit<RequestInit, 'signal'>;
  timeoutMs: number;
  fetch?: typeof globalThis.fetch;
  /** Aborted on timeout; pass one to keep the connection abortable after (an event stream). */
  controller?: AbortController;
}

/**
 * One request to a session's control interface with its token: `read` turns the response into what
 * the caller needs (and may throw a ControlConnectionError), all within timeoutMs. Any other
 * failure becomes a ControlConnectionError that says why; the token is never in a message.
 */
export async function controlRequest<T>(
  { controlUrl, token, path, init = {}, timeoutMs, fetch = globalThis.fetch, controller = new AbortController() }: ControlRequestOptions,
  read: (response: Response) => Promise<T>,
): Promise<T> {
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  try {
    const headers = { ...(init.headers as Record<string, string> | undefined), authorization: `Bearer ${token}` };
    const response = await fetch(`${controlUrl.replace(/\/+$/, '')}${path}`, { ...init, headers, signal: controller.signal });
    return await read(response);
  } catch (error) {
    throw toControlConnectionError(error, controlUrl, timedOut);
  } finally {
    clearTimeout(timer);
  }
}
