/**
 * The journal and `webhook-dev events`, end to end: the built binary, the real Stripe CLI against
 * the emulator, signed deliveries sent straight to the receiver on loopback, and the files on disk.
 */
import { execa } from 'execa';
import { appendFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { signPayload } from '../../src/signature/sign-payload.js';
import { binPath, isAlive, killAllRuns, runCli, type CliRun, type JsonRecord } from '../helpers/run-cli.js';
import { waitFor } from '../helpers/wait-for.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  await killAllRuns();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

// A handler that tries to leak secrets into what it returns and logs, and fails one type.
const HANDLER = `export default {
  'customer.created': (event, { log }) => {
    log.info('api key sk_test_' + 'handlerlogged0123456789 and whsec_' + 'handlerlogged0123456789');
    return { id: event.data.object.id, key: 'sk_test_' + 'handlerreturned0123456789' };
  },
  'charge.failed': () => { throw new Error('card declined on purpose'); },
  '*': () => 'seen',
};
`;

function tempProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'webhook-dev-journal-'));
  writeFileSync(join(dir, 'package.json'), '{"name":"shop","type":"module"}\n');
  writeFileSync(join(dir, 'webhooks.mjs'), HANDLER);
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const journalDir = (project: string) => join(project, '.webhook-dev', 'journal');
const journalFiles = (project: string) => readdirSync(journalDir(project)).map((name) => join(journalDir(project), name));

async function webhookDev(project: string, args: string[]) {
  const result = await execa(process.execPath, [binPath, ...args], { cwd: project, reject: false, encoding: 'buffer', env: { NO_COLOR: '1' } });
  const stdout = Buffer.from(result.stdout as Uint8Array);
  const stderr = Buffer.from(result.stderr as Uint8Array).toString('utf8');
  const records = stdout
    .toString('utf8')
    .split('\n')
    .filter((line) => line.startsWith('{"type"'))
    .map((line) => JSON.parse(line) as JsonRecord);
  return { exitCode: result.exitCode, stdout, stderr, records };
}

async function startListen(project: string, extra: string[] = []): Promise<{ run: CliRun; ready: JsonRecord }> {
  const run = runCli(['listen', '--offline', '--handler', 'webhooks.mjs', '--port', '0', '--json', '--show-secret', ...extra], { cwd: project });
  const ready = await run.waitForRecord((r) => r.type === 'ready', 60_000, 'the ready record');
  return { run, ready };
}

async function stop(run: CliRun, signal: NodeJS.Signals = 'SIGINT'): Promise<void> {
  run.kill(signal);
  await run.exit();
  await waitFor(() => [...run.descendants].every((pid) => !isAlive(pid)), { timeoutMs: 15_000, description: 'every child to be gone' });
}

function eventBody(id: string, type: string, extra = ''): string {
  return `{"id":"${id}","object":"event","type":"${type}","created":${Math.floor(Date.now() / 1000)},"livemode":false,"data":{"object":{"id":"obj_${id}"${extra}}}}`;
}

/** Signed deliveries straight to the session's receiver, over `connections` keep-alive connections. */
function sender(ready: JsonRecord, connections = 4) {
  const url = new URL(ready.receiverUrl as string);
  const pool = new Pool(url.origin, { connections });
  cleanups.push(() => pool.destroy());
  return async (body: string | Buffer, signature = signPayload(body, { secret: ready.secret as string })): Promise<number> => {
    const response = await pool.request({ method: 'POST', path: url.pathname, body, headers: { 'content-type': 'application/json', 'stripe-signature': signature } });
    await response.body.dump();
    return response.statusCode;
  };
}

