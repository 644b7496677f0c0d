/**
 * Turns measurements into goal verdicts and a table. Pure: no I/O, so the printing choice
 * (table on stdout, or table on stderr and JSON on stdout) stays in run.js.
 */

/** The goals this bench holds webhook-dev to. */
export const GOALS = {
  vsBare: 0.2, // full path ≥ 0.20 × bare node:http
  vsExpress: 2, // full path ≥ 2 × the Stripe docs Express sample
  forward: 0.7, // listen --forward-to path ≥ 0.7 × a node:http + fetch verify-and-forward proxy
  startup: 1.5, // --help median ≤ 1.5 × `node -e 0` median
  trigger: 1.3, // `trigger --offline` median ≤ 1.3 × the plain Stripe CLI sequence's median
  installMB: 50, // `npm install` of the packed package into an empty project: under 50 MB (issue 10)
  journal: 0.8, // whole listen process with the journal on ≥ 0.8 × the same with --no-journal (issue 11)
  eventsQuery: 1.5, // `events --type 'charge.*' --limit 20` on 100,000 deliveries ≤ 1.5 × `--help` (issue 11)
  memoryMB: 50, // RSS growth of the listen process over 100,000 deliveries after a warm-up: under 50 MB (issue 11)
};

/**
 * @typedef {import('./load.js').LoadResult} LoadResult
 * @typedef {object} BenchResults
 * @property {{ node: string, cpus: number, cpuModel: string, platform: string }} machine
 * @property {{ seconds: number, rounds: number, warmupSeconds: number, connections: number, payloadBytes: number, startupRuns: number, triggerRuns: number }} settings
 * @property {{ bare: LoadResult, express: LoadResult, webhookDev: LoadResult }} throughput
 * @property {{ baseline: LoadResult, webhookDev: LoadResult }} forward  verify-and-forward proxies, same app behind both
 * @property {import('./startup.js').StartupResult} startup
 * @property {import('./trigger-timing.js').TriggerTimingResult} trigger
 * @property {import('./verify-micro.js').MicroResult} micro
 * @property {import('./journal-query.js').JournalQueryResult} journalQuery
 * @property {import('./session-memory.js').SessionMemoryResult} memory
 *
 * @typedef {object} GoalVerdict
 * @property {string} name
 * @property {number} ratio     NaN when a run it depends on is invalid
 * @property {string} target
 * @property {boolean} pass
 */

/** @param {BenchResults} results @returns {GoalVerdict[]} */
export function evaluateGoals({ throughput, forward, startup, trigger, install, journalQuery, memory }) {
  const { bare, express, webhookDev, webhookDevNoJournal } = throughput;
  const queryRatio = journalQuery.valid ? journalQuery.eventsMs / journalQuery.helpMs : NaN;
  const growthMB = memory.valid ? memory.growthBytes / 1e6 : NaN;
  const startupRatio = startup.valid ? startup.cliMs / startup.nodeMs : NaN;
  const triggerRatio = trigger.valid ? trigger.webhookDevMs / trigger.stripeCliMs : NaN;
  return [
    atLeast('whole listen process vs bare node:http', ratioOf(webhookDev, bare), GOALS.vsBare),
    atLeast('whole listen process vs Stripe docs Express sample', ratioOf(webhookDev, express), GOALS.vsExpress),
    atLeast('forward vs node:http + fetch proxy', ratioOf(forward.webhookDev, forward.baseline), GOALS.forward),
    atMost('start-up vs node -e 0', startupRatio, GOALS.startup),
    atMost('trigger --offline vs stripe listen + stripe trigger', triggerRatio, GOALS.trigger),
    // A size, not a ratio: the Stripe CLI binary alone (measured beside it) is most of it.
    { name: 'install size of the packed package', ratio: install.valid ? install.packageBytes / 1e6 : NaN, target: `< ${GOALS.installMB} MB`, pass: install.valid && install.packageBytes / 1e6 < GOALS.installMB },
    atLeast('whole listen process, journal on vs --no-journal', ratioOf(webhookDev, webhookDevNoJournal), GOALS.journal),
    atMost("events --type 'charge.*' --limit 20 vs --help", queryRatio, GOALS.eventsQuery),
    // A size, not a ratio: what the session keeps per delivery would show as growth.
    { name: 'listen process RSS growth over the long run', ratio: growthMB, target: `< ${GOALS.memoryMB} MB`, pass: Number.isFinite(growthMB) && growthMB < GOALS.memoryMB },
  ];
}

