/**
 * Start-up cost: wall time from spawn to exit of `webhook-dev --help` against `node -e 0`, the
 * floor any Node CLI pays. The two are spawned alternately so drift (thermal, page cache, a
 * neighbour's load) hits both equally, and medians are compared so one slow spawn does not count.
 */
import { spawn } from 'node:child_process';

/**
 * @typedef {object} StartupResult
 * @property {number} nodeMs   median wall time of `node -e 0`
 * @property {number} cliMs    median wall time of `node <cli> --help`
 * @property {number} runs
 * @property {boolean} valid   every --help run exited 0 and printed usage
 * @property {string} [problem]
 */

/**
 * @param {object} options
 * @param {string} options.cliPath   bin/webhook-dev.js, or dist/bundle/main.js of another build
 * @param {number} options.runs
 * @param {number} options.warmups
 * @returns {Promise<StartupResult>}
 */
export async function measureStartup({ cliPath, runs, warmups }) {
  const cli = [cliPath, '--help'];
  const bare = ['-e', '0'];
  const check = await runOnce(cli, { capture: true });
  if (check.code !== 0 || !/usage/i.test(check.stdout)) {
    const output = `${check.stdout}${check.stderr}`.trim().split('\n').slice(0, 6).join('\n  ');
    return { nodeMs: NaN, cliMs: NaN, runs: 0, valid: false, problem: `${cliPath} --help exited ${check.code} without usage text:\n  ${output}` };
  }
  const pair = await compareCommands(bare, cli, { runs, warmups });
  if (!pair.valid) return { nodeMs: NaN, cliMs: NaN, runs: pair.runs, valid: false, problem: pair.problem };
  return { nodeMs: pair.baselineMs, cliMs: pair.subjectMs, runs, valid: true };
}

/**
 * Two commands (node argv each), spawned alternately after warm-ups, each run's order swapped
 * too; their median wall times.
 *
 * @param {string[]} baseline
 * @param {string[]} subject
 * @param {{ runs: number, warmups: number, cwd?: string }} options
 * @returns {Promise<{ baselineMs: number, subjectMs: number, runs: number, valid: boolean, problem?: string }>}
 */
export async function compareCommands(baseline, subject, { runs, warmups, cwd }) {
  for (let i = 0; i < warmups; i++) {
    await runOnce(baseline, { cwd });
    await runOnce(subject, { cwd });
  }
  const baselineTimes = [];
  const subjectTimes = [];
  for (let i = 0; i < runs; i++) {
    // Alternate which goes first as well, so neither always follows the other.
    const order = i % 2 === 0 ? [[baseline, baselineTimes], [subject, subjectTimes]] : [[subject, subjectTimes], [baseline, baselineTimes]];
    for (const [args, times] of order) {
      const { ms, code } = await runOnce(args, { cwd });
      if (code !== 0) return { baselineMs: NaN, subjectMs: NaN, runs: i, valid: false, problem: `node ${args.join(' ')} exited ${code}` };
      times.push(ms);
    }
  }
  return { baselineMs: median(baselineTimes), subjectMs: median(subjectTimes), runs, valid: true };
}

/** @returns {Promise<{ ms: number, code: number | null, stdout: string, stderr: string }>} */
export function runOnce(args, { capture = false, cwd = undefined } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const output = capture ? 'pipe' : 'ignore';
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', output, output] });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ ms: performance.now() - started, code, stdout, stderr });
    });
  });
}

/** @param {number[]} values */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
