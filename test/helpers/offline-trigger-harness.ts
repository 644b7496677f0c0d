/**
 * The real `stripe trigger` against the offline emulator, with a real `stripe listen` forwarding
 * to a receiver, for tests that check what a trigger's fixture sends. `run(name)` returns the
 * events the trigger caused in the emulator's order (the CLI forwards concurrently, so a receiver
 * sees no order) after checking that each one reached the receiver byte for byte, signed with the
 * session's secret, and that the CLI printed it.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/start-emulator.js';
import type { StripeEventLike } from '../../src/types.js';
import { stripeCliBinaryPath, stripeCliEnv } from './stripe-cli-for-tests.js';
import { waitFor } from './wait-for.js';


import { expectDeliveredAsPublished, TriggerEvents, type Obj } from './trigger-events.js';

export { TriggerEvents, type Obj };

export interface CliResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export interface TriggerHarness {
  emulator: Emulator;
  trigger(name: string): Promise<CliResult>;
  /** Runs the trigger, expects success, and returns its events once all were delivered and verified. */
  run(name: string): Promise<{ result: CliResult; events: TriggerEvents }>;
  close(): Promise<void>;
}

export async function startTriggerHarness(): Promise<TriggerHarness> {
  const configHome = mkdtempSync(join(tmpdir(), 'webhook-dev-triggers-'));
  const published: StripeEventLike[] = [];
  const deliveries = new Map<string, { body: string; headers: IncomingHttpHeaders }>();
  let listenChild: ChildProcess | undefined;
  let listenStdout = '';
  let listenStderr = '';
  const emulator = await startEmulator({ onEvent: (event) => published.push(event) });
  // The emulator answers only its own key (see test/helpers/emulator-auth.ts).
  const apiKey = emulator.apiKey;
  const receiver: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      deliveries.set((JSON.parse(body) as StripeEventLike).id, { body, headers: request.headers });
      response.end('ok');
    });
  });

  async function close(): Promise<void> {
    if (listenChild !== undefined && listenChild.exitCode === null && listenChild.signalCode === null) {
      const exited = new Promise((resolve) => listenChild!.once('exit', resolve));
      listenChild.kill('SIGTERM');
      const timer = setTimeout(() => listenChild!.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await new Promise<void>((resolve) => {
      receiver.closeAllConnections();
      receiver.close(() => resolve());
    });
    await emulator.close();
    rmSync(configHome, { recursive: true, force: true });
  }

  try {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const { port } = receiver.address() as { port: number };
    listenChild = spawn(
      stripeCliBinaryPath(),
      ['listen', '--api-base', emulator.apiBase, '--skip-update', '--all-snapshot', '--forward-to', `http://127.0.0.1:${port}/webhook`],
      { env: stripeCliEnv({ configHome, apiKey }), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // Always read stdout: unread, the CLI stalls forwarding once its pipe fills.
    listenChild.stdout!.on('data', (chunk: Buffer) => (listenStdout += chunk.toString()));
    listenChild.stderr!.on('data', (chunk: Buffer) => (listenStderr += chunk.toString()));
    await waitFor(() => listenStderr.includes('Ready!'), { timeoutMs: 15_000, description: 'stripe listen to be ready' });
    await emulator.waitForListener(15_000);
  } catch (error) {
    await close();
    throw error;
  }

  function trigger(name: string): Promise<CliResult> {
    return new Promise((resolve) => {
      execFile(stripeCliBinaryPath(), ['trigger', name, '--api-base', emulator.apiBase], { env: stripeCliEnv({ configHome, apiKey }), timeout: 20_000 }, (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ exitCode: code, stdout, stderr });
      });
    });
  }

  async function run(name: string): Promise<{ result: CliResult; events: TriggerEvents }> {
    const before = published.length;
    const result = await trigger(name);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Trigger succeeded!');
    // Every event is published before the request that caused it is answered.
    const events = new TriggerEvents(published.slice(before));
    await expectDeliveredAsPublished(name, events, { deliveries, secret: emulator.secret });
    await waitFor(() => events.list.every((event) => listenStdout.includes(`--> ${event.type} [${event.id}]`)), { description: 'the CLI to print every event' });
    return { result, events };
  }

  return { emulator, trigger, run, close };
}
