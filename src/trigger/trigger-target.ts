import type { WebhookDevError } from '../errors.js';
import type { DeliverySource } from '../session/delivery-source.js';
import type { StripeCliInfo } from '../types.js';

/** Where a trigger's events come from, and which Stripe API its `stripe trigger` must use. */
export interface TriggerTarget {
  mode: 'attached' | 'standalone';
  source: DeliverySource;
  cli: StripeCliInfo;
  apiBase: string | undefined;
  offline: boolean;
  /** Settles if the session dies under the triggers. */
  failed: Promise<WebhookDevError>;
  close(): Promise<void>;
}
