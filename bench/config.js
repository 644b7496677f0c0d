/**
 * Bench settings from the environment, so a quick run (BENCH_SECONDS=2) or a run against another
 * build (BENCH_DIST=/tmp/…/dist) needs no code change. Every knob is bounded: the bench must end.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const REPO_DIR = path.resolve(BENCH_DIR, '..');

/**
 * @typedef {object} BenchConfig
 * @property {string} distDir       built webhook-dev (default ../dist)
 * @property {boolean} customDist   true when BENCH_DIST points somewhere else than ../dist
 * @property {number} seconds       measured seconds per server, in total
 * @property {number} rounds        slices those seconds are cut into, taking turns across servers
 * @property {number} warmupSeconds
 * @property {number} connections
 * @property {number} startupRuns   spawns of each command after the warm-ups
 * @property {number} startupWarmups
 * @property {number} microSeconds  measured seconds per verifier
 * @property {number} triggerRuns   runs of `webhook-dev trigger` and of the Stripe CLI sequence, after one warm-up each
 * @property {number} journalDeliveries  deliveries in the journal `events` is timed on
 * @property {number} memoryDeliveries   deliveries between the two memory readings of the listen process
 * @property {string} handlerPath   the tiny handler the full-path server loads
 */

/** @param {NodeJS.ProcessEnv} [env] @returns {BenchConfig} */
export function readConfig(env = process.env) {
  const defaultDist = path.join(REPO_DIR, 'dist');
  const distDir = env.BENCH_DIST ? path.resolve(env.BENCH_DIST) : defaultDist;
  return {
    distDir,
    customDist: distDir !== defaultDist,
    seconds: number(env.BENCH_SECONDS, 15, 1, 60),
    rounds: number(env.BENCH_ROUNDS, 15, 1, 60),
    warmupSeconds: number(env.BENCH_WARMUP_SECONDS, 1, 0, 30),
    connections: number(env.BENCH_CONNECTIONS, 10, 1, 200),
    startupRuns: number(env.BENCH_STARTUP_RUNS, 20, 3, 200),
    startupWarmups: number(env.BENCH_STARTUP_WARMUPS, 3, 0, 20),
    microSeconds: number(env.BENCH_MICRO_SECONDS, 2, 0.5, 30),
    triggerRuns: number(env.BENCH_TRIGGER_RUNS, 5, 1, 30),
    journalDeliveries: number(env.BENCH_JOURNAL_DELIVERIES, 100_000, 1_000, 1_000_000),
    memoryDeliveries: number(env.BENCH_MEMORY_DELIVERIES, 100_000, 1_000, 1_000_000),
    handlerPath: path.join(BENCH_DIR, 'fixtures', 'handler.ts'),
  };
}

/** A `file:` URL for a module of the built package, e.g. distUrl(config, 'receiver/start-receiver.js'). */
export function distUrl(distDir, relative) {
  return pathToFileURL(path.join(distDir, relative)).href;
}

function number(raw, fallback, min, max) {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new Error(`Bench setting "${raw}" is out of range: expected a number from ${min} to ${max}.`);
  }
  return value;
}
