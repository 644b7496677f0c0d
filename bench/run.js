/**
 * `npm run bench`: measures, in one run, what webhook-dev costs compared with what users would
 * otherwise run, and checks it against the goals in report.js.
 *
 *   node bench/run.js [--check] [--json] [--profile]
 *     --check    exit 1 when a goal is missed or a run is invalid (default: always exit 0)
 *     --json     print a JSON summary on stdout (the table then goes to stderr)
 *     --profile  afterwards, load the full-path receiver and the forwarding receiver again, each
 *                under `node --cpu-prof`, and print where their time goes
 *
 *   BENCH_SECONDS (15), BENCH_ROUNDS (15), BENCH_WARMUP_SECONDS (1), BENCH_CONNECTIONS (10),
 *   BENCH_STARTUP_RUNS (20), BENCH_STARTUP_WARMUPS (3), BENCH_TRIGGER_RUNS (5), BENCH_MICRO_SECONDS (2),
 *   BENCH_JOURNAL_DELIVERIES (100000), BENCH_MEMORY_DELIVERIES (100000),
 *   BENCH_DIST (../dist; a build elsewhere needs package.json and node_modules next to it): see config.js.
 *
 * Everything stays on 127.0.0.1; each server under test (and the app the forwarding proxies send
 * to), and each command the trigger timing runs, is a child process, killed at the end, on error
 * and on Ctrl-C.
 */
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { distUrl, readConfig, REPO_DIR } from './config.js';
import { measureThroughput } from './load.js';
import { buildEventPayload, randomSecret } from './payload.js';
import { summarizeProfileDir } from './profile.js';
import { evaluateGoals, formatReport, jsonSummary } from './report.js';
import { killAllServers, spawnServer } from './servers/spawn-server.js';
import { startWebhookDevProcess } from './servers/webhook-dev-process.js';
import { measureStartup } from './startup.js';
import { makeTempDir, removeAllTempDirsSync, removeTempDir } from './temp-dirs.js';
import { measureTriggerTiming } from './trigger-timing.js';
import { measureVerifiers } from './verify-micro.js';
import { measureInstallSize } from './install-size.js';
import { measureJournalQuery } from './journal-query.js';
import { measureSessionMemory } from './session-memory.js';
import { createRequire } from 'node:module';

const STRIPE_CLI_VERSION = createRequire(import.meta.url)('../package.json').dependencies['@stripe/cli'];

const SERVERS = [
  { key: 'bare', name: 'bare node:http', script: 'bare-node.js' },
  { key: 'express', name: 'Stripe docs Express sample', script: 'express-docs.js' },
  { key: 'webhookDev', name: 'webhook-dev listen --handler --json (whole process)', whole: true },
  { key: 'webhookDevNoJournal', name: 'webhook-dev listen --handler --json --no-journal (whole process)', whole: true, args: ['--no-journal'] },
];

/** Verify-and-forward proxies, loaded like the receivers; both send to the one FORWARD_APP. */
const PROXIES = [
  { key: 'baseline', name: 'node:http + fetch proxy', script: 'forward-baseline.js' },
  { key: 'webhookDev', name: 'webhook-dev --forward-to', script: 'webhook-dev-forward.js' },
];
const FORWARD_APP = { name: 'forward target app', script: 'forward-target.js' };

const REQUIRED_MODULES = [
  'signature/sign-payload.js',
  'signature/verify-signature.js',
  'receiver/start-receiver.js',
  'forwarder/create-forwarder.js',
  'runner/load-handler.js',
  'runner/run-handler.js',
  'render/json-reporter.js',
  'bundle/main.js',
  'emulator/start-emulator.js',
];

/** A problem with how the bench was started (no build): its message is the whole story. */
class SetupError extends Error {}

const flags = new Set(process.argv.slice(2));
const log = (message) => process.stderr.write(`${message}\n`);

