import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { HandlerLoadError } from '../../src/errors.js';
import { createJsonReporter } from '../../src/render/json-reporter.js';
import type { DeliveryRecord, HandlerResult, ReadyInfo } from '../../src/types.js';

const SECRET = 'whsec_0123456789abcdefghijklmnopqrstuva1b2';

function collector(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return { stream, text: () => chunks.join('') };
}

function setup() {
  const stdout = collector();
  const stderr = collector();
  const reporter = createJsonReporter({ stdout: stdout.stream, stderr: stderr.stream });
  const records = (): Array<Record<string, unknown>> => {
    const text = stdout.text();
    expect(text.endsWith('\n') || text === '').toBe(true);
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  };
  return { reporter, records, stdout, stderr };
}

function sampleInfo(overrides: Partial<ReadyInfo> = {}): ReadyInfo {
  return {
    receiverUrl: 'http://127.0.0.1:54321/webhooks',
    stripeCli: { path: '/opt/stripe', version: '1.52.0', source: 'package' },
    events: ['charge.failed'],
    eventsSource: 'flag',
    secret: SECRET,
    showSecret: false,
    offline: false,
    ...overrides,
  };
}

function sampleRecord(handler?: Partial<HandlerResult>, overrides: Partial<DeliveryRecord> = {}): DeliveryRecord {
  return {
    receivedAt: new Date('2024-05-06T13:04:05.678Z'),
    status: 200,
    verified: true,
    event: {
      id: 'evt_1',
      object: 'event',
      type: 'charge.failed',
      created: 1_700_000_000,
      livemode: false,
      account: 'acct_7',
      data: { object: { id: 'ch_1', object: 'charge' } },
    },
    attempt: 1,
    durationMs: 15,
    ...(handler === undefined ? {} : { handler: { outcome: { status: 'ok', value: undefined }, durationMs: 12, logs: [], ...handler } }),
    ...overrides,
  };
}

