/**
 * Loads the servers under test with autocannon (in this process) and turns the answers into
 * events/second. The measurement is cut into short slices that take turns across the servers, so
 * a burst of load from elsewhere on the machine (a test run, a build) lands on all of them rather
 * than on whichever happened to run at that moment; each server's rate is the median slice.
 *
 * Only 2xx answers count as events: a run with any non-2xx answer, socket error or timeout is
 * invalid, never a speed, because a fast 400 is not a handled webhook.
 */
import autocannon from 'autocannon';
import { readProcessCpu } from './process-cpu.js';
import { median } from './startup.js';

/**
 * @typedef {object} LoadResult
 * @property {number} eventsPerSecond  median of the slices' 2xx rates
 * @property {number[]} slices          each slice's 2xx rate, in order
 * @property {number} ok               2xx answers over all slices
 * @property {number} non2xx
 * @property {number} errors
 * @property {number} timeouts
 * @property {number} seconds          measured time over all slices
 * @property {number} p99Ms            worst slice's 99th percentile latency
 * @property {boolean} valid
 * @property {{ microsPerEvent: number, mainMicrosPerEvent: number } | null} cpu  the server process's CPU per 2xx over the measured slices (Linux; null elsewhere)
 *
 * @typedef {object} LoadTarget
 * @property {string} key
 * @property {string} url
 * @property {number} [pid]  the server's process, for its CPU per event
 */

/**
 * @param {LoadTarget[]} targets
 * @param {object} options
 * @param {Buffer} options.body
 * @param {() => string} options.sign  a fresh Stripe-Signature header for the body
 * @param {number} options.connections
 * @param {number} options.seconds        measured seconds per target, in total
 * @param {number} options.rounds         slices per target
 * @param {number} options.warmupSeconds  per target, before any slice counts
 * @param {(message: string) => void} [options.log]
 * @returns {Promise<Record<string, LoadResult>>}
 */
export async function measureThroughput(targets, { body, sign, connections, seconds, rounds, warmupSeconds, log = () => {} }) {
  const run = (target, duration) =>
    autocannon({
      url: target.url,
      method: 'POST',
      // Signed per slice so long settings never drift out of the 300 s tolerance.
      // A target with a secret of its own (the whole webhook-dev process) signs for itself.
      headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': (target.sign ?? sign)() },
      body,
      connections,
      pipelining: 1,
      duration,
    });
  /** @type {Record<string, any[]>} */
  const slices = Object.fromEntries(targets.map((t) => [t.key, []]));
  /** @type {Record<string, LoadResult>} */
  const failedWarmups = {};
  if (warmupSeconds > 0) {
    for (const target of targets) {
      log(`  warm-up: ${target.key}`);
      const warmup = summarize([await run(target, warmupSeconds)]);
      // A server that fails while warming up would fail the measurement too: report the warm-up.
      if (!warmup.valid) failedWarmups[target.key] = warmup;
    }
  }
  const measured = targets.filter((t) => !(t.key in failedWarmups));
  /** @type {Record<string, { main: number, other: number } | null>} */
  const cpu = Object.fromEntries(targets.map((t) => [t.key, { main: 0, other: 0 }]));
  for (let round = 0; round < rounds; round++) {
    log(`  round ${round + 1}/${rounds}`);
    for (let i = 0; i < measured.length; i++) {
      const target = measured[(i + round) % measured.length];
      const before = readProcessCpu(target.pid);
      slices[target.key].push(await run(target, seconds / rounds));
      const after = readProcessCpu(target.pid);
      const used = cpu[target.key];
      if (before && after && used) {
        used.main += after.mainSeconds - before.mainSeconds;
        used.other += after.otherSeconds - before.otherSeconds;
      } else {
        cpu[target.key] = null;
      }
    }
  }
  return Object.fromEntries(targets.map((t) => [t.key, failedWarmups[t.key] ?? summarize(slices[t.key], cpu[t.key])]));
}

/** @returns {LoadResult} */
function summarize(measured, cpu = null) {
  const sum = (pick) => measured.reduce((total, r) => total + pick(r), 0);
  const rates = measured.map((r) => (r.duration > 0 ? r['2xx'] / r.duration : 0));
  const totals = {
    ok: sum((r) => r['2xx']),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
  };
  return {
    eventsPerSecond: rates.length > 0 ? median(rates) : 0,
    slices: rates,
    ...totals,
    seconds: sum((r) => r.duration),
    p99Ms: Math.max(0, ...measured.map((r) => r.latency.p99)),
    valid: totals.ok > 0 && totals.non2xx === 0 && totals.errors === 0 && totals.timeouts === 0,
    cpu: cpu && totals.ok > 0 ? { microsPerEvent: ((cpu.main + cpu.other) * 1e6) / totals.ok, mainMicrosPerEvent: (cpu.main * 1e6) / totals.ok } : null,
  };
}