function ratioOf(a, b) {
  return a.valid && b.valid ? a.eventsPerSecond / b.eventsPerSecond : NaN;
}

function atLeast(name, ratio, goal) {
  return { name, ratio, target: `≥ ${goal}×`, pass: ratio >= goal };
}

function atMost(name, ratio, goal) {
  return { name, ratio, target: `≤ ${goal}×`, pass: ratio <= goal };
}

/** @param {BenchResults} results @param {GoalVerdict[]} verdicts @returns {string} */
export function formatReport(results, verdicts) {
  const { machine, settings, throughput, forward, startup, trigger, micro, install, journalQuery, memory } = results;
  const [vsBare, vsExpress, forwardGoal, startupGoal, triggerGoal, installGoal, journalGoal, queryGoal, memoryGoal] = verdicts;
  const rows = [
    ['Benchmark', 'Result', 'Ratio', 'Goal', 'Verdict'],
    ['receiver: bare node:http (a)', speed(throughput.bare), '1.00× a', 'baseline', ''],
    ['receiver: Stripe docs Express sample (b)', speed(throughput.express), ratio(ratioOf(throughput.express, throughput.bare), 'a'), 'baseline', ''],
    ['receiver: webhook-dev listen --handler --json, whole process (c)', speed(throughput.webhookDev), ratio(vsBare.ratio, 'a'), `c ${vsBare.target} a`, verdict(vsBare)],
    ['', '', ratio(vsExpress.ratio, 'b'), `c ${vsExpress.target} b`, verdict(vsExpress)],
    ['receiver: the same with --no-journal (j)', speed(throughput.webhookDevNoJournal), ratio(journalGoal.ratio, 'j'), `c ${journalGoal.target} j`, verdict(journalGoal)],
    ['receiver: CPU per event of each process (main thread)', cpuPerEvent(throughput), cpuRatio(throughput.webhookDev, throughput.bare), 'info', ''],
    ['forward: node:http + fetch proxy (f)', speed(forward.baseline), '1.00× f', 'baseline', ''],
    ['forward: webhook-dev --forward-to --json (g)', speed(forward.webhookDev), ratio(forwardGoal.ratio, 'f'), `g ${forwardGoal.target} f`, verdict(forwardGoal)],
    ['start-up: node -e 0', ms(startup.nodeMs, startup.valid), '1.00×', 'baseline', ''],
    ['start-up: webhook-dev --help', ms(startup.cliMs, startup.valid), ratio(startupGoal.ratio, ''), startupGoal.target, verdict(startupGoal)],
    ['trigger: stripe listen + stripe trigger (d)', ms(trigger.stripeCliMs, trigger.valid), '1.00× d', 'baseline', ''],
    ['trigger: webhook-dev trigger --offline (e)', ms(trigger.webhookDevMs, trigger.valid), ratio(triggerGoal.ratio, 'd'), `e ${triggerGoal.target} d`, verdict(triggerGoal)],
    ['journal: webhook-dev --help (k)', ms(journalQuery.helpMs, journalQuery.valid), '1.00× k', 'baseline', ''],
    [`journal: events --type 'charge.*' --limit 20, ${thousands(journalQuery.deliveries)} deliveries`, ms(journalQuery.eventsMs, journalQuery.valid), ratio(queryGoal.ratio, 'k'), `${queryGoal.target} k`, verdict(queryGoal)],
    ...manySessionsRow(journalQuery.smallSessions),
    ['journal: bytes per delivery (3.5 KB body)', memory.valid ? `${thousands(memory.journalBytesPerDelivery)} B` : 'INVALID', '', 'info', ''],
    [`memory: listen RSS after ${thousands(memory.warmup)} warm-up deliveries`, memory.valid ? `${(memory.rssAfterWarmupBytes / 1e6).toFixed(1)} MB` : 'INVALID', '', 'baseline', ''],
    [`memory: growth over ${thousands(memory.deliveries)} more`, memory.valid ? `${(memory.growthBytes / 1e6).toFixed(1)} MB in ${memory.seconds.toFixed(0)} s` : 'INVALID', '', memoryGoal.target, verdict(memoryGoal)],
    ['install: @stripe/cli alone (h)', mb(install.stripeCliBytes, install.valid), '1.00× h', 'baseline', ''],
    [`install: the packed webhook-dev (${install.packages} packages)`, mb(install.packageBytes, install.valid), ratio(install.packageBytes / install.stripeCliBytes, 'h'), installGoal.target, verdict(installGoal)],
    ['verify: stripe verifyHeader', ops(micro.stripeOps, micro.valid), '1.00×', 'info', ''],
    ['verify: webhook-dev verifySignature', ops(micro.webhookDevOps, micro.valid), ratio(micro.webhookDevOps / micro.stripeOps, ''), 'info', faster(micro)],
  ];
  const lines = [
    `webhook-dev bench: node ${machine.node}, ${machine.cpus} × ${machine.cpuModel} (${machine.platform})`,
    `receiver: ${settings.payloadBytes} B signed payment_intent.succeeded, ${settings.connections} connections, ` +
      `${settings.warmupSeconds} s warm-up + ${settings.seconds} s per server in ${settings.rounds} alternating slices (median slice shown)`,
    `forward: ${FORWARD_NOTE}`,
    `start-up: median of ${settings.startupRuns} alternated spawns each`,
    `trigger: ${TRIGGER_NOTE}, median of ${settings.triggerRuns} alternated runs each after 1 warm-up`,
    '',
    ...table(rows),
    '',
    ...triggerPhases(trigger),
    ...problems(results),
    `goals: ${verdicts.every((v) => v.pass) ? 'all met' : `missed: ${verdicts.filter((v) => !v.pass).map((v) => v.name).join('; ')}`}`,
  ];
  return lines.join('\n');
}