describe('the journal (webhook-dev listen and trigger)', () => {
  it('keeps every delivery of listen and trigger, across sessions, with no secret in any file', async () => {
    const project = tempProject();
    const { run, ready } = await startListen(project);
    expect(ready.secret).toMatch(/^whsec_/);
    expect(ready.offlineApiKey).toMatch(/^sk_test_/);
    const send = sender(ready);
    // Exact bytes: odd spacing and non-ASCII text, which a re-serialised body would lose.
    const exact = Buffer.from(`{ "id":"evt_exact_bytes_1", "object":"event","type":"customer.created","created":${Math.floor(Date.now() / 1000)},"livemode":false,\n  "data":{"object":{"id":"cus_1","name":"Zoë  \\u00e9"}}}`);
    expect(await send(exact)).toBe(200);
    expect(await send(eventBody('evt_fails_1', 'charge.failed'))).toBe(500);
    expect(await send(eventBody('evt_forged_1', 'customer.created'), 't=1,v1=00')).toBe(400);
    // A real Stripe CLI delivery too: trigger attaches to this listen.
    const trigger = await webhookDev(project, ['trigger', 'customer.created', '--json']);
    expect(trigger.exitCode, trigger.stderr).toBe(0);
    await stop(run);

    // A second session: trigger on its own.
    const standalone = await webhookDev(project, ['trigger', 'payment_intent.succeeded', '--offline', '--handler', 'webhooks.mjs', '--json']);
    expect(standalone.exitCode, standalone.stderr).toBe(0);

    const listed = await webhookDev(project, ['events', '--json', '--limit', '100']);
    expect(listed.exitCode, listed.stderr).toBe(0);
    const entries = listed.records.filter((r) => r.type === 'delivery');
    expect(entries.every((entry) => entry.schema === 1)).toBe(true);
    const times = entries.map((entry) => Date.parse(entry.receivedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(new Set(entries.map((entry) => entry.session)).size).toBe(2);
    const byId = new Map(entries.map((entry) => [entry.event.id, entry]));
    expect(byId.get('evt_exact_bytes_1')).toMatchObject({ outcome: 'ok', verified: true });
    expect(byId.get('evt_fails_1')).toMatchObject({ outcome: 'error', verified: true });
    expect(byId.get('evt_forged_1')).toMatchObject({ outcome: 'rejected', verified: false });
    expect(entries.some((entry) => entry.event.type === 'customer.created' && entry.event.id.startsWith('evt_') && entry.event.id !== 'evt_exact_bytes_1' && entry.event.id !== 'evt_forged_1')).toBe(true);
    expect(entries.some((entry) => entry.event.type === 'payment_intent.succeeded' && entry.session !== byId.get('evt_fails_1')!.session)).toBe(true);

    // --raw gives back the bytes exactly as received.
    const raw = await webhookDev(project, ['events', 'show', 'evt_exact_bytes_1', '--raw']);
    expect(raw.exitCode, raw.stderr).toBe(0);
    expect(raw.stdout.equals(exact)).toBe(true);
    // Pretty: the payload, then the delivery as listen showed it (its log line, masked).
    const shown = await webhookDev(project, ['events', 'show', 'evt_exact_bytes_1']);
    expect(shown.exitCode, shown.stderr).toBe(0);
    const text = shown.stdout.toString('utf8');
    expect(text).toContain('"name": "Zoë  é"');
    expect(text).toMatch(/customer\.created {2}evt_exact_bytes_1/);
    expect(text).toMatch(/info +api key sk_test_…6789 and whsec_…6789/);
    const failed = await webhookDev(project, ['events', 'show', 'evt_fails_1', '--json']);
    expect(failed.records[0]).toMatchObject({ type: 'journaled-event', schema: 1, eventId: 'evt_fails_1', payload: { type: 'charge.failed' }, deliveries: [{ outcome: 'error', status: 500, error: { message: 'card declined on purpose' } }] });

    // No secret in any journal file: not the session's, not the emulator's key, nothing the handler leaked.
    const files = journalFiles(project);
    expect(files.some((file) => file.endsWith('.journal'))).toBe(true);
    for (const file of files) {
      const content = readFileSync(file, 'utf8');
      expect(content).not.toContain(ready.secret);
      expect(content).not.toContain(ready.offlineApiKey);
      expect(content, file).not.toMatch(/whsec_[A-Za-z0-9_]{4,}|sk_(test|live)_[A-Za-z0-9_]{4,}/);
      expect(statSync(file).mode & 0o077).toBe(0);
    }
  }, 180_000);

  it('--no-journal keeps nothing', async () => {
    const project = tempProject();
    const result = await webhookDev(project, ['trigger', 'customer.created', '--offline', '--handler', 'webhooks.mjs', '--json', '--no-journal']);
    expect(result.exitCode, result.stderr).toBe(0);
    const listed = await webhookDev(project, ['events']);
    expect(listed.exitCode).toBe(0);
    expect(listed.stderr).toMatch(/The journal is empty .*--no-journal/);
  }, 120_000);

  it('rotates past the size cap and deletes the oldest segments, keeping the newest deliveries', async () => {
    const project = tempProject();
    const { run, ready } = await startListen(project, ['--journal-max-size', '300KB']);
    const send = sender(ready, 1);
    const padding = `,"note":"${'x'.repeat(16 * 1024)}"`;
    for (let n = 1; n <= 60; n += 1) expect(await send(eventBody(`evt_rotate_${n}`, 'customer.updated', padding))).toBe(200);
    const segmentCount = () => journalFiles(project).filter((file) => file.endsWith('.journal')).length;
    const total = () => journalFiles(project).reduce((sum, file) => sum + statSync(file).size, 0);
    // ~1 MB sent into a 300 KB journal of 64 KB segments: pruned as it rotates.
    await waitFor(() => total() <= 300 * 1024 + 64 * 1024 + 20 * 1024, { timeoutMs: 10_000, description: 'the journal to be pruned under its cap' });
    expect(segmentCount()).toBeGreaterThan(1);
    await stop(run);
    const listed = await webhookDev(project, ['events', '--json', '--limit', '1000']);
    const ids = listed.records.filter((r) => r.type === 'delivery').map((r) => r.event.id);
    expect(ids[0]).toBe('evt_rotate_60');
    expect(ids).not.toContain('evt_rotate_1');
    expect(ids.length).toBeGreaterThan(5);
    expect(ids.length).toBeLessThan(60);
  }, 120_000);

  it('a torn last record is skipped with one warning, and the rest is listed', async () => {
    const project = tempProject();
    const { run, ready } = await startListen(project);
    const send = sender(ready);
    for (const n of [1, 2, 3]) expect(await send(eventBody(`evt_torn_${n}`, 'customer.created'))).toBe(200);
    // While the session runs, events reads what it has written so far, with no warning.
    const live = await webhookDev(project, ['events', '--json']);
    expect(live.records.map((r) => r.type === 'delivery' ? r.event.id : r.type)).toEqual(['evt_torn_3', 'evt_torn_2', 'evt_torn_1']);
    await stop(run);
    const segment = journalFiles(project).find((file) => file.endsWith('.journal'))!;
    appendFileSync(segment, '{"kind":"delivery","v":1,"seq":4,"session":"cut-off","request":{"body":"{\\"id\\":\\"evt_to');

    const listed = await webhookDev(project, ['events', '--json']);
    expect(listed.exitCode, listed.stderr).toBe(0);
    const notices = listed.records.filter((r) => r.type === 'notice');
    expect(notices).toEqual([expect.objectContaining({ level: 'warn', message: expect.stringContaining('torn record') })]);
    expect(listed.records.filter((r) => r.type === 'delivery').map((r) => r.event.id)).toEqual(['evt_torn_3', 'evt_torn_2', 'evt_torn_1']);
    const pretty = await webhookDev(project, ['events']);
    expect(pretty.exitCode).toBe(0);
    expect(pretty.stderr.match(/torn record/g)).toHaveLength(1);
    const show = await webhookDev(project, ['events', 'show', 'evt_torn_2', '--raw']);
    expect(show.exitCode, show.stderr).toBe(0);
    expect(JSON.parse(show.stdout.toString('utf8'))).toMatchObject({ id: 'evt_torn_2' });
  }, 120_000);

  it('a session killed with SIGKILL mid-burst has kept every delivery it answered 2xx', async () => {
    const project = tempProject();
    const { run, ready } = await startListen(project);
    const send = sender(ready, 8);
    const answered: string[] = [];
    let next = 0;
    const BURST = 2_000;
    const kill = waitFor(() => answered.length >= 150, { timeoutMs: 60_000, description: '150 deliveries answered' }).then(() => run.kill('SIGKILL'));
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < BURST) {
          const id = `evt_burst_${next++}`;
          const status = await send(eventBody(id, 'customer.created')).catch(() => 0);
          if (status >= 200 && status < 300) answered.push(id);
          if (status === 0) return;
        }
      }),
    );
    await kill;
    await run.exit();
    await waitFor(() => [...run.descendants].every((pid) => !isAlive(pid)), { timeoutMs: 15_000, description: 'the watchdog to stop the Stripe CLI' });
    expect(answered.length).toBeGreaterThanOrEqual(150);
    expect(answered.length, 'the kill came mid-burst').toBeLessThan(BURST);

    const listed = await webhookDev(project, ['events', '--json', '--limit', String(BURST)]);
    expect(listed.exitCode, listed.stderr).toBe(0);
    const kept = new Set(listed.records.filter((r) => r.type === 'delivery').map((r) => r.event.id));
    expect(answered.filter((id) => !kept.has(id))).toEqual([]);
  }, 180_000);

  it('events filters by type glob, failure, time, session and count; bad input gets a distinct exit code', async () => {
    const project = tempProject();
    const empty = await webhookDev(project, ['events']);
    expect(empty.exitCode).toBe(0);
    expect(empty.stderr).toContain('The journal is empty');

    const { run, ready } = await startListen(project);
    const send = sender(ready);
    expect(await send(eventBody('evt_inv_1', 'invoice.paid'))).toBe(200);
    expect(await send(eventBody('evt_inv_2', 'invoice.payment_failed'))).toBe(200);
    expect(await send(eventBody('evt_chg_1', 'charge.failed'))).toBe(500);
    expect(await send(eventBody('evt_cus_1', 'customer.created'))).toBe(200);
    await stop(run);
    const ids = async (...args: string[]) => {
      const result = await webhookDev(project, ['events', '--json', ...args]);
      expect(result.exitCode, result.stderr).toBe(0);
      return result.records.filter((r) => r.type === 'delivery').map((r) => r.event.id);
    };
    expect(await ids('--type', 'invoice.*')).toEqual(['evt_inv_2', 'evt_inv_1']);
    expect(await ids('--type', 'charge.failed,customer.*')).toEqual(['evt_cus_1', 'evt_chg_1']);
    expect(await ids('--failed')).toEqual(['evt_chg_1']);
    expect(await ids('--limit', '1')).toEqual(['evt_cus_1']);
    expect(await ids('--since', '1h')).toHaveLength(4);
    expect(await ids('--since', new Date(Date.now() + 3_600_000).toISOString())).toEqual([]);
    const session = (await webhookDev(project, ['events', '--json', '--limit', '1'])).records[0]!.session as string;
    expect(await ids('--session', session)).toHaveLength(4);
    expect(await ids('--session', '20000101-000000-1')).toEqual([]);

    const pretty = await webhookDev(project, ['events']);
    expect(pretty.stdout.toString('utf8').split('\n')[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}customer\.created +evt_cus_1 +verified {2}✓ ok/);

    const badGlob = await webhookDev(project, ['events', '--type', 'invoice.[paid]']);
    expect(badGlob.exitCode).toBe(2);
    expect(badGlob.stderr).toContain('--type takes event types or globs');
    const badSince = await webhookDev(project, ['events', '--since', 'last tuesday']);
    expect(badSince.exitCode).toBe(2);
    const unknown = await webhookDev(project, ['events', 'show', 'evt_never_seen']);
    expect(unknown.exitCode).toBe(31);
    expect(unknown.stderr).toContain('No delivery of evt_never_seen is in the journal');
  }, 120_000);
});