describe('the record contract', () => {
  it('every line starts with its type and schema version', () => {
    const { reporter, stdout } = setup();
    reporter.notice('hello');
    reporter.summary({ events: 0, ok: 0, failed: 0, rejected: 0, durationMs: 1, exitCode: 0, reason: 'closed' });
    for (const line of stdout.text().trim().split('\n')) expect(line).toMatch(/^\{"type":"\w+","schema":1,/);
  });
});

describe('createJsonReporter', () => {
  it('starting and close write nothing', () => {
    const { reporter, stdout, stderr } = setup();
    reporter.starting('Starting the Stripe CLI');
    reporter.close();
    reporter.close();
    expect(stdout.text()).toBe('');
    expect(stderr.text()).toBe('');
  });

  it('ready: exact keys, secret masked', () => {
    const { reporter, records } = setup();
    reporter.ready(sampleInfo());
    expect(records()).toEqual([
      {
        type: 'ready',
        schema: 1,
        receiverUrl: 'http://127.0.0.1:54321/webhooks',
        secret: 'whsec_…a1b2',
        stripeCli: { path: '/opt/stripe', version: '1.52.0', source: 'package' },
        apiVersion: null,
        events: ['charge.failed'],
        eventsSource: 'flag',
        handler: null,
        offline: false,
        apiBase: null,
        publishUrl: null,
        offlineApiKey: null,
        publishCurlConfig: null,
        forwardTo: null,
        journal: null,
        quirks: null,
      },
    ]);
  });

  it('ready: where the journal is, and the session id its records carry', () => {
    const { reporter, records } = setup();
    reporter.ready(sampleInfo({ journal: { dir: '/p/.webhook-dev/journal', session: '20261130-194201-4821' } }));
    expect(records()[0]?.journal).toEqual({ dir: '/p/.webhook-dev/journal', session: '20261130-194201-4821' });
  });

  it('ready: the offline key is masked like the secret unless showSecret', () => {
    const key = 'sk_test_offlineABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
    const { reporter, records } = setup();
    reporter.ready(sampleInfo({ offline: true, offlineApiKey: key, publishUrl: 'http://127.0.0.1:9/_webhook-dev/events', publishCurlConfig: '/p/.webhook-dev/sessions/1.curl' }));
    reporter.ready(sampleInfo({ offline: true, offlineApiKey: key, showSecret: true }));
    expect(records().map((record) => [record.offlineApiKey, record.publishCurlConfig])).toEqual([
      ['sk_test_…2345', '/p/.webhook-dev/sessions/1.curl'],
      [key, null],
    ]);
  });

  it('ready: showSecret shows it; all-snapshot, offline and handler come through', () => {
    const { reporter, records } = setup();
    reporter.ready(sampleInfo({ showSecret: true, events: 'all-snapshot', eventsSource: 'all', offline: true, apiBase: 'http://127.0.0.1:9', publishUrl: 'http://127.0.0.1:9/_webhook-dev/events', handlerPath: 'src/h.ts', apiVersion: '2025-08-27.basil' }));
    expect(records()[0]).toMatchObject({ secret: SECRET, events: 'all-snapshot', offline: true, apiBase: 'http://127.0.0.1:9', handler: 'src/h.ts', apiVersion: '2025-08-27.basil' });
  });

  it('event (ok): exact keys and values', () => {
    const { reporter, records } = setup();
    reporter.delivery(sampleRecord({ outcome: { status: 'ok', value: { received: true } }, logs: [{ level: 'info', message: 'hi', elapsedMs: 2 }] }));
    expect(records()).toEqual([
      {
        type: 'event',
        schema: 1,
        receivedAt: '2024-05-06T13:04:05.678Z',
        event: { id: 'evt_1', type: 'charge.failed', created: 1_700_000_000, livemode: false, account: 'acct_7', objectId: 'ch_1' },
        attempt: 1,
        verified: true,
        rejection: null,
        status: 200,
        outcome: 'ok',
        value: { received: true },
        error: null,
        durationMs: 15,
        handlerDurationMs: 12,
        logs: [{ level: 'info', message: 'hi', elapsedMs: 2, source: 'ctx' }],
        forward: null,
        recovered: false,
        quirks: null,
      },
    ]);
  });

  it('event: quirks say what a delivery quirk made of it', () => {
    const { reporter, records } = setup();
    reporter.delivery(sampleRecord(undefined, { attempt: 3, quirks: { retry: true, delayedMs: 120 } }));
    reporter.delivery(sampleRecord(undefined, { quirks: { duplicate: true, reordered: true } }));
    expect(records().map((record) => [record.attempt, record.quirks])).toEqual([
      [3, { duplicate: false, retry: true, delayedMs: 120, reordered: false }],
      [1, { duplicate: true, retry: false, delayedMs: null, reordered: true }],
    ]);
  });

  it('summary: the quirks injected, and how retried events ended', () => {
    const { reporter, records } = setup();
    const quirks = { settings: { seed: 4, retry: { speed: 7200, maxAttempts: 3 } }, duplicates: 1, reordered: 0, delayed: 0, retries: 3, succeeded: [{ eventId: 'evt_1', eventType: 'a.b', attempt: 2 }], givenUp: [{ eventId: 'evt_2', eventType: 'a.b', attempt: 3 }], notRetried: [] };
    reporter.summary({ events: 6, ok: 3, failed: 3, rejected: 0, quirks, durationMs: 9, exitCode: 0, reason: 'SIGINT' });
    expect(records()[0]).toMatchObject({ type: 'summary', quirks });
  });

  it('event: recovered is true for a delivery the catch-up after a stall made', () => {
    const { reporter, records } = setup();
    reporter.delivery(sampleRecord(undefined, { recovered: true }));
    expect(records()[0]).toMatchObject({ type: 'event', recovered: true });
  });

  it('event outcomes: error without stack, timeout, unhandled, inspected, rejected', () => {
    const { reporter, records } = setup();
    reporter.delivery(
      sampleRecord(
        { outcome: { status: 'error', error: { name: 'TypeError', message: 'x', stack: 'TypeError: x\n    at y', location: 'src/h.ts:3:5', sourceLine: 'y()' } } },
        { status: 500 },
      ),
    );
    reporter.delivery(sampleRecord({ outcome: { status: 'timeout', timeoutMs: 100 } }, { status: 500 }));
    reporter.delivery(sampleRecord({ outcome: { status: 'unhandled' } }));
    reporter.delivery(sampleRecord());
    const { event: _dropped, ...unparsed } = sampleRecord();
    reporter.delivery({ ...unparsed, verified: false, status: 400, rejection: { reason: 'invalid_json', message: 'not JSON' } });
    const all = records();
    expect(all.map((r) => r['outcome'])).toEqual(['error', 'timeout', 'unhandled', 'inspected', 'rejected']);
    expect(all[0]?.['error']).toEqual({ name: 'TypeError', message: 'x', code: null, location: 'src/h.ts:3:5', sourceLine: 'y()' });
    expect(all[3]).toMatchObject({ handlerDurationMs: null, value: null, error: null, logs: [] });
    expect(all[4]).toMatchObject({ event: null, verified: false, status: 400, rejection: { reason: 'invalid_json', message: 'not JSON' } });
  });

  it('masks secrets in handler logs, error messages, notices and error details', () => {
    const { reporter, stdout } = setup();
    reporter.delivery(
      sampleRecord({
        outcome: { status: 'error', error: { name: 'Error', message: `bad secret ${SECRET}` } },
        logs: [{ level: 'warn', message: `using ${SECRET}`, elapsedMs: 1 }],
      }),
    );
    reporter.notice(`reloaded with sk_test_abcdefghijklmnopqrst`, 'warn');
    reporter.error(new HandlerLoadError('failed', { details: [`env: ${SECRET}`] }));
    expect(stdout.text()).not.toContain(SECRET);
    expect(stdout.text()).not.toContain('sk_test_abcdefghijklmnopqrst');
    expect(stdout.text()).toContain('whsec_…a1b2');
  });

  it('a value with BigInt, a cycle and a function serializes', () => {
    const { reporter, records } = setup();
    const cyclic: Record<string, unknown> = { big: 10n, fn: () => 1 };
    cyclic['self'] = cyclic;
    expect(() => reporter.delivery(sampleRecord({ outcome: { status: 'ok', value: cyclic } }))).not.toThrow();
    expect(records()[0]?.['value']).toEqual({ big: '10', fn: '[Function fn]', self: '[Circular]' });
  });

  it('notice, error (user and bug) and summary records', () => {
    const { reporter, records } = setup();
    reporter.notice('handler reloaded');
    reporter.error(new HandlerLoadError('Could not load src/h.ts', { hint: 'Check the syntax.', details: ['SyntaxError: x'] }));
    reporter.error(new RangeError('oops'));
    reporter.summary({ events: 3, ok: 1, failed: 1, rejected: 1, durationMs: 99, exitCode: 130, reason: 'SIGINT' });
    const [notice, userError, bug, summary] = records();
    expect(notice).toEqual({ type: 'notice', schema: 1, level: 'info', message: 'handler reloaded' });
    expect(userError).toEqual({ type: 'error', schema: 1, code: 'HANDLER_LOAD_FAILED', exitCode: 11, message: 'Could not load src/h.ts', hint: 'Check the syntax.', details: ['SyntaxError: x'] });
    expect(bug).toMatchObject({ type: 'error', code: 'INTERNAL', exitCode: 1, message: 'RangeError: oops' });
    expect(Object.keys(bug ?? {}).sort()).toEqual(['code', 'details', 'exitCode', 'hint', 'message', 'schema', 'type']);
    expect(summary).toEqual({ type: 'summary', schema: 1, events: 3, ok: 1, failed: 1, rejected: 1, appFailures: {}, durationMs: 99, exitCode: 130, reason: 'SIGINT', quirks: null });
  });

  it("strips an app's colour codes from its lines, and reports a refused 2xx with the lines attributed to it", () => {
    const { reporter, records } = setup();
    reporter.appOutput?.('stdout', '\u001b[32m[Nest] 42  - \u001b[39mLOG \u001b[33m[RoutesResolver]\u001b[39m ready');
    const said = '\u001b[31m⚠️  Webhook signature verification failed.\u001b[39m';
    reporter.delivery({
      ...sampleRecord(),
      forward: {
        url: 'http://127.0.0.1:4242/webhook',
        outcome: { status: 'response', statusCode: 200, headers: {}, body: '{"success":false}', bodyTruncated: false },
        durationMs: 2,
        refusal: { source: 'app-output', quote: said },
        appOutput: [{ stream: 'stdout', line: said, how: 'in-flight' }],
        diagnosis: { cause: 'secret-mismatch-or-parsed-body', summary: 's', hints: [], repeatOf: 'evt_first' },
      },
    });
    const [app, event] = records();
    expect(app).toEqual({ type: 'app', schema: 1, stream: 'stdout', line: '[Nest] 42  - LOG [RoutesResolver] ready' });
    expect(event?.outcome).toBe('app-failed');
    expect(event?.forward).toMatchObject({
      status: 200,
      refusal: { source: 'app-output', quote: '⚠️  Webhook signature verification failed.' },
      appOutput: [{ stream: 'stdout', line: '⚠️  Webhook signature verification failed.', how: 'in-flight' }],
      diagnosis: { repeatOf: 'evt_first' },
    });
  });

  it('writes one complete line per record and nothing else', () => {
    const { reporter, stdout } = setup();
    reporter.ready(sampleInfo());
    reporter.delivery(sampleRecord({ logs: [{ level: 'info', message: 'multi\nline', elapsedMs: 0 }] }));
    reporter.summary({ events: 1, ok: 1, failed: 0, rejected: 0, durationMs: 1, exitCode: 0, reason: 'closed' });
    const lines = stdout.text().split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines.slice(0, -1)).toHaveLength(3);
    for (const line of lines.slice(0, -1)) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('batched: the records of one turn go out in one write, in order; close() writes what is left', async () => {
    const writes: string[] = [];
    const stdout = new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        writes.push(chunk.toString());
        callback();
      },
    });
    const reporter = createJsonReporter({ stdout, batched: true, debug: true });
    reporter.ready(sampleInfo());
    reporter.debug?.(`start-up: secret ${SECRET}`);
    reporter.delivery(sampleRecord());
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(1);
    expect(writes[0]!.split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { type: string }).type)).toEqual(['ready', 'debug', 'event']);
    expect(writes[0]).not.toContain(SECRET);
    reporter.summary({ events: 1, ok: 1, failed: 0, rejected: 0, durationMs: 1, exitCode: 0, reason: 'closed' });
    reporter.close();
    expect(writes).toHaveLength(2);
    expect(JSON.parse(writes[1]!)).toMatchObject({ type: 'summary' });
  });
});