/** @param {BenchResults} results @param {GoalVerdict[]} verdicts */
export function jsonSummary(results, verdicts) {
  return { ...results, goals: verdicts.map((v) => ({ ...v, ratio: Number.isFinite(v.ratio) ? v.ratio : null })), pass: verdicts.every((v) => v.pass) };
}

/** The query again beside many short sessions: information (issue 11's goal is on the deliveries alone), its own --help run beside it. */
function manySessionsRow(measured) {
  if (!measured) return [];
  const label = `journal: the same + ${thousands(measured.sessions)} older 4-delivery sessions`;
  if (!measured.valid) return [[label, 'INVALID', '', '', '']];
  return [[label, `${measured.eventsMs.toFixed(1)} ms (median; --help ${measured.helpMs.toFixed(1)} ms)`, `${(measured.eventsMs / measured.helpMs).toFixed(2)}× --help`, 'info', '']];
}

function problems({ throughput, forward, startup, trigger, micro, install, journalQuery, memory }) {
  const lines = [];
  const loads = [...Object.entries(throughput), ...Object.entries(forward).map(([name, run]) => [`forward ${name}`, run])];
  for (const [name, run] of loads) {
    if (!run.valid) {
      lines.push(`INVALID ${name}: ${run.ok} 2xx, ${run.non2xx} non-2xx, ${run.errors} errors, ${run.timeouts} timeouts (not a speed)`);
    }
  }
  if (!startup.valid) lines.push(`INVALID start-up: ${startup.problem}`);
  if (!trigger.valid) lines.push(`INVALID trigger: ${trigger.problem}`);
  if (!micro.valid) lines.push('INVALID verify micro-benchmark: a verifier rejected the signature');
  if (!install.valid) lines.push(`INVALID install size: ${install.problem}`);
  if (!journalQuery.valid) lines.push(`INVALID journal query: ${journalQuery.problem}`);
  if (journalQuery.smallSessions && !journalQuery.smallSessions.valid) lines.push(`INVALID journal query beside short sessions: ${journalQuery.smallSessions.problem}`);
  if (!memory.valid) lines.push(`INVALID memory: ${memory.problem ?? 'not every delivery was answered 2xx and journaled'}`);
  return lines;
}

