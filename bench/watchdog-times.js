/**
 * How fast the watchdog around `stripe listen` notices a stall and recovers, with the default
 * settings: the built `webhook-dev listen --offline --json`, the real Stripe CLI, broken four ways.
 * For each, from the moment of the fault: the `stall` record (detection), the `stall` end record
 * (the replacement is ready: recovery), and the `event` record of an event published at the moment
 * of the fault (the gap delivered). Not part of `npm run bench`'s goals: a figure for the docs.
 *
 *   npm run build && node bench/watchdog-times.js            # WATCHDOG_RUNS=3 by default
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_DIR } from './config.js';

const RUNS = Math.max(1, Math.min(10, Number(process.env.WATCHDOG_RUNS ?? 3) || 3));
const BIN = path.join(REPO_DIR, 'bin', 'webhook-dev.js');

const faults = {
  'SIGKILL of the CLI': async ({ cli }) => process.kill(cli, 'SIGKILL'),
  'SIGSTOP of the CLI': async ({ cli }) => process.kill(cli, 'SIGSTOP'),
  'websocket dropped silently': async ({ control }) => control('faults', { dropSockets: true }),
  'wall clock jumps 1 h (sleep)': async ({ offsetFile }) => writeFileSync(offsetFile, '3600000'),
};

/** @param {string} name */
async function measure(name) {
  const dir = mkdtempSync(path.join(tmpdir(), 'webhook-dev-watchdog-bench-'));
  const offsetFile = path.join(dir, 'offset');
  writeFileSync(offsetFile, '0');
  const child = spawn(process.execPath, [BIN, 'listen', '--offline', '--json', '--port', '0'], {
    cwd: dir,
    env: { ...process.env, XDG_CONFIG_HOME: dir, NO_COLOR: '1', WEBHOOK_DEV_WATCHDOG: `wallClockOffsetFile=${offsetFile}` },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  /** @type {Array<{ at: number, record: any }>} */
  const records = [];
  let partial = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('{')) records.push({ at: performance.now(), record: JSON.parse(line) });
  });
  const waitFor = async (predicate, what, timeoutMs = 60_000) => {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const found = records.find(({ record }) => predicate(record));
      if (found) return found;
      if (performance.now() > deadline) throw new Error(`${name}: no ${what} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  try {
    const { record: ready } = await waitFor((r) => r.type === 'ready', 'ready record');
    const token = /Authorization: Bearer (\S+)"/.exec(readFileSync(ready.publishCurlConfig, 'utf8'))[1];
    const base = ready.publishUrl.replace(/\/events$/, '');
    const control = async (endpoint, body) => {
      const response = await fetch(`${base}/${endpoint}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return response.json();
    };
    // A few keep-alives first, as in any session that has run for a while.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const cli = stripeChild(child.pid);
    const t0 = performance.now();
    await faults[name]({ cli, control, offsetFile });
    const { id } = await control('events', { type: 'customer.created' });
    const started = await waitFor((r) => r.type === 'stall' && r.phase === 'started', 'stall record');
    const ended = await waitFor((r) => r.type === 'stall' && r.phase === 'ended', 'stall end record');
    const delivered = await waitFor((r) => r.type === 'event' && r.event?.id === id, 'gap event');
    try {
      process.kill(cli, 'SIGCONT');
    } catch {
      // replaced, so gone
    }
    return { detection: started.at - t0, recovery: ended.at - t0, delivered: delivered.at - t0 };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The `stripe listen` child of a webhook-dev process (Linux /proc). */
function stripeChild(parent) {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent && readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').includes('listen')) return Number(name);
    } catch {
      // gone meanwhile
    }
  }
  throw new Error('no stripe listen child');
}

const format = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `${(sorted[Math.floor(sorted.length / 2)] / 1000).toFixed(2)} s (max ${(sorted.at(-1) / 1000).toFixed(2)} s)`;
};

console.log(`| fault (${RUNS} runs each, default settings) | detected | replacement ready | gap event delivered |`);
console.log('|---|---|---|---|');
for (const name of Object.keys(faults)) {
  const results = [];
  for (let run = 0; run < RUNS; run += 1) results.push(await measure(name));
  console.log(`| ${name} | ${format(results.map((r) => r.detection))} | ${format(results.map((r) => r.recovery))} | ${format(results.map((r) => r.delivered))} |`);
}
