/**
 * Verifier micro-benchmark: webhook-dev's verifySignature against stripe-node's verifyHeader on
 * the same bytes and header. Informational: both are one HMAC-SHA256 over ~3.5 KB plus parsing,
 * so this mostly shows what each adds around the hash. The two take turns in short slices so
 * neither profits from running last (JIT, CPU frequency).
 */
import Stripe from 'stripe';
import { distUrl } from './config.js';
import { median } from './startup.js';

const SLICES = 5;
const BATCH = 200;

/**
 * @typedef {object} MicroResult
 * @property {number} webhookDevOps  ops/s, median over slices
 * @property {number} stripeOps
 * @property {boolean} valid          every call accepted the signature
 */

/**
 * @param {object} options
 * @param {string} options.distDir
 * @param {Buffer} options.payload
 * @param {string} options.signature
 * @param {string} options.secret
 * @param {number} options.seconds   per verifier, split into slices
 * @returns {Promise<MicroResult>}
 */
export async function measureVerifiers({ distDir, payload, signature, secret, seconds }) {
  const { verifySignature } = await import(distUrl(distDir, 'signature/verify-signature.js'));
  const stripe = new Stripe('sk_test_bench');
  const candidates = {
    webhookDev: () => verifySignature(payload, signature, { secret }).ok,
    stripe: () => {
      stripe.webhooks.signature.verifyHeader(payload, signature, secret);
      return true;
    },
  };
  for (const fn of Object.values(candidates)) {
    if (!fn()) return { webhookDevOps: NaN, stripeOps: NaN, valid: false };
    timeSlice(fn, 0.2); // warm-up: let both reach optimized code before anything counts
  }
  const samples = { webhookDev: [], stripe: [] };
  let valid = true;
  for (let i = 0; i < SLICES; i++) {
    for (const [name, fn] of Object.entries(candidates)) {
      const slice = timeSlice(fn, seconds / SLICES);
      valid &&= slice.valid;
      samples[name].push(slice.opsPerSecond);
    }
  }
  return { webhookDevOps: median(samples.webhookDev), stripeOps: median(samples.stripe), valid };
}

function timeSlice(fn, seconds) {
  const budget = seconds * 1000;
  const started = performance.now();
  let ops = 0;
  let valid = true;
  let elapsed = 0;
  do {
    for (let i = 0; i < BATCH; i++) valid = fn() && valid;
    ops += BATCH;
    elapsed = performance.now() - started;
  } while (elapsed < budget);
  return { opsPerSecond: (ops / elapsed) * 1000, valid };
}
