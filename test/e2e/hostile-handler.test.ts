/**
 * Handlers that try, by accident, to end, freeze or garble the session: through the built binary,
 * the real Stripe CLI and the offline emulator. Whatever the handler does, the verdict and the
 * output stay the session's.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signPayload } from '../../src/signature/sign-payload.js';
import { isAlive, killAllRuns, projectRoot, runCli, type CliRun } from '../helpers/run-cli.js';
import { waitFor } from '../helpers/wait-for.js';

const cleanups: Array<() => void> = [];
afterEach(async () => {
  await killAllRuns();
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function tempProject(type: 'module' | 'commonjs' = 'module'): string {
  const dir = mkdtempSync(join(tmpdir(), 'webhook-dev-hostile-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'shop', version: '1.0.0', type }));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function handlerFile(dir: string, name: string, source: string): string {
  const file = join(dir, name);
  writeFileSync(file, source);
  return file;
}

async function finished(run: CliRun) {
  const { exitCode } = await run.exit();
  await waitFor(() => [...run.descendants].every((pid) => !isAlive(pid)), { description: 'every child to be gone' });
  return { exitCode, triggers: run.records.filter((r) => r.type === 'trigger'), events: run.records.filter((r) => r.type === 'event') };
}

/** payment_intent.succeeded offline sends payment_intent.created, charge.succeeded, charge.updated and payment_intent.succeeded. */
const trigger = (dir: string, handler: string, ...extra: string[]) => runCli(['trigger', 'payment_intent.succeeded', '--offline', '--handler', handler, '--json', ...extra], { cwd: dir });

describe('a hostile handler cannot end or fake the session', () => {
  it('process.exit(0) in a handler fails that delivery with the reason, and trigger exits non-zero with a summary', async () => {
    const dir = tempProject();
    const handler = handlerFile(dir, 'h.mjs', "export default { 'payment_intent.succeeded': () => process.exit(0), '*': () => 'fine' };\n");
    const run = trigger(dir, handler);
    const { exitCode, triggers, events } = await finished(run);
    expect(exitCode, run.stderr()).toBe(20);
    const failed = events.find((e) => e.event.type === 'payment_intent.succeeded');
    expect(failed).toMatchObject({ outcome: 'error', status: 500, error: { name: 'ProcessExit', message: 'the handler called process.exit(0)' } });
    expect(triggers[0]).toMatchObject({ outcome: 'handler-failed' });
    expect(run.records.at(-1)).toMatchObject({ type: 'summary', exitCode: 20 });
  });

  it('process.abort() is reported as such (in a worker it would otherwise throw ERR_WORKER_UNSUPPORTED_OPERATION)', async () => {
    const dir = tempProject();
    const handler = handlerFile(dir, 'h.mjs', "export default { 'payment_intent.succeeded': () => process.abort(), '*': () => 'fine' };\n");
    const run = trigger(dir, handler);
    const { exitCode, events } = await finished(run);
    expect(exitCode, run.stderr()).toBe(20);
    expect(events.find((e) => e.event.type === 'payment_intent.succeeded')).toMatchObject({ outcome: 'error', error: { message: 'the handler called process.abort()' } });
  });

  it('throwing non-Errors, and an exception nobody catches, fail their own deliveries', async () => {
    const dir = tempProject();
    const handler = handlerFile(
      dir,
      'h.mjs',
      [
        'export default {',
        "  'payment_intent.created': () => { throw 'a string'; },",
        "  'charge.succeeded': () => { throw undefined; },",
        "  'charge.updated': () => { throw { status: 400 }; },",
        "  'payment_intent.succeeded': () => new Promise(() => { setTimeout(() => { throw new Error('late boom'); }, 5); }),",
        '};',
        '',
      ].join('\n'),
    );
    const run = trigger(dir, handler);
    const { exitCode, events } = await finished(run);
    expect(exitCode, run.stderr()).toBe(20);
    const byType = Object.fromEntries(events.map((e) => [e.event.type, e]));
    expect(byType['payment_intent.created']).toMatchObject({ outcome: 'error', error: { name: 'Thrown string', message: 'a string' } });
    expect(byType['charge.succeeded']).toMatchObject({ outcome: 'error', error: { name: 'Thrown undefined' } });
    expect(byType['charge.updated']).toMatchObject({ outcome: 'error', error: { name: 'Thrown object', message: '{ status: 400 }' } });
    expect(byType['payment_intent.succeeded']).toMatchObject({
      outcome: 'error',
      error: { message: 'the handler threw an exception nobody caught: late boom', location: expect.stringMatching(/^h\.mjs:5:\d+$/) },
    });
  });
});

