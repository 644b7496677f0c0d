import { appendFileSync, mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { journalDir } from '../../src/journal/journal-files.js';
import { openJournal } from '../../src/journal/open-journal.js';
import { findEventDeliveries, listDeliveries } from '../../src/journal/query-journal.js';
import type { DeliveryRecord, ForwardResult } from '../../src/types.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'webhook-dev-journal-int-'));
  dirs.push(dir);
  return dir;
}

function delivery(n: number, type = 'customer.created'): { record: DeliveryRecord; raw: Buffer } {
  const raw = Buffer.from(JSON.stringify({ id: `evt_${n}`, object: 'event', type, created: 1, livemode: false, data: { object: { id: `obj_${n}` } } }));
  const record: DeliveryRecord = { receivedAt: new Date(Date.now() - 1000 + n), status: 200, verified: true, attempt: 1, event: JSON.parse(raw.toString()), durationMs: 1, handler: { outcome: { status: 'ok', value: n }, durationMs: 0.5, logs: [] } };
  return { record, raw };
}

// A session that is not running: its torn lines are torn, not writes in progress.
const DEAD_SESSION = '20260101-000000-999999999';

/** A journal of that session in `root` that fails the test if it ever warns. */
function deadSessionJournal(root: string) {
  return openJournal({ projectRoot: root, session: DEAD_SESSION, onWarning: (message) => expect.fail(message) });
}

