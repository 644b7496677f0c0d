import type { WebhookDevError } from '../errors.js';
import type { DeliverySource } from '../session/delivery-source.js';
import type { SessionQuirksView } from '../session/start-listen-session.js';
import type { StripeCliInfo } from '../types.js';

/** Where a trigger's events come from, and which Stripe API its `stripe trigger` must use. */
export interface TriggerTarget {
  mode: 'attached' | 'standalone';
  source: DeliverySource;
  cli: StripeCliInfo;
  apiBase: string | undefined;
  offline: boolean;
  /** Offline: the key the session's emulator accepts, for `stripe trigger` (in its env). */
  apiKey?: string;
  /** Offline standalone: the emulator's Unix socket, for `stripe trigger` (meter events). */
  localSocket?: string;
  /**
   * Offline standalone only: the events the emulator sends, as it sends them. A trigger then waits
   * for exactly those (the ones the session receives) instead of a quiet period.
   */
  published?: { subscribe(listener: (event: { id: string; type: string }) => void): () => void };
  /** Whether the session receives events of this type (its `stripe listen` selection). */
  receives(type: string): boolean;
  /** Standalone with delivery quirks: the summary counts what they did. */
  quirks?: SessionQuirksView;
  /**
   * The session's quirks (if any) still hold a delivery or owe a copy or retry: each trigger waits
   * until none is. Standalone, the quirks say; attached, the session's control stream does.
   */
  busy?: () => boolean;
  /** Settles if the session dies under the triggers. */
  failed: Promise<WebhookDevError>;
  /**
   * Offline standalone, when the triggers began before the session was ready: settles once its
   * start-up has (ready, or failed and closed). Until then a trigger's result may only be the
   * work of a start-up that is failing, so it is held.
   */
  started?: Promise<unknown>;
  close(): Promise<void>;
}