process.on('exit', () => {
  killAllServers();
  removeAllTempDirsSync();
});
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
  process.on(signal, () => {
    log(`\n${signal}: stopping the servers under test`);
    killAllServers();
    process.exit(code);
  });
}

try {
  process.exitCode = await main();
} catch (error) {
  log(`bench failed: ${error instanceof SetupError ? error.message : error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 2;
} finally {
  killAllServers();
}

async function main() {
  const config = readConfig();
  await assertBuilt(config.distDir);
  const { signPayload } = await import(distUrl(config.distDir, 'signature/sign-payload.js'));
  const secret = randomSecret();
  const body = buildEventPayload();
  // Signed with the current time, afresh for each load slice, so even long BENCH_SECONDS settings
  // stay inside the 300 s tolerance that every server under test enforces.
  const sign = () => signPayload(body, { secret });
  const start = { type: 'start', secret, distDir: config.distDir, handlerPath: config.handlerPath };
  const cliPath = config.customDist ? path.join(config.distDir, 'bundle', 'main.js') : path.join(REPO_DIR, 'bin', 'webhook-dev.js');
  const whole = (execArgv, args = []) => startWebhookDevProcess({ cliPath, handlerPath: config.handlerPath, signPayload, body, execArgv, args });

  log(`receiver: ${SERVERS.map((s) => s.name).join(', ')} …`);
  const throughput = await loadServers(SERVERS, { config, start, body, sign, whole });

  log(`forward: ${PROXIES.map((s) => s.name).join(', ')} → a bare node:http app …`);
  const forward = await loadProxies(PROXIES, { config, start, body, sign });

  log(`journal: events --type 'charge.*' --limit 20 on a ${config.journalDeliveries.toLocaleString('en-US')}-delivery journal vs --help …`);
  const journalQuery = await measureJournalQuery({ cliPath, distDir: config.distDir, body, deliveries: config.journalDeliveries, runs: config.startupRuns, warmups: config.startupWarmups });

  log(`memory: the listen process over ${config.memoryDeliveries.toLocaleString('en-US')} deliveries after a warm-up …`);
  const memory = await measureSessionMemory({ start: () => whole([]), body, deliveries: config.memoryDeliveries, warmup: 5_000, connections: config.connections }).catch((error) => ({
    valid: false,
    problem: String(error),
    warmup: 0,
    deliveries: 0,
    rssAfterWarmupBytes: NaN,
    rssAfterBytes: NaN,
    growthBytes: NaN,
    journalBytesPerDelivery: NaN,
    seconds: 0,
  }));

  log('start-up: node -e 0 vs webhook-dev --help …');
  const startup = await measureStartup({ cliPath, runs: config.startupRuns, warmups: config.startupWarmups });

  log('trigger: webhook-dev trigger --offline vs stripe listen + stripe trigger …');
  // A project of its own, as a new user's: run in the repo, the timing grew with the repo's own
  // journal (every bench and manual run adds a session; 1,226 of them had added 300 ms).
  const triggerProject = await makeTempDir('webhook-dev-bench-project-');
  await writeFile(path.join(triggerProject, 'package.json'), '{"name":"bench-trigger","private":true}\n');
  const trigger = await measureTriggerTiming({
    cliPath,
    distDir: config.distDir,
    handlerPath: config.handlerPath,
    cwd: triggerProject,
    runs: config.triggerRuns,
    log,
  }).finally(() => removeTempDir(triggerProject));

  log('install: npm install of the packed package vs @stripe/cli alone …');
  const install = await measureInstallSize({ repoDir: REPO_DIR, stripeCliVersion: STRIPE_CLI_VERSION }).catch((error) => ({ valid: false, problem: String(error), packageBytes: NaN, stripeCliBytes: NaN, tarballBytes: NaN, packages: 0 }));

  log('verify: webhook-dev verifySignature vs stripe verifyHeader …');
  const micro = await measureVerifiers({ distDir: config.distDir, payload: body, signature: sign(), secret, seconds: config.microSeconds });

  const results = {
    machine: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model.trim() ?? 'unknown', platform: `${process.platform}-${process.arch}` },
    settings: {
      seconds: config.seconds,
      rounds: config.rounds,
      warmupSeconds: config.warmupSeconds,
      connections: config.connections,
      payloadBytes: body.length,
      startupRuns: config.startupRuns,
      triggerRuns: config.triggerRuns,
      distDir: config.distDir,
    },
    throughput,
    forward,
    startup,
    trigger,
    micro,
    install,
    journalQuery,
    memory,
  };
  const verdicts = evaluateGoals(results);
  const report = formatReport(results, verdicts);
  if (flags.has('--json')) {
    log(`\n${report}`);
    process.stdout.write(`${JSON.stringify(jsonSummary(results, verdicts), null, 2)}\n`);
  } else {
    process.stdout.write(`\n${report}\n`);
  }

  if (flags.has('--profile')) {
    const context = { config, start, body, sign, whole };
    const only = (servers) => servers.filter((s) => s.key === 'webhookDev');
    log(`\n${await profile('full-path receiver', config, (execArgv) => loadServers(only(SERVERS), { ...context, execArgv }))}`);
    log(`\n${await profile('forwarding receiver', config, (execArgv) => loadProxies(only(PROXIES), { ...context, execArgv }))}`);
  }
  return flags.has('--check') && !verdicts.every((v) => v.pass) ? 1 : 0;
}

async function assertBuilt(distDir) {
  const missing = [];
  for (const file of REQUIRED_MODULES) await access(path.join(distDir, file)).catch(() => missing.push(file));
  if (missing.length > 0) {
    throw new SetupError(`${distDir} lacks ${missing.join(', ')}: run \`npm run build\` (or point BENCH_DIST at a build).`);
  }
}

