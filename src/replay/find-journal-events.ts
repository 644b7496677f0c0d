import { listDeliveries, type JournalQuery } from '../journal/query-journal.js';
import { pickJournalEvents } from './replay-selection.js';

/**
 * The ids `--last N` / `--failed` pick, oldest first, and how many segments the journal has.
 * The newest deliveries are read in a growing window: within any newest-first window an event's
 * first delivery is its newest, so the N newest events (failed or not) are settled as soon as the
 * window holds N of them, and `replay --last` reads one or two indexes, as `events` does. Only
 * "every failed event" reads every delivery in range.
 */
export async function findJournalEvents(dir: string, filters: Omit<JournalQuery, 'limit'>, { count, failedOnly }: { count: number | undefined; failedOnly: boolean }): Promise<{ eventIds: string[]; segments: number }> {
  for (let limit = count === undefined ? Number.POSITIVE_INFINITY : Math.max(50, count * 4); ; limit *= 4) {
    const { found, segments } = await listDeliveries(dir, { ...filters, limit });
    const eventIds = pickJournalEvents(found, { count, failedOnly });
    if ((count !== undefined && eventIds.length >= count) || found.length < limit) return { eventIds, segments };
  }
}
