/**
 * The whole `webhook-dev listen --handler --json` process (journal on) under a long run: its
 * resident memory after a warm-up, then after 100,000 more deliveries (loopback, 10 connections,
 * bounded by count). A session that kept something per delivery (records, journal offsets, attempt
 * counts) would grow with the run; the goal is under 50 MB of growth. The journal's bytes per
 * delivery are read from the warm-up's files, before any pruning.
 */
import autocannon from 'autocannon';

/**
 * @typedef {object} SessionMemoryResult
 * @property {number} warmup             deliveries before the first reading
 * @property {number} deliveries         deliveries between the two readings
 * @property {number} rssAfterWarmupBytes
 * @property {number} rssAfterBytes
 * @property {number} growthBytes
 * @property {number} journalBytesPerDelivery
 * @property {number} seconds            the measured run
 * @property {boolean} valid             every delivery answered 2xx
 * @property {string} [problem]
 */

/**
 * @param {{ start: () => Promise<any>, body: Buffer, deliveries: number, warmup: number, connections: number }} options
 * @returns {Promise<SessionMemoryResult>}
 */
export async function measureSessionMemory({ start, body, deliveries, warmup, connections }) {
  const session = await start();
  try {
    const send = (amount) =>
      autocannon({ url: session.url, method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': session.sign() }, body, connections, pipelining: 1, amount });
    const warm = await send(warmup);
    const journal = await session.journal();
    const rssAfterWarmupBytes = await session.rssBytes();
    const started = performance.now();
    const run = await send(deliveries);
    const seconds = (performance.now() - started) / 1000;
    const rssAfterBytes = await session.rssBytes();
    const bad = [warm, run].reduce((sum, r) => sum + r.non2xx + r.errors + r.timeouts, 0);
    return {
      warmup,
      deliveries,
      rssAfterWarmupBytes,
      rssAfterBytes,
      growthBytes: rssAfterBytes - rssAfterWarmupBytes,
      journalBytesPerDelivery: journal.deliveries > 0 ? journal.bytes / journal.deliveries : NaN,
      seconds,
      valid: bad === 0 && run['2xx'] === deliveries && journal.deliveries >= warmup,
      ...(bad === 0 ? {} : { problem: `${bad} deliveries not answered 2xx` }),
    };
  } finally {
    await session.close();
  }
}