function mb(bytes, valid) {
  return valid ? `${(bytes / 1e6).toFixed(1)} MB` : 'INVALID';
}

function speed(run) {
  if (!run.valid) return 'INVALID';
  const low = Math.min(...run.slices);
  const high = Math.max(...run.slices);
  return `${thousands(run.eventsPerSecond)} ev/s (slices ${thousands(low)}–${thousands(high)}, p99 ${run.p99Ms} ms)`;
}

/** What each event cost its server in CPU, all threads (and the main thread's share): steadier than rates on a shared machine. */
function cpuPerEvent({ bare, express, webhookDev, webhookDevNoJournal }) {
  const one = (label, run) => (run?.valid && run.cpu ? `${label} ${Math.round(run.cpu.microsPerEvent)} µs (${Math.round(run.cpu.mainMicrosPerEvent)})` : `${label} n/a`);
  return [one('a', bare), one('b', express), one('c', webhookDev), one('j', webhookDevNoJournal)].join(' · ');
}

function cpuRatio(run, baseline) {
  return run?.valid && run.cpu && baseline?.valid && baseline.cpu ? `${(run.cpu.microsPerEvent / baseline.cpu.microsPerEvent).toFixed(2)}× a` : '';
}

function thousands(value) {
  return Math.round(value).toLocaleString('en-US');
}

function ms(value, valid) {
  return valid ? `${value.toFixed(1)} ms (median)` : 'INVALID';
}

function ops(value, valid) {
  return valid ? `${thousands(value)} ops/s` : 'INVALID';
}

function ratio(value, base) {
  return Number.isFinite(value) ? `${value.toFixed(2)}×${base ? ` ${base}` : ''}` : 'n/a';
}

function verdict(goal) {
  if (!Number.isFinite(goal.ratio)) return 'INVALID';
  return goal.pass ? 'PASS' : 'FAIL';
}

const FORWARD_NOTE =
  'the same signed payload and load; each proxy verifies, then sends the exact bytes to one bare node:http app ' +
  '(its own process) and answers with its status; (g) also records each event as a JSON line (discarded)';

const TRIGGER_NOTE =
  'payment_intent.succeeded with a handler that returns at once; (e) spawn to exit, (d) emulator start, ' +
  'stripe listen until Ready!, stripe trigger, every event at a bare receiver, listen stopped';

/** Where each side's time goes: median ms from its start at which it reached each phase. */
const PHASE_LABELS = {
  webhookDev: {
    starting: 'first output',
    startListen: 'CLI found + emulator up',
    ready: 'Ready',
    triggerStart: 'trigger start',
    triggerDone: 'trigger verdict',
    exit: 'exit',
  },
  stripeCli: { emulator: 'emulator + receiver up', ready: 'Ready!', triggered: 'stripe trigger exit', lastEvent: 'all events in', exit: 'listen exit' },
};

function triggerPhases(trigger) {
  if (!trigger.valid || trigger.phases === null) return [];
  const line = (phases, labels) =>
    Object.entries(labels)
      .map(([key, label]) => `${label} ${Number.isFinite(phases[key]) ? Math.round(phases[key]) : '?'}`)
      .join(' · ');
  return [
    'trigger phases, median ms from start:',
    `  (e) ${line(trigger.phases.webhookDev, PHASE_LABELS.webhookDev)}`,
    `  (d) ${line(trigger.phases.stripeCli, PHASE_LABELS.stripeCli)}`,
    `  ${trigger.events.join(', ')} sent per trigger`,
    '',
  ];
}

function faster(micro) {
  if (!micro.valid) return '';
  return micro.webhookDevOps >= micro.stripeOps ? 'webhook-dev faster' : 'stripe faster';
}

function table(rows) {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const render = (row) => row.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  return [render(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(render)];
}
