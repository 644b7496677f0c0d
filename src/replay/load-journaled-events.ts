import { EventNotFoundError } from '../errors.js';
import { findEventDeliveries } from '../journal/query-journal.js';
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
  const loaded: JournaledPayload[] = [];
  for (const eventId of eventIds) {
    const { found, segments } = await findEventDeliveries(dir, eventId);
    const first = found[0];
    if (first === undefined) {
      throw new EventNotFoundError(`No delivery of ${eventId} is in the journal, so there is nothing to replay.`, {
        hint: segments === 0
          ? 'The journal is empty: webhook-dev listen and trigger keep every delivery, unless run with --no-journal.'
          : 'Run webhook-dev events to see the journaled events (it may have been pruned, or reached another project).',
      });
    }
    const raw = first.body.toString('utf8');
    loaded.push({ eventId, raw, event: parseEventJson(raw, `the journal (${eventId})`), from: 'journal', redacted: first.redacted });
  }
  return loaded;
}
