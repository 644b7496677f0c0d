import type { ControlServer } from '../control/start-control-server.js';
import { toWireDelivery, type WireDelivery } from '../control/wire-delivery.js';
import type { ReceivedRequest } from '../receiver/start-receiver.js';
import type { Reporter } from '../render/reporter.js';
import type { DeliveryRecord } from '../types.js';
import type { DeliverySource } from './delivery-source.js';
import { countDelivery, emptyCounts, type SessionCounts } from './session-stats.js';

/** The journal as the pipeline sees it (src/journal/ implements it). */
export interface DeliveryKeeper {
  /** Before the answer goes out: hands the delivery to the OS, now or when the promise settles. Never throws or rejects. */
  keep(record: DeliveryRecord, request: ReceivedRequest): Promise<void> | undefined;
  /** After: what the record gained once the answer was out (the app's output, its verdict). */
  settle(answered: DeliveryRecord, record: DeliveryRecord): void;
}

export interface DeliveryPipeline {
  /** The receiver's `keep`: runs before each answer, which waits for the promise if it gets one. */
  keep(record: DeliveryRecord, request: ReceivedRequest): Promise<void> | undefined;
  /** The receiver's `onDelivery`: the one record, to every sink in order; `body` is what its event was parsed from. */
  deliver(record: DeliveryRecord, answered: DeliveryRecord, body?: string): void;
  /** Waiters (`trigger`): every delivery, after the reporter has shown it. */
  deliveries: DeliverySource;
  counts(): SessionCounts;
  /** The control stream exists only once the session is announced. */
  streamTo(control: ControlServer): void;
  /**
   * From now on deliveries are still journaled but no longer shown, counted or streamed: the close
   * (or a handler that never loaded) cut them short, and the summary is the last word.
   */
  quiet(): void;
}

/**
 * Where a delivery goes once the receiver has answered it, in this order: journal (before the
 * answer: acknowledged means kept), reporter and counts, control stream (serialised only when
 * someone follows it), waiters. Every sink gets the same record; none reaches back into the session.
 */
export function createDeliveryPipeline({ reporter, journal }: { reporter: Reporter; journal?: DeliveryKeeper }): DeliveryPipeline {
  const waiters = new Set<(record: DeliveryRecord) => void>();
  let counts = emptyCounts();
  let control: ControlServer | undefined;
  let quiet = false;
  return {
    keep(record, request) {
      return journal?.keep(record, request);
    },
    deliver(record, answered, body) {
      if (record !== answered) journal?.settle(answered, record);
      if (quiet) return;
      counts = countDelivery(counts, record);
      reporter.delivery(record);
      // Built only if a follower (trigger, the inspector) reads it: most sessions have none.
      control?.publishLazy('delivery', wireLater(record, body));
      for (const waiter of waiters) waiter(record);
    },
    deliveries: {
      subscribe(listener) {
        waiters.add(listener);
        return () => waiters.delete(listener);
      },
    },
    counts: () => counts,
    streamTo(server) {
      control = server;
    },
    quiet() {
      quiet = true;
    },
  };
}

/**
 * What the control stream holds for a late follower, for its last 200 deliveries. Holding the
 * record itself kept each parsed event (some 150 small objects) alive through young-generation
 * collections, which then had three times as much to copy: the main thread's scavenge pause under
 * load went from 2.9 to 6.1 ms (--trace-gc-nvp). The body text is one object; the event is parsed
 * from it again only if someone reads the record.
 */
function wireLater(record: DeliveryRecord, body: string | undefined): () => WireDelivery {
  if (record.event === undefined || body === undefined) return () => toWireDelivery(record);
  return parsedLater({ ...record, event: undefined }, body);
}

// A function of its own: a closure made in wireLater would share its scope, and so hold `record`.
function parsedLater(withoutEvent: DeliveryRecord, body: string): () => WireDelivery {
  return () => toWireDelivery({ ...withoutEvent, event: JSON.parse(body) as DeliveryRecord['event'] });
}
