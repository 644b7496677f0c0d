import type { ReadyInfo, StripeCliInfo } from '../types.js';

/**
 * What `GET /session` answers: enough for another command to act on the session (where the
 * receiver is, whether it is offline and where to publish events) without the signing secret,
 * which stays inside the session.
 */
export interface ControlSessionInfo {
  pid: number;
  /** ISO 8601. */
  startedAt: string;
  receiverUrl: string;
  offline: boolean;
  apiBase: string | null;
  /** Offline only: where to POST `{"type": "…"}` to publish an event into the session. */
  publishUrl: string | null;
  /**
   * Offline only: the key the session's emulator accepts, for an attached `stripe trigger`. Only
   * holders of the control token read it, and they could publish with the token anyway.
   */
  offlineApiKey?: string | null;
  /** Offline only: the emulator's Unix socket, which an attached `stripe trigger` needs for meter events. */
  offlineSocket?: string | null;
  events: string[] | 'all-snapshot';
  eventsSource: ReadyInfo['eventsSource'];
  handler: string | null;
  stripeCli: StripeCliInfo;
  apiVersion: string | null;
}

export function toControlSessionInfo(ready: ReadyInfo, { pid, startedAt }: { pid: number; startedAt: Date }): ControlSessionInfo {
  return {
    pid,
    startedAt: startedAt.toISOString(),
    receiverUrl: ready.receiverUrl,
    offline: ready.offline,
    apiBase: ready.apiBase ?? null,
    publishUrl: ready.publishUrl ?? null,
    offlineApiKey: ready.offlineApiKey ?? null,
    offlineSocket: ready.offlineSocket ?? null,
    events: Array.isArray(ready.events) ? [...ready.events] : ready.events,
    eventsSource: ready.eventsSource,
    handler: ready.handlerPath ?? null,
    stripeCli: { path: ready.stripeCli.path, version: ready.stripeCli.version, source: ready.stripeCli.source },
    apiVersion: ready.apiVersion ?? null,
  };
}
