/**
 * runStripeTrigger and listStripeTriggers with the real Stripe CLI against throwaway local servers:
 * an API that answers 404 (or 200) to everything, a closed port, and one that never answers.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StripeCliNotFoundError, TriggerFailedError } from '../../src/errors.js';
import { listStripeTriggers } from '../../src/stripe-cli/list-stripe-triggers.js';
import { KNOWN_TRIGGERS_VERSION, knownTriggers } from '../../src/stripe-cli/known-triggers.js';
import { runStripeTrigger } from '../../src/stripe-cli/run-stripe-trigger.js';
import { buildStripeCliEnv } from '../../src/stripe-cli/stripe-cli-env.js';
import { buildTriggerArgs } from '../../src/stripe-cli/trigger-args.js';
import type { StripeCliInfo } from '../../src/types.js';
import { stripeCliBinaryPath, stripeCliEnv } from '../helpers/stripe-cli-for-tests.js';
import { waitFor } from '../helpers/wait-for.js';
import { unusedPort } from '../helpers/unused-port.js';
import { isAlive, projectRoot } from '../helpers/run-cli.js';
import { listenLoopback } from '../helpers/listen-loopback.js';

const cli: StripeCliInfo = { path: stripeCliBinaryPath(), version: '1.52.0', source: 'package' };
const NOT_FOUND_MESSAGE = 'Unrecognized request URL (POST: /v1/payment_intents).';
const cleanups: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});


async function env(): Promise<Record<string, string>> {
  const configHome = await mkdtemp(path.join(tmpdir(), 'webhook-dev-trigger-'));
  cleanups.push(() => rm(configHome, { recursive: true, force: true }));
  // offline: the version check `stripe trigger` always makes fails at once through a dead proxy.
  return buildStripeCliEnv({ baseEnv: stripeCliEnv({ configHome, apiKey: 'sk_test_webhookdevoffline' }), offline: true });
}

interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A local "Stripe API"; `answer` decides each response, or leaves it hanging. */
async function startApi(answer: (request: SeenRequest, response: http.ServerResponse) => void): Promise<{ apiBase: string; seen: SeenRequest[] }> {
  const seen: SeenRequest[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const record = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body };
      seen.push(record);
      answer(record, response);
    });
  });
  const listening = await listenLoopback(server);
  cleanups.push(() => listening.close());
  return { apiBase: listening.origin, seen };
}

function answerJson(status: number, body: unknown): (request: SeenRequest, response: http.ServerResponse) => void {
  return (request, response) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(typeof body === 'function' ? (body as (r: SeenRequest) => unknown)(request) : body));
  };
}