describe('the journal writer and its readers', () => {
  it('reads what a segment holds past its index, and merges a settled line into its delivery', async () => {
    const root = project();
    const journal = deadSessionJournal(root);
    const kept = [1, 2, 3].map((n) => delivery(n));
    for (const { record, raw } of kept) journal.keep(record, { raw, headers: {} });
    const forward: ForwardResult = { url: 'http://app', outcome: { status: 'response', statusCode: 500, headers: {}, body: 'boom', bodyTruncated: false }, durationMs: 2 };
    journal.settle(kept[1]!.record, { ...kept[1]!.record, forward });
    await journal.close();

    const [index] = readdirSync(journalDir(root)).filter((name) => name.endsWith('.idx'));
    // The index lost, as after a kill before its batched write: the segment alone must do.
    const path = join(journalDir(root), index!);
    truncateSync(path, 0);
    const all = await listDeliveries(journalDir(root), { limit: 10 });
    expect(all.found.map((entry) => [entry.e, entry.out])).toEqual([
      ['evt_3', 'ok'],
      ['evt_2', 'app-failed'],
      ['evt_1', 'ok'],
    ]);
    expect(all.torn).toBe(0);
    const shown = await findEventDeliveries(journalDir(root), 'evt_2');
    expect(shown.found).toHaveLength(1);
    expect(shown.found[0]!.record.forward?.outcome).toMatchObject({ statusCode: 500 });
    expect(shown.found[0]!.body.equals(kept[1]!.raw)).toBe(true);
    // Several events at once (replay), each segment read once, oldest first.
    const several = await findEventDeliveries(journalDir(root), new Set(['evt_3', 'evt_1', 'evt_9']));
    expect(several.found.map((found) => found.record.event?.id)).toEqual(['evt_1', 'evt_3']);
  });

  it('skips a torn line in the middle and at the end, counting each', async () => {
    const root = project();
    const journal = deadSessionJournal(root);
    const first = delivery(1);
    journal.keep(first.record, { raw: first.raw, headers: {} });
    await journal.close();
    const segment = join(journalDir(root), readdirSync(journalDir(root)).find((name) => name.endsWith('.journal'))!);
    appendFileSync(segment, '{"kind":"delivery","v":1,"seq":2,"sess\n');
    const again = openJournal({ projectRoot: root, session: '20260101-000001-999999999', onWarning: (message) => expect.fail(message) });
    const second = delivery(2);
    again.keep(second.record, { raw: second.raw, headers: {} });
    await again.close();
    appendFileSync(segment, '{"kind":"deliv');
    const result = await listDeliveries(journalDir(root), { limit: 10 });
    expect(result.found.map((entry) => entry.e)).toEqual(['evt_2', 'evt_1']);
    expect(result.torn).toBe(2);
  });

  it('counts a record cut inside its body (a multi-line body) as one torn record, and reads on after it', async () => {
    const root = project();
    const journal = deadSessionJournal(root);
    const pretty = (n: number) => ({ record: delivery(n).record, raw: Buffer.from(JSON.stringify(JSON.parse(delivery(n).raw.toString()), null, 2)) });
    const first = pretty(1);
    journal.keep(first.record, { raw: first.raw, headers: {} });
    await journal.close();
    const segment = join(journalDir(root), readdirSync(journalDir(root)).find((name) => name.endsWith('.journal'))!);
    // A head that promises more body than was written before the kill: the lines after it are body lines, not records.
    appendFileSync(segment, `{"kind":"delivery","v":2,"seq":2,"session":"${DEAD_SESSION}","source":"stripe-cli","request":{"headers":{},"bytes":900,"redacted":false},"record":{}}\n{\n  "id": "evt_2",\n  "object": "event",\n`);
    const result = await listDeliveries(journalDir(root), { limit: 10 });
    expect(result.found.map((entry) => entry.e)).toEqual(['evt_1']);
    expect(result.torn).toBe(1);
    const shown = await findEventDeliveries(journalDir(root), 'evt_1');
    expect(shown.found[0]!.body.equals(first.raw)).toBe(true);
  });

  it('still reads the JSON-lines segments (.jsonl) an older webhook-dev wrote, beside the new ones', async () => {
    const root = project();
    const journal = deadSessionJournal(root);
    const { record, raw } = delivery(2);
    journal.keep(record, { raw, headers: {} });
    await journal.close();
    const old = delivery(1);
    const oldSession = '20250101-000000-999999998';
    const line = `${JSON.stringify({ kind: 'delivery', v: 1, seq: 1, session: oldSession, source: 'stripe-cli', request: { headers: {}, body: old.raw.toString(), encoding: 'utf8', redacted: false }, record: { receivedAt: new Date(Date.now() - 5000).toISOString(), status: 200, verified: true, attempt: 1, durationMs: 1 } })}\n`;
    writeFileSync(join(journalDir(root), `${oldSession}.1.jsonl`), line);
    const result = await listDeliveries(journalDir(root), { limit: 10 });
    expect(result.found.map((entry) => entry.e)).toEqual(['evt_2', 'evt_1']);
    const shown = await findEventDeliveries(journalDir(root), 'evt_1');
    expect(shown.found[0]!.body.equals(old.raw)).toBe(true);
  });

  it('says once, and goes on, when the journal cannot be written', () => {
    const root = project();
    writeFileSync(join(root, '.webhook-dev'), 'a file, not a folder\n');
    const warnings: string[] = [];
    const journal = openJournal({ projectRoot: root, onWarning: (message) => warnings.push(message) });
    const { record, raw } = delivery(1);
    journal.keep(record, { raw, headers: {} });
    journal.keep(record, { raw, headers: {} });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/The journal cannot be written \(ENOTDIR/);
  });

  it('lists newest first across sessions and stops at the limit', async () => {
    const root = project();
    for (const session of ['20260101-000000-999999991', '20260101-000000-999999992']) {
      const journal = openJournal({ projectRoot: root, session, onWarning: (message) => expect.fail(message) });
      for (let n = 0; n < 5; n += 1) {
        const { record, raw } = delivery(n + (session.endsWith('2') ? 100 : 0), n % 2 === 0 ? 'charge.succeeded' : 'invoice.paid');
        journal.keep(record, { raw, headers: {} });
      }
      await journal.close();
    }
    const charges = await listDeliveries(journalDir(root), { limit: 4, type: (type) => type?.startsWith('charge.') === true });
    expect(charges.found.map((entry) => entry.e)).toEqual(['evt_104', 'evt_102', 'evt_100', 'evt_4']);
  });
});

describe('the journal folder', () => {
  it('is ignored by git from the inside, and its files are the owner\'s only', async () => {
    const root = project();
    const journal = deadSessionJournal(root);
    const { record, raw } = delivery(1);
    journal.keep(record, { raw, headers: {} });
    await journal.close();
    const { readFileSync, statSync } = await import('node:fs');
    expect(readFileSync(join(journalDir(root), '.gitignore'), 'utf8')).toMatch(/^\*$/m);
    expect(statSync(journalDir(root)).mode & 0o077).toBe(0);
    for (const name of readdirSync(journalDir(root))) expect(statSync(join(journalDir(root), name)).mode & 0o077).toBe(0);
    const again = openJournal({ projectRoot: root, session: '20260101-000009-999999999', onWarning: (message) => expect.fail(message) });
    await again.close();
  });
});
