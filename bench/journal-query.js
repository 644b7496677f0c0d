/**
 * `webhook-dev events --type 'charge.*' --limit 20` on a 100,000-delivery journal, against
 * `webhook-dev --help` (the floor of any webhook-dev command). The journal is written by the real
 * writer (dist/journal/open-journal.js) into a temp project, in sessions of 10,000 deliveries,
 * with the size cap lifted so that nothing is pruned.
 *
 * What keeps the query cheap: segments are visited newest write first and their sidecar indexes
 * are read without touching a body; once 20 matches are in hand, no older segment can hold a
 * newer one, so the newest one or two indexes are all that is read, however large the journal.
 *
 * Then again with 1,000 older sessions of one `trigger` each beside them (4 deliveries, two files a
 * session): a project's journal after a few busy weeks. Every command that reads the journal, and
 * every session's start-up (it prunes), lists all of its files; with a promise per file that
 * listing alone cost 120-200 ms of CPU at this count.
 */
import { readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { distUrl } from './config.js';
import { compareCommands, runOnce } from './startup.js';
import { makeTempDir, removeTempDir } from './temp-dirs.js';

const TYPES = ['payment_intent.succeeded', 'payment_intent.created', 'charge.succeeded', 'charge.updated', 'invoice.paid', 'invoice.finalized', 'customer.created', 'customer.updated', 'checkout.session.completed', 'invoice.payment_succeeded'];

/**
 * @typedef {object} JournalQueryResult
 * @property {number} deliveries
 * @property {{ sessions: number, helpMs: number, eventsMs: number, listed: number, valid: boolean, problem?: string } | null} smallSessions
 *   the same query once that many older sessions of 4 deliveries each lie beside the deliveries
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
    const base = { deliveries, journalBytes, generateMs };
    const measured = await measureQuery(cliPath, query, dir, { runs, warmups });
    if (!measured.valid) return { ...base, ...measured, smallSessions: null };
    // Older than every delivery above: the same 20 are listed, and what changes is the files to list.
    await generateSmallSessions({ distDir, projectRoot: dir, body, sessions: SMALL_SESSIONS });
    const withSessions = await measureQuery(cliPath, query, dir, { runs, warmups });
    return { ...base, ...measured, smallSessions: { sessions: SMALL_SESSIONS, ...withSessions } };
  } finally {
    await removeTempDir(dir);
  }
}

/** The query against --help, after checking that it lists 20 charge deliveries. */
async function measureQuery(cliPath, query, cwd, { runs, warmups }) {
  const check = await runOnce(query, { capture: true, cwd });
  const listed = check.stdout.split('\n').filter((line) => line.startsWith('{"type":"delivery"') && line.includes('"type":"charge.')).length;
  if (check.code !== 0 || listed !== 20) {
    return { listed, helpMs: NaN, eventsMs: NaN, valid: false, problem: `events exited ${check.code} listing ${listed} charge deliveries: ${check.stderr.trim().slice(0, 300)}` };
  }
  const pair = await compareCommands([cliPath, '--help'], query, { runs, warmups, cwd });
  return { listed, helpMs: pair.baselineMs, eventsMs: pair.subjectMs, valid: pair.valid, ...(pair.problem ? { problem: pair.problem } : {}) };
}

const SMALL_SESSIONS = 1_000;
const SMALL_SESSION_DELIVERIES = 4;

/**
 * One short session written by the real writer, then copied under other session ids of the same
 * length (offsets in the index stay right), each copy a second older than the one before: opening
 * a thousand journals would prune a thousand times, which is what is measured, not how to set up.
 */
async function generateSmallSessions({ distDir, projectRoot, body, sessions }) {
  const { openJournal } = await import(distUrl(distDir, 'journal/open-journal.js'));
  const first = '20251201-000000-800000';
  const journal = openJournal({ projectRoot, session: first, limits: { maxTotalBytes: 100 * 1024 ** 3, maxAgeMs: 365 * 86_400_000 }, onWarning: (message) => { throw new Error(message); } });
  for (let n = 0; n < SMALL_SESSION_DELIVERIES; n += 1) journal.keep(benchRecord(n, `evt_small${String(n).padStart(12, '0')}`), benchRequest(body, `evt_small${String(n).padStart(12, '0')}`, TYPES[n % TYPES.length]));
  await journal.close();
  const dir = path.join(projectRoot, '.webhook-dev', 'journal');
  const files = (await readdir(dir)).filter((name) => name.startsWith(first));
  const contents = await Promise.all(files.map(async (name) => [name, await readFile(path.join(dir, name), 'utf8')]));
  const oldest = Date.now() / 1000 - sessions - 86_400;
  for (let k = 0; k < sessions; k += 1) {
    const session = `20251201-000000-${800_000 + k}`;
    for (const [name, text] of contents) {
      const file = path.join(dir, name.replace(first, session));
      if (k > 0) await writeFile(file, text.replaceAll(first, session));
      await utimes(file, oldest + k, oldest + k);
    }
  }
}

function benchRecord(n, id) {
  const type = TYPES[n % TYPES.length];
  return {
    // Received now, as in a session: a segment's write time then bounds its deliveries' times.
    receivedAt: new Date(),
    status: 200,
    verified: true,
    attempt: 1,
    event: { id, type, object: 'event', created: 1, livemode: false, data: { object: { id: `pi_${n}` } } },
    handler: { outcome: { status: 'ok', value: { ok: true, id } }, durationMs: 0.4, logs: [{ level: 'info', message: `handled ${id}`, elapsedMs: 0.1 }] },
    durationMs: 0.9,
  };
}

function benchRequest(body, id, type) {
  const raw = Buffer.from(body.toString('utf8').replace(/"id": "evt_[A-Za-z0-9]+"/, `"id": "${id}"`).replace(/"type": "[a-z_.]+"\n}$/, `"type": "${type}"\n}`));
  return { raw, headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': `t=1767225600,v1=${'ab'.repeat(32)}`, 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' } };
}

/** Deliveries as a session records them: verified, handled ok, one log line, the signature header kept. */
export async function generateJournal({ distDir, projectRoot, body, deliveries }) {
  const { openJournal } = await import(distUrl(distDir, 'journal/open-journal.js'));
  const perSession = 10_000;
  for (let first = 0; first < deliveries; first += perSession) {
    const session = `20260101-000000-${900_000 + first / perSession}`;
    const journal = openJournal({ projectRoot, session, limits: { maxTotalBytes: 100 * 1024 ** 3, maxAgeMs: 365 * 86_400_000 }, onWarning: (message) => { throw new Error(message); } });
    for (let n = first; n < Math.min(deliveries, first + perSession); n += 1) {
      const id = `evt_bench${String(n).padStart(12, '0')}`;
      journal.keep(benchRecord(n, id), benchRequest(body, id, TYPES[n % TYPES.length]));
    }
    await journal.close();
  }
}

async function folderBytes(dir) {
  const names = await readdir(dir);
  const sizes = await Promise.all(names.map(async (name) => (await stat(path.join(dir, name))).size));
  return sizes.reduce((a, b) => a + b, 0);
}
