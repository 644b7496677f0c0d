/**
 * The baseline for `webhook-dev trigger --offline`: the plain sequence a user would script with
 * the Stripe CLI alone. Start the emulator (in this process, from the build), a bare node:http
 * receiver that answers 200, `stripe listen` forwarding to it; wait for `Ready!`; run
 * `stripe trigger`; wait until the receiver has every event the trigger caused; stop listen.
 * Timed from before the emulator starts until listen has exited.
 */
import { createServer } from 'node:http';
import { OFFLINE_API_KEY, offlineStripeCliEnv } from './stripe-cli-binary.js';
import { makeTempDir, removeTempDir } from './temp-dirs.js';
import { spawnTimed } from './timed-child.js';
import { within } from './within.js';

/**
 * @typedef {(options?: { onEvent?: (event: { type: string }) => void }) => Promise<{ apiBase: string, close(): Promise<void> }>} StartEmulator
 *
 * @typedef {object} SequencePhases  ms from the start of the sequence
 * @property {number} emulator   emulator and receiver listening
 * @property {number} ready      `stripe listen` printed Ready!
 * @property {number} triggered  `stripe trigger` exited 0
 * @property {number} lastEvent  the receiver has every event of the trigger
 * @property {number} exit       `stripe listen` exited after SIGTERM
 *
 * @typedef {{ ok: true, ms: number, phases: SequencePhases } | { ok: false, problem: string }} SequenceRun
 */

/**
 * Which events the emulator publishes for `trigger`, in order: `stripe trigger` against a fresh
 * emulator with no listener. Found once, so the baseline waits for what the emulator really sends.
 * @param {{ startEmulator: StartEmulator, stripeBin: string, trigger: string, timeoutMs?: number }} options
 * @returns {Promise<string[]>}
 */
export async function discoverTriggerEvents({ startEmulator, stripeBin, trigger, timeoutMs = 30_000 }) {
  /** @type {string[]} */
  const types = [];
  const configHome = await makeTempDir('webhook-dev-bench-stripe-');
  let emulator;
  let child;
  try {
    emulator = await startEmulator({ apiKey: OFFLINE_API_KEY, onEvent: (event) => types.push(event.type) });
    child = spawnTimed(stripeBin, ['trigger', trigger, '--api-base', emulator.apiBase], { env: offlineStripeCliEnv(configHome) });
    const exit = await within(child.exited, timeoutMs, 'stripe trigger');
    if (exit.code !== 0) throw new Error(`stripe trigger ${trigger} exited ${exit.code ?? exit.signal}:\n  ${child.recentLines().join('\n  ')}`);
    return types;
  } finally {
    child?.kill();
    await emulator?.close();
    await removeTempDir(configHome);
  }
}

/**
 * @param {object} options
 * @param {StartEmulator} options.startEmulator
 * @param {string} options.stripeBin
 * @param {string} options.trigger   e.g. payment_intent.succeeded
 * @param {string[]} options.events  what the trigger sends (discoverTriggerEvents): listened for and waited on
 * @param {number} [options.timeoutMs]  per phase
 * @returns {Promise<SequenceRun>}
 */
export async function runStripeCliSequence({ startEmulator, stripeBin, trigger, events, timeoutMs = 30_000 }) {
  const configHome = await makeTempDir('webhook-dev-bench-stripe-');
  const env = offlineStripeCliEnv(configHome);
  /** @type {Awaited<ReturnType<StartEmulator>> | undefined} */
  let emulator;
  /** @type {BareReceiver | undefined} */
  let receiver;
  /** @type {import('./timed-child.js').TimedChild[]} */
  const children = [];
  const t0 = performance.now();
  try {
    emulator = await startEmulator({ apiKey: OFFLINE_API_KEY });
    receiver = await startBareReceiver();
    const emulatorAt = performance.now();
    const listenArgs = ['listen', '--api-base', emulator.apiBase, '--forward-to', receiver.url, '--events', [...new Set(events)].join(','), '--skip-update'];
    const listen = spawnTimed(stripeBin, listenArgs, { env });
    children.push(listen);
    const readyAt = await listen.waitForLine(/Ready!/, timeoutMs);
    const triggerChild = spawnTimed(stripeBin, ['trigger', trigger, '--api-base', emulator.apiBase], { env });
    children.push(triggerChild);
    const triggered = await within(triggerChild.exited, timeoutMs, 'stripe trigger');
    if (triggered.code !== 0) {
      return { ok: false, problem: `stripe trigger exited ${triggered.code ?? triggered.signal}:\n  ${triggerChild.recentLines().join('\n  ')}` };
    }
    // Arrival order varies (the CLI forwards concurrently), so "the last event" is the moment the
    // receiver has them all.
    const lastEventAt = await within(receiver.receivedAll(events), timeoutMs, `the receiver getting ${events.join(', ')}`);
    listen.signal('SIGTERM');
    const stopped = await within(listen.exited, timeoutMs, 'stripe listen stopping');
    const phases = {
      emulator: emulatorAt - t0,
      ready: readyAt - t0,
      triggered: triggered.at - t0,
      lastEvent: lastEventAt - t0,
      exit: stopped.at - t0,
    };
    return { ok: true, ms: phases.exit, phases };
  } catch (error) {
    const output = children.flatMap((child) => child.recentLines()).slice(-10);
    return { ok: false, problem: `${error instanceof Error ? error.message : String(error)}${output.length > 0 ? `\n  ${output.join('\n  ')}` : ''}` };
  } finally {
    for (const child of children) child.kill();
    await receiver?.close();
    await emulator?.close();
    await removeTempDir(configHome);
  }
}

/**
 * @typedef {object} BareReceiver
 * @property {string} url
 * @property {(types: string[]) => Promise<number>} receivedAll  resolves with the time the last of them arrived
 * @property {() => Promise<void>} close
 */

/**
 * What a user's throwaway endpoint does: read the body, note the event type, answer 200. No
 * signature check: the baseline is the Stripe CLI's cost, not a handler's.
 * @returns {Promise<BareReceiver>}
 */
function startBareReceiver() {
  /** @type {Map<string, number>} */
  const counts = new Map();
  /** @type {Set<() => void>} */
  const watchers = new Set();
  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      response.writeHead(200).end();
      let type;
      try {
        type = JSON.parse(Buffer.concat(chunks).toString('utf8')).type;
      } catch {
        return; // not an event: nothing to count
      }
      if (typeof type !== 'string') return;
      counts.set(type, (counts.get(type) ?? 0) + 1);
      for (const notify of watchers) notify();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve({
        url: `http://127.0.0.1:${server.address().port}/webhook`,
        receivedAll: (types) =>
          new Promise((done) => {
            const check = () => {
              if (!hasAll(counts, types)) return;
              watchers.delete(check);
              done(performance.now());
            };
            watchers.add(check);
            check();
          }),
        close: () =>
          new Promise((done) => {
            watchers.clear();
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** Counts, not a set: a trigger that sends a type twice is complete only when both arrived. */
function hasAll(counts, types) {
  const needed = new Map();
  for (const type of types) needed.set(type, (needed.get(type) ?? 0) + 1);
  return [...needed].every(([type, n]) => (counts.get(type) ?? 0) >= n);
}
