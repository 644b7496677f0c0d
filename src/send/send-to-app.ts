import { createForwarder } from '../forwarder/create-forwarder.js';
import { deliveryHeaders, randomSecret, type Tamper } from '../signature/delivery-headers.js';
import type { FrameworkClues } from '../forwarder/detect-framework.js';
import type { DeliveryRecord, ForwardResult, StripeEventLike } from '../types.js';

export interface SendToAppOptions {
  url: string;
  /** Optional only for deliveries that never carry a valid signature (--no-signature, --bad-signature, --wrong-secret). */
  secret?: string;
  raw: string;
  event: Record<string, unknown>;
  tamper?: Tamper;
  timeoutMs?: number;
  insecure?: boolean;
  statusOnly?: boolean;
  frameworkClues?: Omit<FrameworkClues, 'headers'>;
  now?: () => Date;
}

/**
 * Signs the payload (or tampers with it) and sends it to the app with Stripe's headers, through the
 * same forwarder `listen --forward-to` uses: its answer is judged and diagnosed the same way. The
 * result is shaped as a delivery, so that it renders like the blocks `listen` prints.
 */
export async function sendToApp({ url, secret, raw, event, tamper, timeoutMs, insecure = false, statusOnly = false, frameworkClues = {}, now = () => new Date() }: SendToAppOptions): Promise<DeliveryRecord> {
  const forwarder = createForwarder({
    url,
    secret: () => secret,
    insecure,
    judge: statusOnly ? 'status' : 'answer',
    frameworkClues,
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  });
  try {
    const sentAt = now();
    const eventId = typeof event.id === 'string' ? event.id : undefined;
    const headers = deliveryHeaders(raw, { secret: secret ?? randomSecret(), ...(tamper ? { tamper } : {}) });
    const judged = await forwarder.forward(Buffer.from(raw, 'utf8'), headers, eventId);
    const forward = tamper ? withoutExpectedDiagnosis(judged) : judged;
    return {
      receivedAt: sentAt,
      status: forward.outcome.status === 'response' ? forward.outcome.statusCode : 502,
      // Signed by us: the block then shows the app's answer, as `listen` does for a forward.
      verified: true,
      event: event as StripeEventLike,
      attempt: 1,
      forward,
      durationMs: forward.durationMs,
    };
  } finally {
    await forwarder.close();
  }
}

/** A 4xx is what a tampered delivery should get: no "likely cause" for the app refusing it. */
function withoutExpectedDiagnosis(forward: ForwardResult): ForwardResult {
  if (forward.outcome.status !== 'response' || forward.outcome.statusCode < 400 || forward.outcome.statusCode >= 500) return forward;
  const { diagnosis: _diagnosis, ...rest } = forward;
  return rest;
}
