import { EventNotFoundError } from '../errors.js';
import { findEventDeliveries, type JournaledDelivery } from '../journal/query-journal.js';
import { parseEventJson } from '../send/load-payload.js';
import type { TargetPayload } from '../send/send-targets.js';

export interface JournaledPayload extends TargetPayload {
  eventId: string;
  /** The journal masked something secret-looking in the body: these are not the bytes Stripe sent. */
  redacted: boolean;
}

/**
 * Each event's payload as the journal kept it: the body of its first journaled delivery (a later
 * one may be an edited replay), exactly as received. An id with no delivery fails the whole
 * replay before anything is sent.
 */
export async function loadJournaledEvents(dir: string, eventIds: readonly string[]): Promise<JournaledPayload[]> {
  const { found, segments } = await findEventDeliveries(dir, new Set(eventIds));
  const first = new Map<string, JournaledDelivery>();
  // Oldest first: the first one seen of each event is its original.
  for (const delivery of found) {
    const id = delivery.record.event?.id;
    if (typeof id === 'string' && !first.has(id)) first.set(id, delivery);
  }
  return eventIds.map((eventId) => {
    const original = first.get(eventId);
    if (original === undefined) {
      throw new EventNotFoundError(`No delivery of ${eventId} is in the journal, so there is nothing to replay.`, {
        hint:
          segments === 0
            ? 'The journal is empty: webhook-dev listen and trigger keep every delivery, unless run with --no-journal.'
            : 'Run webhook-dev events to see the journaled events (it may have been pruned, or reached another project).',
      });
    }
    const raw = original.body.toString('utf8');
    return { eventId, raw, event: parseEventJson(raw, `the journal (${eventId})`), from: 'journal', redacted: original.redacted };
  });
}