describe('a hostile handler cannot freeze the session', () => {
  it('a synchronous busy loop past --handler-timeout times out, and the next delivery is served by a fresh worker', async () => {
    const dir = tempProject();
    const handler = handlerFile(
      dir,
      'h.mjs',
      "export default { 'payment_intent.created': () => { const end = Date.now() + 60_000; while (Date.now() < end) {} }, '*': (event) => event.type };\n",
    );
    const started = Date.now();
    const run = trigger(dir, handler, '--handler-timeout', '1s');
    const { exitCode, events } = await finished(run);
    expect(exitCode, run.stderr()).toBe(20);
    expect(events.find((e) => e.event.type === 'payment_intent.created')).toMatchObject({ outcome: 'timeout', status: 500 });
    const others = events.filter((e) => e.event.type !== 'payment_intent.created');
    expect(others.map((e) => [e.event.type, e.outcome, e.value])).toEqual(others.map((e) => [e.event.type, 'ok', e.event.type]));
    expect(others).toHaveLength(3);
    // Well before the handler's 60 s loop would have ended.
    expect(Date.now() - started).toBeLessThan(40_000);
  });

  it('while (true) {}: Ctrl-C ends the session at once with exit 130 and nothing left running', async () => {
    const dir = tempProject();
    const mark = join(dir, 'spinning');
    const handler = handlerFile(dir, 'h.mjs', `import { writeFileSync } from 'node:fs';\nexport default { '*': () => { writeFileSync(${JSON.stringify(mark)}, 'x'); while (true) {} } };\n`);
    const run = trigger(dir, handler, '--handler-timeout', '10m', '--timeout', '10m');
    await waitFor(() => existsSync(mark), { timeoutMs: 30_000, description: 'the handler to start spinning' });
    const stoppedAt = Date.now();
    run.kill('SIGINT');
    const { exitCode } = await finished(run);
    expect(exitCode).toBe(130);
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    expect(run.records.at(-1)).toMatchObject({ type: 'summary', exitCode: 130, reason: 'SIGINT' });
  });
});

describe('a hostile handler cannot garble the output', () => {
  it('with --json, console and stdout/stderr writes land in their event record, masked; import-time output is a notice', async () => {
    const dir = tempProject();
    const secret = `whsec_${'a1'.repeat(16)}`;
    const handler = handlerFile(
      dir,
      'h.ts',
      [
        "console.log('loading');",
        'export default {',
        "  '*': (event: { type: string }) => {",
        `    console.log('got', event.type, '${secret}');`,
        "    console.error('to stderr');",
        "    process.stdout.write('raw write\\n');",
        "    process.stderr.write('raw error\\n');",
        '    return event.type;',
        '  },',
        '};',
        '',
      ].join('\n'),
    );
    const run = trigger(dir, handler);
    const { exitCode, events } = await finished(run);
    expect(exitCode, run.stderr()).toBe(0);
    const lines = run.stdout().trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    expect(run.stdout()).not.toContain(secret);
    expect(run.stderr()).not.toContain(secret);
    expect(run.records).toContainEqual(expect.objectContaining({ type: 'notice', message: expect.stringContaining('loading') }));
    expect(events).toHaveLength(4);
    for (const event of events) {
      expect(event.logs.map((log: { source: string; level: string; message: string }) => [log.source, log.level, log.message])).toEqual([
        ['console', 'info', `got ${event.event.type} whsec_…a1a1`],
        ['console', 'error', 'to stderr'],
        ['stdout', 'info', 'raw write'],
        ['stderr', 'error', 'raw error'],
      ]);
    }
  });
});

describe('state and reloads', () => {
  it('reload under load: every delivery is handled by one version or the next, none fails, and the new version takes over', async () => {
    const dir = tempProject();
    const source = (version: string) => `let count = 0;\nexport default { '*': () => ({ version: '${version}', count: ++count }) };\n`;
    const handler = handlerFile(dir, 'h.ts', source('v1'));
    const run = runCli(['listen', '--offline', '--port', '0', '--handler', handler, '--json', '--show-secret'], { cwd: dir });
    const ready = await run.waitForRecord((r) => r.type === 'ready', 60_000, 'the ready record');
    const secret = ready.secret as string;

    let sent = 0;
    const post = async () => {
      const id = `evt_load_${++sent}`;
      const body = JSON.stringify({ id, object: 'event', type: 'customer.updated', created: Math.floor(Date.now() / 1000), livemode: false, data: { object: { id: 'cus_1', object: 'customer' } } });
      const response = await fetch(ready.receiverUrl as string, { method: 'POST', body, headers: { 'content-type': 'application/json', 'stripe-signature': signPayload(body, { secret }) } });
      await response.arrayBuffer();
      return response.status;
    };
    const load = async (count: number) => {
      const statuses: number[] = [];
      // Ten at a time, like a burst the Stripe CLI forwards.
      for (let i = 0; i < count; i += 10) statuses.push(...(await Promise.all(Array.from({ length: 10 }, post))));
      return statuses;
    };

    const firstBurst = load(100);
    writeFileSync(handler, source('v2'));
    const statuses = await firstBurst;
    await run.waitForRecord((r) => r.type === 'notice' && String(r.message).startsWith('Reloaded'), 30_000, 'the reload notice');
    statuses.push(...(await load(20)));
    expect(statuses.every((status) => status === 200)).toBe(true);

    await waitFor(() => run.records.filter((r) => r.type === 'event').length === sent, { description: 'every event record' });
    const events = run.records.filter((r) => r.type === 'event');
    expect(events.every((e) => e.outcome === 'ok')).toBe(true);
    const versions = events.map((e) => e.value.version as string);
    expect(new Set(versions)).toEqual(new Set(['v1', 'v2']));
    // The last burst ran entirely in the new worker, whose module state started over.
    expect(versions.slice(-20)).toEqual(Array(20).fill('v2'));
    const v2Counts = events.filter((e) => e.value.version === 'v2').map((e) => e.value.count as number);
    expect(Math.min(...v2Counts)).toBe(1);
  });
});

