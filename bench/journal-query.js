/**
 * `webhook-dev events --type 'charge.*' --limit 20` on a 100,000-delivery journal, against
 * `webhook-dev --help` (the floor of any webhook-dev command). The journal is written by the real
 * writer (dist/journal/open-journal.js) into a temp project, in sessions of 10,000 deliveries,
 * with the size cap lifted so that nothing is pruned.
 *
 * What keeps the query cheap: segments are visited newest write first and their sidecar indexes
 * are read without touching a body; once 20 matches are in hand, no older segment can hold a
 * newer one, so the newest one or two indexes are all that is read, however large the journal.
 */
import { readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { distUrl } from './config.js';
import { compareCommands, runOnce } from './startup.js';
import { makeTempDir, removeTempDir } from './temp-dirs.js';

const TYPES = ['payment_intent.succeeded', 'payment_intent.created', 'charge.succeeded', 'charge.updated', 'invoice.paid', 'invoice.finalized', 'customer.created', 'customer.updated', 'checkout.session.completed', 'invoice.payment_succeeded'];

/**
 * @typedef {object} JournalQueryResult
 * @property {number} deliveries
 * @property {number} journalBytes   segments and indexes together
 * @property {number} generateMs     writing the journal (the writer's own cost, no HTTP)
 * @property {number} helpMs         median wall time of `webhook-dev --help`
 * @property {number} eventsMs       median wall time of the query
 * @property {number} listed         deliveries the query printed (20 expected)
 * @property {boolean} valid
 * @property {string} [problem]
 */

/**
 * @param {{ cliPath: string, distDir: string, body: Buffer, deliveries: number, runs: number, warmups: number }} options
 * @returns {Promise<JournalQueryResult>}
 */
export async function measureJournalQuery({ cliPath, distDir, body, deliveries, runs, warmups }) {
  const dir = await makeTempDir('webhook-dev-bench-journal-');
  try {
    await writeFile(path.join(dir, 'package.json'), '{"name":"bench-journal"}\n');
    const started = performance.now();
    await generateJournal({ distDir, projectRoot: dir, body, deliveries });
    const generateMs = performance.now() - started;
    const journalBytes = await folderBytes(path.join(dir, '.webhook-dev', 'journal'));
    const query = [cliPath, 'events', '--type', 'charge.*', '--limit', '20', '--json'];
    const check = await runOnce(query, { capture: true, cwd: dir });
    const listed = check.stdout.split('\n').filter((line) => line.startsWith('{"type":"delivery"') && line.includes('"type":"charge.')).length;
    const base = { deliveries, journalBytes, generateMs, listed };
    if (check.code !== 0 || listed !== 20) {
      return { ...base, helpMs: NaN, eventsMs: NaN, valid: false, problem: `events exited ${check.code} listing ${listed} charge deliveries: ${check.stderr.trim().slice(0, 300)}` };
    }
    const pair = await compareCommands([cliPath, '--help'], query, { runs, warmups, cwd: dir });
    return { ...base, helpMs: pair.baselineMs, eventsMs: pair.subjectMs, valid: pair.valid, ...(pair.problem ? { problem: pair.problem } : {}) };
  } finally {
    await removeTempDir(dir);
  }
}

/** Deliveries as a session records them: verified, handled ok, one log line, the signature header kept. */
export async function generateJournal({ distDir, projectRoot, body, deliveries }) {
  const { openJournal } = await import(distUrl(distDir, 'journal/open-journal.js'));
  const text = body.toString('utf8');
  const perSession = 10_000;
  for (let first = 0; first < deliveries; first += perSession) {
    const session = `20260101-000000-${900_000 + first / perSession}`;
    const journal = openJournal({ projectRoot, session, limits: { maxTotalBytes: 100 * 1024 ** 3, maxAgeMs: 365 * 86_400_000 }, onWarning: (message) => { throw new Error(message); } });
    for (let n = first; n < Math.min(deliveries, first + perSession); n += 1) {
      const type = TYPES[n % TYPES.length];
      const id = `evt_bench${String(n).padStart(12, '0')}`;
      const raw = Buffer.from(text.replace(/"id": "evt_[A-Za-z0-9]+"/, `"id": "${id}"`).replace(/"type": "[a-z_.]+"\n}$/, `"type": "${type}"\n}`));
      const record = {
        // Received now, as in a session: a segment's write time then bounds its deliveries' times.
        receivedAt: new Date(),
        status: 200,
        verified: true,
        attempt: 1,
        event: { id, type, object: 'event', created: 1, livemode: false, data: { object: { id: `pi_${n}` } } },
        handler: { outcome: { status: 'ok', value: { ok: true, id } }, durationMs: 0.4, logs: [{ level: 'info', message: `handled ${id}`, elapsedMs: 0.1 }] },
        durationMs: 0.9,
      };
      journal.keep(record, { raw, headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': `t=1767225600,v1=${'ab'.repeat(32)}`, 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' } });
    }
    await journal.close();
  }
}

async function folderBytes(dir) {
  const names = await readdir(dir);
  const sizes = await Promise.all(names.map(async (name) => (await stat(path.join(dir, name))).size));
  return sizes.reduce((a, b) => a + b, 0);
}
