import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { journalDir } from '../../src/journal/journal-files.js';
import { openJournal } from '../../src/journal/open-journal.js';
import { findJournalEvents } from '../../src/replay/find-journal-events.js';
import { loadJournaledEvents } from '../../src/replay/load-journaled-events.js';
import type { DeliveryRecord } from '../../src/types.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A journal written by the real writer: each [id, failed] a delivery, oldest first. */
async function journalOf(deliveries: Array<[string, boolean]>): Promise<string> {
  const root = mkdtempSync(join(tmpdir(), 'webhook-dev-replay-int-'));
  dirs.push(root);
  const journal = openJournal({ projectRoot: root, session: '20260101-000000-999999999', onWarning: (message) => expect.fail(message) });
  deliveries.forEach(([id, failed], n) => {
    const raw = Buffer.from(JSON.stringify({ id, object: 'event', type: 'invoice.paid', created: 1, livemode: false, data: { object: { id: `in_${n}` } } }));
    const outcome = failed ? { status: 'error' as const, error: { name: 'Error', message: 'no' } } : { status: 'ok' as const, value: n };
    const record: DeliveryRecord = { receivedAt: new Date(Date.now() - 10_000 + n), status: failed ? 500 : 200, verified: true, attempt: 1, event: JSON.parse(raw.toString()), durationMs: 1, handler: { outcome, durationMs: 0.5, logs: [] } };
    journal.keep(record, { raw, headers: {} });
  });
  await journal.close();
  return journalDir(root);
}

describe('findJournalEvents', () => {
  it('widens its window until it holds N events: 300 deliveries of one event hide an older one', async () => {
    const dir = await journalOf([['evt_old', true], ...Array.from({ length: 300 }, (): [string, boolean] => ['evt_busy', false])]);
    expect(await findJournalEvents(dir, {}, { count: 2, failedOnly: false })).toEqual({ eventIds: ['evt_old', 'evt_busy'], segments: 1 });
    expect(await findJournalEvents(dir, {}, { count: 1, failedOnly: true })).toEqual({ eventIds: ['evt_old'], segments: 1 });
    expect(await findJournalEvents(dir, {}, { count: undefined, failedOnly: true })).toEqual({ eventIds: ['evt_old'], segments: 1 });
  });

  it('an event that failed and then passed is not failed; asking for more than there are gives what there is', async () => {
    const dir = await journalOf([['evt_a', true], ['evt_b', true], ['evt_a', false]]);
    expect((await findJournalEvents(dir, {}, { count: undefined, failedOnly: true })).eventIds).toEqual(['evt_b']);
    expect((await findJournalEvents(dir, {}, { count: 5, failedOnly: false })).eventIds).toEqual(['evt_b', 'evt_a']);
  });
});

describe('loadJournaledEvents', () => {
  it("gives each event's first journaled body, in the order asked, and refuses an id it does not hold", async () => {
    const dir = await journalOf([['evt_a', true], ['evt_b', false], ['evt_a', false]]);
    const loaded = await loadJournaledEvents(dir, ['evt_b', 'evt_a']);
    expect(loaded.map((payload) => [payload.eventId, (payload.event.data as { object: { id: string } }).object.id, payload.from, payload.redacted])).toEqual([
      ['evt_b', 'in_1', 'journal', false],
      ['evt_a', 'in_0', 'journal', false],
    ]);
    await expect(loadJournaledEvents(dir, ['evt_a', 'evt_zzz'])).rejects.toMatchObject({ code: 'EVENT_NOT_FOUND', exitCode: 31 });
  });
});