describe('projects and load failures', () => {
  it('a CommonJS project: a .ts handler importing webhook-dev runs, and its error names file:line', async () => {
    const dir = tempProject('commonjs');
    mkdirSync(join(dir, 'node_modules'));
    // A link to this package, so 'webhook-dev' resolves through its real package.json "exports".
    symlinkSync(projectRoot, join(dir, 'node_modules', 'webhook-dev'), 'dir');
    const handler = handlerFile(
      dir,
      'webhooks.ts',
      [
        "import { defineHandlers } from 'webhook-dev';",
        '',
        'export default defineHandlers({',
        "  'payment_intent.succeeded': (event) => {",
        '    throw new Error(`refused ${event.data.object.id}`);',
        '  },',
        "  '*': (event) => event.type,",
        '});',
        '',
      ].join('\n'),
    );
    const run = trigger(dir, handler);
    const { exitCode, events } = await finished(run);
    expect(exitCode, run.stderr()).toBe(20);
    expect(events.find((e) => e.event.type === 'charge.succeeded')).toMatchObject({ outcome: 'ok', value: 'charge.succeeded' });
    expect(events.find((e) => e.event.type === 'payment_intent.succeeded')).toMatchObject({
      outcome: 'error',
      error: { message: expect.stringMatching(/^refused pi_/), location: 'webhooks.ts:5:11', sourceLine: 'throw new Error(`refused ${event.data.object.id}`);' },
    });
  });

  it('a handler with a syntax error is a load failure once: exit 11, handler-load in JUnit and JSON, no Node warnings', async () => {
    const dir = tempProject();
    const handler = handlerFile(dir, 'h.ts', "export default { '*': (e) => { return e.a +; } };\n");
    const junit = join(dir, 'f.xml');
    const run = trigger(dir, handler, '--junit', junit);
    const { exitCode, triggers, events } = await finished(run);
    expect(exitCode, run.stderr()).toBe(11);
    expect(events).toEqual([]);
    expect(triggers).toEqual([expect.objectContaining({ outcome: 'handler-load', failures: [expect.objectContaining({ verdict: 'handler-load', message: expect.stringContaining('Could not load the handler h.ts') })] })]);
    expect(run.records.filter((r) => r.type === 'error')).toEqual([expect.objectContaining({ code: 'HANDLER_LOAD_FAILED', details: ['at h.ts:1:44', "  export default { '*': (e) => { return e.a +; } };"] })]);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toContain('<failure type="handler-load"');
    expect(xml).not.toContain('type="timeout"');
    expect(run.stderr()).not.toContain('(node:');
  });

  it('a handler that fails to load after the triggers gave up on it is still one load failure, not their timeouts', async () => {
    const dir = tempProject();
    // Offline triggers start while the handler loads: here they time out (1 s) before it fails (2.5 s).
    const handler = handlerFile(dir, 'h.mjs', "await new Promise((resolve) => setTimeout(resolve, 2500));\nthrow new Error('no database');\n");
    const run = runCli(['trigger', 'payment_intent.succeeded', 'customer.created', '--offline', '--handler', handler, '--json', '--timeout', '1s'], { cwd: dir });
    const { exitCode, triggers } = await finished(run);
    expect(exitCode, run.stderr()).toBe(11);
    expect(triggers.map((t) => [t.trigger, t.outcome])).toEqual([
      ['payment_intent.succeeded', 'handler-load'],
      ['customer.created', 'handler-load'],
    ]);
    expect(run.records.filter((r) => r.type === 'error')).toEqual([expect.objectContaining({ code: 'HANDLER_LOAD_FAILED', message: expect.stringContaining('no database') })]);
  });
});
