/**
 * `webhook-dev trigger <event> --offline --handler …` from spawn to exit, against the plain Stripe
 * CLI sequence it replaces (stripe-cli-sequence.js), measured in the same run. The two alternate,
 * and which goes first alternates too, so drift hits both; medians are compared so one slow run
 * does not count. A run that fails is never a time: the whole measurement is then invalid.
 *
 * Each run is also stamped at its phases (webhook-dev's Ready banner and trigger verdict lines;
 * the baseline's steps), so a missed goal comes with where the time went.
 */
import { distUrl } from './config.js';
import { median } from './startup.js';
import { discoverTriggerEvents, runStripeCliSequence } from './stripe-cli-sequence.js';
import { stripeCliBinaryPath } from './stripe-cli-binary.js';
import { makeTempDir, removeTempDir } from './temp-dirs.js';
import { spawnTimed } from './timed-child.js';
import { within } from './within.js';

export const TRIGGER = 'payment_intent.succeeded';

const TRIGGER_PATTERN = TRIGGER.replaceAll('.', '\\.');

/**
 * webhook-dev's plain (non-TTY) output: the progress lines before the banner (each printed as its
 * step starts), the banner's first line, the trigger's start and verdict.
 */
const WEBHOOK_DEV_MARKS = {
  // The session starts the handler, CLI lookup and emulator together, then `stripe listen`.
  starting: /^\S+ (Loading the handler and starting|Starting…)/,
  startListen: /^\S+ Starting stripe listen/,
  ready: /^\S+ Ready\b/,
  triggerStart: new RegExp(`^\\S+ trigger ${TRIGGER_PATTERN}$`),
  triggerDone: new RegExp(`^\\S+ trigger ${TRIGGER_PATTERN} (passed|failed|timed out)`),
};

/**
 * @typedef {object} WebhookDevPhases  ms from spawn; NaN when the line was not seen (its text changed?)
 * @property {number} starting      `› Starting…`, the first sign of life
 * @property {number} startListen   `› Starting stripe listen…`: handler/CLI lookup/emulator done
 * @property {number} ready         the Ready banner
 * @property {number} triggerStart  `▶ trigger …`
 * @property {number} triggerDone   `✓ trigger … passed`
 * @property {number} exit
 *
 * @typedef {object} TriggerTimingResult
 * @property {number} webhookDevMs   median spawn-to-exit of webhook-dev trigger
 * @property {number} stripeCliMs    median of the plain Stripe CLI sequence
 * @property {number} runs
 * @property {string[]} events        what the emulator sends for the trigger (the baseline waits for all)
 * @property {{ webhookDev: WebhookDevPhases, stripeCli: import('./stripe-cli-sequence.js').SequencePhases } | null} phases  medians
 * @property {boolean} valid
 * @property {string} [problem]
 */

/**
 * @param {object} options
 * @param {string} options.cliPath      bin/webhook-dev.js, or dist/bundle/main.js of another build
 * @param {string} options.distDir      for the emulator the baseline starts
 * @param {string} options.handlerPath  a handler that returns at once
 * @param {string} options.cwd
 * @param {number} options.runs
 * @param {number} [options.warmups]
 * @param {number} [options.timeoutMs]  per run (webhook-dev) or per phase (baseline)
 * @param {(message: string) => void} [options.log]
 * @returns {Promise<TriggerTimingResult>}
 */