describe('runStripeTrigger with the real Stripe CLI', () => {
  it('reports an API error (404) as a failed trigger, within a few seconds', async () => {
    const { apiBase } = await startApi(
      answerJson(404, (request: SeenRequest) => ({
        error: { type: 'invalid_request_error', message: `Unrecognized request URL (${request.method}: ${request.url}).` },
      })),
    );
    const run = await runStripeTrigger({ cli, args: buildTriggerArgs({ event: 'payment_intent.succeeded', apiBase }), env: await env() });
    expect(run).toMatchObject({ ok: false, exitCode: 1, timedOut: false, aborted: false });
    expect(run.durationMs).toBeLessThan(5_000);
    expect(run.stderr).toMatch(/^Trigger failed: Request failed, status=404, body=\{/);
    expect(run.parsed.fixtureSteps).toEqual(['payment_intent']);
    expect(run.parsed.ok ? undefined : run.parsed.failure).toMatchObject({
      kind: 'http',
      status: 404,
      step: 'payment_intent',
      stripeMessage: NOT_FOUND_MESSAGE,
      body: { error: { type: 'invalid_request_error', message: NOT_FOUND_MESSAGE } },
    });
  });

  it('reports a closed port as a network failure', async () => {
    const apiBase = `http://127.0.0.1:${await unusedPort()}`;
    const run = await runStripeTrigger({ cli, args: buildTriggerArgs({ event: 'customer.created', apiBase }), env: await env() });
    expect(run).toMatchObject({ ok: false, exitCode: 1 });
    expect(run.durationMs).toBeLessThan(5_000);
    const failure = run.parsed.ok ? undefined : run.parsed.failure;
    expect(failure?.kind).toBe('network');
    expect(failure?.message).toContain('connection refused');
    expect(failure?.message).toContain(`Post "${apiBase}/v1/customers"`);
  });

  it('succeeds against an API that accepts every request, and passes the flags through', async () => {
    const { apiBase, seen } = await startApi(answerJson(200, { id: 'obj_123', object: 'thing' }));
    const args = buildTriggerArgs({
      event: 'checkout.session.completed',
      apiBase,
      overrides: ['product:name=-dash first'],
      adds: ['product:metadata.source=webhook-dev'],
      stripeAccount: 'acct_123',
      apiVersion: '2024-06-20',
    });
    const run = await runStripeTrigger({ cli, args, env: await env() });
    expect(run).toMatchObject({ ok: true, exitCode: 0, stderr: '' });
    expect(run.stdout).toContain('Trigger succeeded! Check dashboard for event details.');
    expect(run.parsed).toEqual({
      ok: true,
      fixtureSteps: ['product', 'price', 'checkout_session', 'payment_page', 'payment_method', 'payment_page_confirm'],
      skippedSteps: [],
    });
    const product = seen.find((request) => request.url === '/v1/products');
    expect(new URLSearchParams(product?.body).get('name')).toBe('-dash first');
    expect(new URLSearchParams(product?.body).get('metadata[source]')).toBe('webhook-dev');
    expect(product?.headers['stripe-account']).toBe('acct_123');
    expect(product?.headers['stripe-version']).toBe('2024-06-20');
    // The key came from the environment, not argv.
    expect(product?.headers.authorization).toBe('Bearer sk_test_webhookdevoffline');
    expect(args.join(' ')).not.toContain('sk_test');
  });

  it('reports an unknown trigger name without making any request', async () => {
    const { apiBase, seen } = await startApi(answerJson(200, {}));
    const run = await runStripeTrigger({ cli, args: buildTriggerArgs({ event: 'not_a.real_event', apiBase }), env: await env() });
    expect(run).toMatchObject({ ok: false, exitCode: 1 });
    expect(run.parsed.ok ? undefined : run.parsed.failure.kind).toBe('unsupported-event');
    expect(seen).toEqual([]);
  });

  it('stops the CLI when aborted, and leaves no process behind', async () => {
    const { apiBase, seen } = await startApi(() => {
      // Never answers: the CLI waits on its request until it is stopped.
    });
    const controller = new AbortController();
    let pid: number | undefined;
    const running = runStripeTrigger({
      cli,
      args: buildTriggerArgs({ event: 'customer.created', apiBase }),
      env: await env(),
      signal: controller.signal,
      onSpawn: (spawned) => (pid = spawned),
    });
    await waitFor(() => seen.length > 0, { description: 'the CLI to make its request' });
    expect(pid !== undefined && isAlive(pid)).toBe(true);
    controller.abort();
    const run = await running;
    expect(run).toMatchObject({ ok: false, aborted: true, timedOut: false, exitCode: undefined, signal: 'SIGTERM' });
    expect(run.parsed.fixtureSteps).toEqual(['customer']);
    expect(isAlive(pid!)).toBe(false);
  });

  it('stops the CLI after timeoutMs and says it timed out', async () => {
    const { apiBase } = await startApi(() => {});
    let pid: number | undefined;
    const run = await runStripeTrigger({
      cli,
      args: buildTriggerArgs({ event: 'customer.created', apiBase }),
      env: await env(),
      timeoutMs: 500,
      onSpawn: (spawned) => (pid = spawned),
    });
    expect(run).toMatchObject({ ok: false, timedOut: true, aborted: false, exitCode: undefined });
    expect(run.durationMs).toBeGreaterThanOrEqual(450);
    expect(run.durationMs).toBeLessThan(5_000);
    expect(isAlive(pid!)).toBe(false);
  });

  it('a CLI deaf to SIGTERM is killed graceMs after the timeout', async () => {
    const deaf: StripeCliInfo = { path: path.join(projectRoot, 'test/fixtures/fake-stripe/stripe-ignores-sigterm'), version: '9.9.9', source: 'flag' };
    let pid: number | undefined;
    const run = await runStripeTrigger({
      cli: deaf,
      args: ['trigger', 'customer.created'],
      env: await env(),
      timeoutMs: 500,
      graceMs: 300,
      onSpawn: (spawned) => (pid = spawned),
    });
    expect(run).toMatchObject({ ok: false, timedOut: true, aborted: false, exitCode: undefined, signal: 'SIGKILL' });
    expect(run.stderr).toContain('fake: ignoring SIGTERM');
    expect(run.durationMs).toBeGreaterThanOrEqual(750);
    expect(isAlive(pid!)).toBe(false);
  });

  it('does not start the CLI when the signal is already aborted', async () => {
    let spawned = false;
    const run = await runStripeTrigger({
      cli,
      args: buildTriggerArgs({ event: 'customer.created' }),
      env: await env(),
      signal: AbortSignal.abort(),
      onSpawn: () => (spawned = true),
    });
    expect(run).toMatchObject({ ok: false, aborted: true, exitCode: undefined });
    expect(spawned).toBe(false);
  });

  it('rejects only when the binary cannot be run at all', async () => {
    const missing: StripeCliInfo = { path: path.join(tmpdir(), 'webhook-dev-no-such-stripe'), version: '1.52.0', source: 'flag' };
    await expect(runStripeTrigger({ cli: missing, args: ['trigger', 'customer.created'], env: await env() })).rejects.toThrow(StripeCliNotFoundError);
  });
});

describe('listStripeTriggers', () => {
  it('lists the triggers the real CLI supports', async () => {
    const names = await listStripeTriggers({ cli, env: await env() });
    expect(names).toContain('payment_intent.succeeded');
    expect(names).toContain('customer.created');
    expect(names.length).toBeGreaterThan(50);
    // webhook-dev checks names against its own copy of the bundled CLI's list, so that it need not
    // ask the CLI: upgrading @stripe/cli fails here until src/stripe-cli/known-triggers.ts follows.
    expect(JSON.parse(readFileSync(path.join(projectRoot, 'node_modules/@stripe/cli/package.json'), 'utf8')).version).toBe(KNOWN_TRIGGERS_VERSION);
    expect(names).toEqual(knownTriggers);
  });

  it('fails with TriggerFailedError when the binary prints no list', async () => {
    const notStripe: StripeCliInfo = { path: '/bin/echo', version: '1.52.0', source: 'flag' };
    await expect(listStripeTriggers({ cli: notStripe, env: await env() })).rejects.toThrow(TriggerFailedError);
  });
});
