/**
 * `webhook-dev replay`, end to end through the built binary: a real `listen --offline` session (the
 * real Stripe CLI against the emulator) journals events, then they are replayed through it
 * (attached), to a handler of its own, and to the Stripe docs' Express sample, signed afresh.
 */
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signPayload } from '../../src/signature/sign-payload.js';
import { startExpressApp } from '../fixtures/apps/express-app.mjs';
import { jsonPost, sessionCredentials } from '../helpers/emulator-auth.js';
import { binPath, isAlive, killAllRuns, projectRoot, runCli, type CliRun, type JsonRecord } from '../helpers/run-cli.js';
import { waitFor } from '../helpers/wait-for.js';

const UNMASKED_SECRET = /whsec_[A-Za-z0-9]{10,}|sk_test_[A-Za-z0-9]{10,}/;
const appSecret = 'whsec_e2eReplaySecret0123456789abcdefABCD';
const editor = `"${process.execPath}" "${join(projectRoot, 'test/fixtures/e2e/edit-payload.mjs')}"`;

// Every call is written to calls.log, so a test can count how often the handler ran on an event.
const HANDLER = `import { appendFileSync } from 'node:fs';
const called = (event, ctx) => appendFileSync(new URL('./calls.log', import.meta.url), event.id + ' ' + ctx.attempt + '\\n');
export default {
  'customer.created': (event, ctx) => { called(event, ctx); return { id: event.data.object.id, attempt: ctx.attempt }; },
  'charge.failed': (event, ctx) => { called(event, ctx); throw new Error('card declined on purpose'); },
  '*': (event, ctx) => { called(event, ctx); return 'seen'; },
};
`;

