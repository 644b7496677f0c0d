/**
 * One real `webhook-dev listen --offline --json` (the built binary, the real Stripe CLI) under the
 * attacks of issue 9, with a control subscriber attached: the emulator refuses a web page and a
 * DNS-rebinding page, the Stripe CLI gets its key in its environment and never in argv, a validly
 * signed event nested 100,000 levels deep is answered, recorded and streamed (degraded) without
 * taking the session down, two Stripe-Signature lines are refused, and the session then still
 * works and ends cleanly with its summary, no secret printed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { followSessionEvents } from '../../src/control/follow-session-events.js';
import { parseSessionFile } from '../../src/control/parse-session-file.js';
import { signPayload } from '../../src/signature/sign-payload.js';
import { jsonPost, sessionCredentials } from '../helpers/emulator-auth.js';
import { sendRequest } from '../helpers/raw-http.js';
import { killAllRuns, listDescendants, runCli } from '../helpers/run-cli.js';

const DEPTH = 100_000;
const cleanups: Array<() => void> = [];
afterEach(async () => {
  await killAllRuns();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function commandLine(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
}

function environment(pid: number): Map<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  return new Map(entries.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]));
}

it('holds against hostile local clients and a 100,000-level event, and still ends cleanly', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'webhook-dev-hardening-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'package.json'), '{"name":"shop","type":"module"}\n');
  const run = runCli(['listen', '--offline', '--json', '--port', '0', '--events', 'customer.created'], { cwd: dir });
  const ready = await run.waitForRecord((r) => r.type === 'ready', 25_000, 'the ready record');
  const credentials = sessionCredentials(ready);
  const apiBase = ready.apiBase as string;

  // A control subscriber, as an attached `trigger` or an inspector would be.
  const session = parseSessionFile(readFileSync(join(dir, '.webhook-dev', 'sessions', `${run.pid}.json`), 'utf8'))!;
  const streamed: Array<{ type: string; record?: { event?: { id?: string }; status?: number } }> = [];
  const follower = await followSessionEvents({ controlUrl: session.controlUrl, token: session.token, onRecord: (record) => streamed.push(record as never) });
  cleanups.push(() => follower.close());

  // The Stripe CLI has the session's key in its environment, and no key or secret in argv.
  const stripe = listDescendants(run.pid).find((pid) => commandLine(pid).includes('listen') && commandLine(pid).some((arg) => arg.includes('stripe')));
  expect(stripe, 'the Stripe CLI child').toBeDefined();
  expect(commandLine(stripe!).join(' ')).not.toMatch(/sk_(test|live)_|whsec_/);
  expect(environment(stripe!).get('STRIPE_API_KEY')).toMatch(/^sk_test_offline[A-Za-z0-9]{32}$/);
  expect(ready.offlineApiKey).toMatch(/^sk_test_…[A-Za-z0-9]{4}$/);

  // A web page's simple POST, and a DNS-rebinding page asking for the secret: refused, nothing sent.
  const page = await sendRequest(ready.publishUrl, { headers: { 'content-type': 'text/plain', origin: 'https://evil.example' }, body: '{"type":"customer.created"}' });
  expect(page.status).toBe(403);
  const rebinding = await sendRequest(`${apiBase}/v1/stripecli/sessions`, { headers: { host: 'evil.example', authorization: 'Bearer sk_test_anything_goes_1', 'content-type': 'application/x-www-form-urlencoded' }, body: 'device_name=x' });
  expect(rebinding.status).toBe(403);
  expect(rebinding.body).not.toContain('whsec_');

  // The session's own client (its token) may ask for the signing secret, and signs a deep event.
  const created = (await (await fetch(`${apiBase}/v1/stripecli/sessions`, { method: 'POST', headers: { authorization: `Bearer ${credentials.apiKey}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'device_name=hardening' })).json()) as { secret: string };
  const deep = `{"id":"evt_deep","object":"event","type":"customer.created","created":1,"livemode":false,"data":{"object":{"id":"cus_deep","nested":${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}}}}`;
  const answered = await fetch(ready.receiverUrl, { method: 'POST', body: deep, headers: { 'content-type': 'application/json', 'stripe-signature': signPayload(deep, { secret: created.secret }) } });
  expect(answered.status).toBe(200);
  expect(await run.waitForRecord((r) => r.type === 'event' && r.event?.id === 'evt_deep', 10_000, 'the deep event record')).toMatchObject({ verified: true, status: 200 });
  await expect.poll(() => streamed.find((record) => record.type === 'delivery' && record.record?.event?.id === 'evt_deep'), { timeout: 10_000 }).toBeDefined();
  expect(JSON.stringify(streamed.find((record) => record.record?.event?.id === 'evt_deep'))).toContain('[Too deep]');

  // Two Stripe-Signature lines (garbage, then valid): refused, not joined.
  const twice = await sendRequest(ready.receiverUrl, { headers: { 'content-type': 'application/json', 'stripe-signature': ['garbage', signPayload(deep, { secret: created.secret })] }, body: deep });
  expect(twice.status).toBe(400);
  expect(await run.waitForRecord((r) => r.type === 'event' && r.rejection?.reason === 'malformed_header', 10_000, 'the refusal')).toMatchObject({ status: 400 });

  // The session lives on: a publish with its credentials is delivered, to --json and the stream.
  const published = (await (await fetch(ready.publishUrl, jsonPost(credentials, { type: 'customer.created' }))).json()) as { id: string };
  await run.waitForRecord((r) => r.type === 'event' && r.event?.id === published.id && r.status === 200, 15_000, 'the published event');
  await expect.poll(() => streamed.some((record) => record.record?.event?.id === published.id), { timeout: 10_000 }).toBe(true);

  run.kill('SIGINT');
  expect((await run.exit()).exitCode).toBe(130);
  expect(run.records.at(-1)).toMatchObject({ type: 'summary', events: 3, ok: 2, rejected: 1, exitCode: 130 });
  expect(run.records.filter((r) => r.type === 'event')).toHaveLength(3);
  expect(run.stdout() + run.stderr()).not.toMatch(/sk_test_offline[A-Za-z0-9]{8}|whsec_[A-Za-z0-9]{8}/);
}, 60_000);