export async function measureTriggerTiming({ cliPath, distDir, handlerPath, cwd, runs, warmups = 1, timeoutMs = 60_000, log = () => {} }) {
  const invalid = (problem, events = []) => ({ webhookDevMs: NaN, stripeCliMs: NaN, runs: 0, events, phases: null, valid: false, problem });
  let startEmulator;
  let stripeBin;
  let events;
  try {
    ({ startEmulator } = await import(distUrl(distDir, 'emulator/start-emulator.js')));
    stripeBin = stripeCliBinaryPath();
    events = await discoverTriggerEvents({ startEmulator, stripeBin, trigger: TRIGGER, timeoutMs });
  } catch (error) {
    return invalid(`setting up the baseline (emulator, Stripe CLI, what ${TRIGGER} sends): ${error instanceof Error ? error.message : String(error)}`);
  }
  if (events.length === 0) return invalid(`the emulator published no event for stripe trigger ${TRIGGER}`);
  log(`  ${TRIGGER} sends: ${events.join(', ')}`);

  const webhookDev = () => runWebhookDevTrigger({ cliPath, handlerPath, cwd, timeoutMs });
  const stripeCli = () => runStripeCliSequence({ startEmulator, stripeBin, trigger: TRIGGER, events, timeoutMs });
  /** @type {{ webhookDev: any[], stripeCli: any[] }} */
  const measured = { webhookDev: [], stripeCli: [] };
  const total = warmups + runs;
  for (let i = 0; i < total; i++) {
    const warm = i < warmups;
    log(`  ${warm ? 'warm-up' : `run ${i - warmups + 1}/${runs}`}`);
    const order = i % 2 === 0 ? [['webhookDev', webhookDev], ['stripeCli', stripeCli]] : [['stripeCli', stripeCli], ['webhookDev', webhookDev]];
    for (const [key, run] of order) {
      const result = await run();
      if (!result.ok) return invalid(`${key === 'webhookDev' ? 'webhook-dev trigger' : 'stripe listen + stripe trigger'}: ${result.problem}`, events);
      if (!warm) measured[key].push(result);
    }
  }
  return {
    webhookDevMs: median(measured.webhookDev.map((r) => r.ms)),
    stripeCliMs: median(measured.stripeCli.map((r) => r.ms)),
    runs,
    events,
    phases: { webhookDev: medianPhases(measured.webhookDev), stripeCli: medianPhases(measured.stripeCli) },
    valid: true,
  };
}

/**
 * One `webhook-dev trigger … --offline` run. It inherits the environment, as a user's shell
 * would, but gets its own config folder so nothing a previous run wrote can make this one faster.
 * @returns {Promise<{ ok: true, ms: number, phases: WebhookDevPhases } | { ok: false, problem: string }>}
 */
export async function runWebhookDevTrigger({ cliPath, handlerPath, cwd, timeoutMs = 60_000 }) {
  const configHome = await makeTempDir('webhook-dev-bench-config-');
  const env = { ...process.env, XDG_CONFIG_HOME: configHome, STRIPE_CLI_TELEMETRY_OPTOUT: '1' };
  const args = [cliPath, 'trigger', TRIGGER, '--offline', '--handler', handlerPath];
  // Its own process group: webhook-dev starts `stripe listen`, which must not outlive a kill.
  const child = spawnTimed(process.execPath, args, { env, cwd, group: true });
  const optional = (pattern) => child.waitForLine(pattern, timeoutMs).catch(() => NaN);
  const marks = Object.fromEntries(Object.entries(WEBHOOK_DEV_MARKS).map(([name, pattern]) => [name, optional(pattern)]));
  try {
    const exit = await within(child.exited, timeoutMs, 'webhook-dev trigger');
    const output = () => `\n  ${child.recentLines().slice(-12).join('\n  ')}`;
    if (exit.code !== 0) return { ok: false, problem: `exited ${exit.code ?? exit.signal} (a failed run is not a time):${output()}` };
    // Exiting while its stripe listen still runs would leave work undone that the baseline pays for.
    // (A grandchild that just exited can linger a moment as a zombie until init reaps it.)
    if (!(await becomes(() => !child.groupAlive(), 1_000))) return { ok: false, problem: `exited 0 but left a child process running (its stripe listen?):${output()}` };
    const at = async (name) => (await marks[name]) - child.startedAt;
    /** @type {WebhookDevPhases} */
    const phases = /** @type {any} */ ({});
    for (const name of Object.keys(WEBHOOK_DEV_MARKS)) phases[name] = await at(name);
    phases.exit = exit.at - child.startedAt;
    return { ok: true, ms: phases.exit, phases };
  } catch (error) {
    return { ok: false, problem: error instanceof Error ? error.message : String(error) };
  } finally {
    child.kill();
    await removeTempDir(configHome);
  }
}

/** Median of each phase over the runs; a phase whose line was never seen stays NaN. */
function medianPhases(results) {
  const names = Object.keys(results[0]?.phases ?? {});
  return Object.fromEntries(
    names.map((name) => {
      const seen = results.map((r) => r.phases[name]).filter(Number.isFinite);
      return [name, seen.length > 0 ? median(seen) : NaN];
    }),
  );
}

/** Polls `condition` until it holds or `ms` pass; resolves with whether it held. */
async function becomes(condition, ms, everyMs = 20) {
  const deadline = performance.now() + ms;
  while (!condition()) {
    if (performance.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return true;
}