/**
 * All servers run at once (an idle server costs nothing) so their measurement slices can take
 * turns; see load.js.
 */
async function loadServers(servers, { config, start, body, sign, whole, execArgv = [] }) {
  const handles = [];
  try {
    for (const server of servers) handles.push(server.whole ? await whole(execArgv, server.args) : await spawnServer({ name: server.name, script: server.script, start, execArgv }));
    const targets = handles.map((handle, i) => ({ key: servers[i].key, url: handle.url, pid: handle.pid, ...(handle.sign ? { sign: handle.sign } : {}) }));
    return await measureThroughput(targets, {
      body,
      sign,
      connections: config.connections,
      seconds: config.seconds,
      rounds: config.rounds,
      warmupSeconds: config.warmupSeconds,
      log,
    });
  } finally {
    await Promise.all(handles.map((handle) => handle.close()));
  }
}

/**
 * The app both proxies forward to runs in a process of its own, so neither proxy shares an event
 * loop with it; it is never profiled (execArgv goes to the proxies only).
 */
async function loadProxies(proxies, { config, start, body, sign, execArgv = [] }) {
  const app = await spawnServer({ name: FORWARD_APP.name, script: FORWARD_APP.script, start });
  try {
    return await loadServers(proxies, { config, start: { ...start, forwardTo: app.url }, body, sign, execArgv });
  } finally {
    await app.close();
  }
}

/**
 * @param {string} what
 * @param {import('./config.js').BenchConfig} config
 * @param {(execArgv: string[]) => Promise<Record<string, import('./load.js').LoadResult>>} load  loads webhook-dev's server alone
 */
async function profile(what, config, load) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'webhook-dev-bench-prof-'));
  try {
    log(`profile: ${what} under --cpu-prof …`);
    const { webhookDev: run } = await load(['--cpu-prof', `--cpu-prof-dir=${dir}`]);
    const note = `(${Math.round(run.eventsPerSecond)} ev/s while profiled${run.valid ? '' : ', INVALID run'})`;
    return `${await summarizeProfileDir(dir, { distDir: config.distDir, what })}\n${note}`;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