const temps: string[] = [];
afterAll(async () => {
  await killAllRuns();
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

function tempProject(): string {
  const dir = tempDir('webhook-dev-replay-');
  writeFileSync(join(dir, 'package.json'), '{"name":"shop","type":"module"}\n');
  writeFileSync(join(dir, 'webhooks.mjs'), HANDLER);
  return dir;
}

/** `webhook-dev <args> --json` to the end, with its records; nothing it prints may hold a secret. */
async function webhookDev(cwd: string, args: string[], env: Record<string, string> = {}) {
  const result = await execa(process.execPath, [binPath, ...args, '--json'], { cwd, reject: false, env: { NO_COLOR: '1', ...env }, timeout: 60_000 });
  const stdout = String(result.stdout);
  const stderr = String(result.stderr);
  expect(stdout + stderr).not.toMatch(UNMASKED_SECRET);
  const records = stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as JsonRecord);
  return {
    exitCode: result.exitCode,
    stdout,
    stderr,
    records,
    replays: records.filter((r) => r.type === 'replay'),
    summary: records.find((r) => r.type === 'replay-summary'),
    error: records.find((r) => r.type === 'error'),
    notices: records.filter((r) => r.type === 'notice'),
  };
}

const calls = (project: string, eventId: string): number[] =>
  existsSync(join(project, 'calls.log'))
    ? readFileSync(join(project, 'calls.log'), 'utf8')
        .split('\n')
        .filter((line) => line.startsWith(`${eventId} `))
        .map((line) => Number(line.split(' ')[1]))
    : [];

const sources = async (project: string, eventId: string): Promise<string[]> => {
  const shown = await webhookDev(project, ['events', 'show', eventId]);
  expect(shown.exitCode).toBe(0);
  return (shown.records[0]!.deliveries as Array<{ source: string }>).map((delivery) => delivery.source);
};

describe('webhook-dev replay of what a real session journaled', () => {
  const project = tempProject();
  let listen: CliRun;
  let ready: JsonRecord;
  const ids: Record<'created' | 'failed' | 'redacted' | 'latest', string> = { created: '', failed: '', redacted: '', latest: '' };

  async function publish(type: string): Promise<string> {
    const response = await fetch(ready.publishUrl, jsonPost(sessionCredentials(ready), { type }));
    const { id } = (await response.json()) as { id: string };
    await listen.waitForRecord((r) => r.type === 'event' && r.event?.id === id, 20_000, `${type} at the session`);
    return id;
  }

  let stopped = false;
  async function stopListen(): Promise<void> {
    if (stopped) return;
    stopped = true;
    listen.kill('SIGINT');
    await listen.exit();
    await waitFor(() => [...listen.descendants].every((pid) => !isAlive(pid)), { timeoutMs: 15_000, description: 'every child of listen to be gone' });
  }

  beforeAll(async () => {
    listen = runCli(['listen', '--offline', '--handler', 'webhooks.mjs', '--port', '0', '--json', '--show-secret'], { cwd: project });
    ready = await listen.waitForRecord((r) => r.type === 'ready', 60_000, 'the ready record');
    ids.created = await publish('customer.created');
    ids.failed = await publish('charge.failed');
    // A body with a secret in it: the journal keeps it masked, and marks it redacted.
    ids.redacted = 'evt_replayRedacted0001';
    const body = `{"id":"${ids.redacted}","object":"event","type":"customer.updated","created":${Math.floor(Date.now() / 1000)},"livemode":false,"data":{"object":{"id":"cus_r","metadata":{"key":"sk_test_${'a'.repeat(24)}"}}}}`;
    const response = await fetch(ready.receiverUrl, { method: 'POST', body, headers: { 'content-type': 'application/json', 'stripe-signature': signPayload(body, { secret: ready.secret as string }) } });
    expect(response.status).toBe(200);
    await listen.waitForRecord((r) => r.type === 'event' && r.event?.id === ids.redacted, 20_000, 'the redacted event at the session');
    ids.latest = await publish('customer.created');
  }, 120_000);

  afterAll(async () => {
    await stopListen();
  });

  describe('attached to the running listen', () => {
    it('re-delivers the journaled bytes through the session, which handles, shows and journals it as a replay', async () => {
      const { exitCode, replays, summary } = await webhookDev(project, ['replay', ids.created]);
      expect(exitCode).toBe(0);
      expect(replays).toHaveLength(1);
      expect(replays[0]).toMatchObject({ schema: 1, eventId: ids.created, copy: 1, times: 1, target: 'session', url: ready.receiverUrl, from: 'journal', outcome: 'passed', verdict: 'passed', exitCode: 0, status: 200, redacted: false, edited: false });
      // A fresh signature the session verified, and its second delivery of the event.
      expect(replays[0]!.delivery).toMatchObject({ verified: true, outcome: 'ok', attempt: 2, value: { attempt: 2 } });
      expect(summary).toMatchObject({ events: 1, deliveries: 1, passed: 1, failed: 0, verdict: 'passed', exitCode: 0 });
      expect(calls(project, ids.created)).toEqual([1, 2]);
      await listen.waitForRecord((r) => r.type === 'event' && r.event?.id === ids.created && r.attempt === 2, 10_000, 'the replay in the session');
      expect(await sources(project, ids.created)).toEqual(['stripe-cli', 'replay']);
      // The same bytes the Stripe CLI delivered, re-signed.
      const raw = await execa(process.execPath, [binPath, 'events', 'show', ids.created, '--raw'], { cwd: project, encoding: 'buffer' });
      const journaled = readdirSync(join(project, '.webhook-dev', 'journal')).map((name) => readFileSync(join(project, '.webhook-dev', 'journal', name), 'utf8')).join('');
      expect(journaled).not.toMatch(/webhook-dev-origin":"(send|replay) /);
      expect(JSON.parse(Buffer.from(raw.stdout as Uint8Array).toString('utf8')).id).toBe(ids.created);
    });

    it('a delivery webhook-dev send makes through the session is journaled as sent', async () => {
      const { exitCode, records } = await webhookDev(project, ['send', 'payment_intent.succeeded']);
      expect(exitCode).toBe(0);
      const sent = records.find((r) => r.type === 'send')!;
      expect(await sources(project, sent.event.id)).toEqual(['send']);
    });

    it('--last N replays the N newest events, in the order they arrived', async () => {
      const before = calls(project, ids.latest).length;
      const { exitCode, replays } = await webhookDev(project, ['replay', '--last', '2', '--type', 'customer.*']);
      expect(exitCode).toBe(0);
      // customer.created only: the replay above made ids.created the newest, ids.latest is next.
      expect(replays.map((r) => r.eventId)).toEqual([ids.latest, ids.created]);
      expect(calls(project, ids.latest)).toHaveLength(before + 1);
    });

    it('--times 3 delivers the event three times, each shown, with a JUnit case each', async () => {
      const junit = join(tempDir('webhook-dev-replay-junit-'), 'replay.xml');
      const before = calls(project, ids.latest);
      const { exitCode, replays, summary } = await webhookDev(project, ['replay', ids.latest, '--times', '3', '--junit', junit]);
      expect(exitCode).toBe(0);
      expect(replays.map((r) => [r.copy, r.times, r.delivery.attempt])).toEqual([1, 2, 3].map((copy) => [copy, 3, before.length + copy]));
      expect(calls(project, ids.latest)).toEqual([...before, before.length + 1, before.length + 2, before.length + 3]);
      expect(summary).toMatchObject({ events: 1, deliveries: 3, passed: 3, exitCode: 0 });
      const xml = readFileSync(junit, 'utf8');
      expect(xml).toContain('<testsuite name="webhook-dev replay" tests="3" failures="0"');
      expect(xml.match(/<testcase classname="webhook-dev.replay"/g)).toHaveLength(3);
      expect(xml).toContain(`customer.created ${ids.latest} (3/3)`);
    });

    it('--failed replays the events whose last delivery failed; the handler fails again: exit 20, a JUnit failure', async () => {
      const junit = join(tempDir('webhook-dev-replay-junit-'), 'failed.xml');
      const { exitCode, replays, summary } = await webhookDev(project, ['replay', '--failed', '--since', '1h', '--junit', junit]);
      expect(exitCode).toBe(20);
      expect(replays.map((r) => r.eventId)).toEqual([ids.failed]);
      expect(replays[0]).toMatchObject({ outcome: 'failed', verdict: 'handler-failed', exitCode: 20, status: 500, delivery: { outcome: 'error', error: { message: 'card declined on purpose' } } });
      expect(summary).toMatchObject({ deliveries: 1, failed: 1, verdict: 'handler-failed', exitCode: 20 });
      expect(readFileSync(junit, 'utf8')).toMatch(/<failure type="handler-failed" message="charge.failed handler threw Error: card declined on purpose"/);
      expect(await sources(project, ids.failed)).toEqual(['stripe-cli', 'replay']);
    });

    it('a journaled body the journal masked is replayed with a warning that it is not the original bytes', async () => {
      const { exitCode, replays, notices } = await webhookDev(project, ['replay', ids.redacted]);
      expect(exitCode).toBe(0);
      expect(replays[0]).toMatchObject({ redacted: true, outcome: 'passed' });
      expect(notices.map((n) => n.message).join('\n')).toMatch(/masked .*not the original bytes/);
    });

    it('an unknown event id exits 31 and points at webhook-dev events; so does a --last that matches nothing', async () => {
      const unknown = await webhookDev(project, ['replay', 'evt_doesNotExist123']);
      expect(unknown.exitCode).toBe(31);
      expect(unknown.error).toMatchObject({ code: 'EVENT_NOT_FOUND' });
      expect(unknown.error!.hint).toContain('webhook-dev events');
      expect(unknown.replays).toEqual([]);
      const nothing = await webhookDev(project, ['replay', '--last', '--type', 'invoice.*']);
      expect(nothing.exitCode).toBe(31);
      expect(nothing.error!.message).toContain('of type invoice.*');
    });

    it('pretty output: a start line and the verdict on stderr, the delivery block on stdout, the tally last', async () => {
      const result = await execa(process.execPath, [binPath, 'replay', ids.latest], { cwd: project, reject: false, env: { NO_COLOR: '1' } });
      expect(result.exitCode).toBe(0);
      expect(String(result.stdout)).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d  customer\\.created  ${ids.latest}  attempt \\d+  replayed`));
      const stderr = String(result.stderr).split('\n');
      expect(stderr[0]).toBe(`▶ replay customer.created ${ids.latest} to the running session at ${ready.receiverUrl}`);
      expect(stderr[1]).toBe('✓ replay passed: the session accepted it: 200, handled');
      expect(stderr[2]).toBe('✓ replay: 1 delivery of 1 event, handled');
      expect(String(result.stdout) + String(result.stderr)).not.toMatch(UNMASKED_SECRET);
    });

    it('--standalone --handler leaves the session alone: the handler of its own gets the delivery as a first attempt', async () => {
      const journalBefore = (await sources(project, ids.created)).length;
      const { exitCode, replays } = await webhookDev(project, ['replay', ids.created, '--standalone', '--handler', 'webhooks.mjs']);
      expect(exitCode).toBe(0);
      expect(replays[0]).toMatchObject({ target: 'handler', url: 'webhooks.mjs', delivery: { attempt: 1, verified: true, value: { attempt: 1 } } });
      expect(await sources(project, ids.created)).toHaveLength(journalBefore);
    });
  });

  describe('standalone, with no listen running', () => {
    beforeAll(stopListen, 30_000);

    it('--attach exits 24 when no session runs, and so does a replay with no target', async () => {
      const attached = await webhookDev(project, ['replay', ids.created, '--attach']);
      expect(attached.exitCode).toBe(24);
      const bare = await webhookDev(project, ['replay', ids.created]);
      expect(bare.exitCode).toBe(24);
      expect(bare.error!.hint).toContain('--handler');
    });

    it("with no target, runs the project config's handler, and says so (--attach still refuses)", async () => {
      const config = join(project, 'webhook-dev.config.json');
      writeFileSync(config, JSON.stringify({ handler: 'webhooks.mjs' }));
      try {
        const before = calls(project, ids.created).length;
        const { exitCode, replays, records } = await webhookDev(project, ['replay', ids.created]);
        expect(exitCode).toBe(0);
        expect(replays.map((r) => r.delivery.outcome)).toEqual(['ok']);
        expect(calls(project, ids.created)).toHaveLength(before + 1);
        expect(records.find((r) => r.type === 'notice')?.message).toMatch(/replaying to the handler of webhook-dev\.config\.json \(webhooks\.mjs\)/);
        expect((await webhookDev(project, ['replay', ids.created, '--attach'])).exitCode).toBe(24);
      } finally {
        rmSync(config);
      }
    });

    it('--handler runs the handler in a session of its own, each copy a further attempt', async () => {
      const before = calls(project, ids.created).length;
      const { exitCode, replays } = await webhookDev(project, ['replay', ids.created, '--handler', 'webhooks.mjs', '--times', '2']);
      expect(exitCode).toBe(0);
      expect(replays.map((r) => r.delivery.attempt)).toEqual([1, 2]);
      expect(calls(project, ids.created)).toHaveLength(before + 2);
    });

    it("--forward-to: the Stripe docs' Express sample verifies the fresh signature on the journaled bytes", async () => {
      const app = await startExpressApp({ secret: appSecret, mode: 'raw' });
      try {
        const { exitCode, replays } = await webhookDev(project, ['replay', ids.created, ids.failed, '--forward-to', app.url], { STRIPE_WEBHOOK_SECRET: appSecret });
        expect(exitCode).toBe(0);
        expect(replays.map((r) => [r.eventId, r.target, r.outcome, r.status])).toEqual([
          [ids.created, 'app', 'passed', 200],
          [ids.failed, 'app', 'passed', 200],
        ]);
        const raw = await execa(process.execPath, [binPath, 'events', 'show', ids.created, '--raw'], { cwd: project, encoding: 'buffer' });
        expect(app.received[0]!.body!.equals(Buffer.from(raw.stdout as Uint8Array))).toBe(true);
        const timestamp = Number(/t=(\d+)/.exec(String(app.received[0]!.headers['stripe-signature']))![1]);
        expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(120);
        // Signed with another secret, the app refuses it: a handler failure, as trigger counts it.
        const refused = await webhookDev(project, ['replay', ids.created, '--forward-to', app.url], { STRIPE_WEBHOOK_SECRET: 'whsec_anotherSecret0123456789abcdefABCDEF' });
        expect(refused.exitCode).toBe(20);
        expect(refused.replays[0]).toMatchObject({ outcome: 'failed', status: 400 });
      } finally {
        await app.close();
      }
    });

    it('--edit sends what the editor saved, from a private 0600 file that is gone afterwards', async () => {
      const report = join(tempDir('webhook-dev-replay-edit-'), 'report.ndjson');
      const { exitCode, replays } = await webhookDev(project, ['replay', ids.created, '--edit', '--handler', 'webhooks.mjs'], { EDITOR: editor, EDIT_MODE: 'set-id', EDIT_REPORT: report });
      expect(exitCode).toBe(0);
      expect(replays[0]).toMatchObject({ edited: true, delivery: { value: { id: 'cus_edited' } } });
      const seen = JSON.parse(readFileSync(report, 'utf8').trim()) as { file: string; mode: number; before: string };
      expect(seen.mode).toBe(0o600);
      expect(JSON.parse(seen.before).id).toBe(ids.created);
      expect(existsSync(seen.file)).toBe(false);
      expect(existsSync(join(seen.file, '..'))).toBe(false);
    });

    it('--edit: an unchanged file is sent as it is; invalid JSON exits 30, says what to do, and sends nothing', async () => {
      const report = join(tempDir('webhook-dev-replay-edit-'), 'report.ndjson');
      const kept = await webhookDev(project, ['replay', ids.created, '--edit', '--handler', 'webhooks.mjs'], { VISUAL: editor, EDIT_MODE: 'keep', EDIT_REPORT: report });
      expect(kept.exitCode).toBe(0);
      expect(kept.replays[0]).toMatchObject({ edited: false, delivery: { value: { id: expect.not.stringMatching('cus_edited') } } });
      const before = calls(project, ids.created).length;
      const broken = await webhookDev(project, ['replay', ids.created, '--edit', '--handler', 'webhooks.mjs'], { EDITOR: editor, EDIT_MODE: 'invalid', EDIT_REPORT: report });
      expect(broken.exitCode).toBe(30);
      expect(broken.error).toMatchObject({ code: 'PAYLOAD_INVALID' });
      expect(broken.error!.message).toMatch(/not valid JSON.*Nothing was sent/);
      expect(broken.error!.hint).toContain('--edit');
      expect(broken.replays).toEqual([]);
      expect(calls(project, ids.created)).toHaveLength(before);
      const files = readFileSync(report, 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { file: string }).file);
      for (const file of files) expect(existsSync(join(file, '..'))).toBe(false);
    });

    it('--edit: stopped with SIGTERM while the editor is open, it stops the editor, removes the file and exits 143', async () => {
      const report = join(tempDir('webhook-dev-replay-edit-'), 'report.ndjson');
      const run = runCli(['replay', ids.created, '--edit', '--handler', 'webhooks.mjs', '--json'], { cwd: project, env: { EDITOR: editor, EDIT_MODE: 'wait', EDIT_REPORT: report } });
      const seen = await waitFor(() => (existsSync(report) ? (JSON.parse(readFileSync(report, 'utf8').trim()) as { file: string; pid: number }) : undefined), { timeoutMs: 20_000, description: 'the editor to open the payload' });
      expect(existsSync(seen.file)).toBe(true);
      run.kill('SIGTERM');
      expect((await run.exit()).exitCode).toBe(143);
      expect(existsSync(join(seen.file, '..'))).toBe(false);
      await waitFor(() => !isAlive(seen.pid), { timeoutMs: 10_000, description: 'the editor to be stopped' });
      expect(run.records.filter((r) => r.type === 'replay')).toEqual([]);
    });
  });
});

describe('webhook-dev replay on an empty journal', () => {
  it('says there is nothing to replay, with exit 31', async () => {
    const { exitCode, error } = await webhookDev(tempProject(), ['replay', '--failed']);
    expect(exitCode).toBe(31);
    expect(error!.message).toContain('The journal is empty');
  });
});
