/**
 * A child process whose output lines are time-stamped as they arrive, for measurements that need
 * to know not only when a command ended but when it reached each phase (ready, triggered…). Both
 * pipes are always read, so a chatty child never blocks on a full pipe, and the child is tracked
 * so an error or Ctrl-C in the bench still kills it.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { killChild, trackChild } from './servers/spawn-server.js';

/**
 * @typedef {object} TimedExit
 * @property {number | null} code
 * @property {NodeJS.Signals | null} signal
 * @property {number} at  performance.now() when the process exited
 *
 * @typedef {object} TimedChild
 * @property {number} startedAt                 performance.now() just before spawn
 * @property {Promise<TimedExit>} exited        never rejects: a spawn error counts as exit code null
 * @property {(pattern: RegExp, timeoutMs: number) => Promise<number>} waitForLine
 *   resolves with the time the first line matching `pattern` arrived (earlier lines count too);
 *   rejects on timeout or when the child exits first
 * @property {() => string[]} recentLines       the last lines of both streams, for error messages
 * @property {() => boolean} groupAlive         with `group`: whether anything in its process group still runs
 * @property {(name: NodeJS.Signals) => void} signal  a polite stop (SIGTERM, SIGINT) to the child itself
 * @property {() => void} kill                  SIGKILL (the whole group with `group`); safe to call twice
 */

/**
 * @param {string} command
 * @param {string[]} args
 * @param {object} options
 * @param {NodeJS.ProcessEnv} options.env
 * @param {string} [options.cwd]
 * @param {boolean} [options.group]  own process group, killed as a whole (for children that spawn children)
 * @param {number} [options.keepLines]
 * @returns {TimedChild}
 */
export function spawnTimed(command, args, { env, cwd, group = false, keepLines = 30 }) {
  /** @type {{ line: string, at: number }[]} */
  const lines = [];
  /** @type {Set<() => void>} */
  const watchers = new Set();
  const startedAt = performance.now();
  const child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: group });
  trackChild(child, { group });
  for (const stream of [child.stdout, child.stderr]) collectLines(stream, lines, keepLines, watchers);

  // 'close', not 'exit', ends the output: the last lines can still be in the pipes at exit.
  let outputEnded = false;
  const endOutput = () => {
    outputEnded = true;
    for (const notify of watchers) notify();
  };
  child.once('close', endOutput);
  /** @type {Promise<TimedExit>} */
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() }));
    child.once('error', (error) => {
      lines.push({ line: `spawn failed: ${error.message}`, at: performance.now() });
      resolve({ code: null, signal: null, at: performance.now() });
      endOutput();
    });
  });

  return {
    startedAt,
    exited,
    waitForLine: (pattern, timeoutMs) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`no line matching ${pattern} within ${timeoutMs} ms`)), timeoutMs);
        const check = () => {
          const hit = lines.find((entry) => pattern.test(entry.line));
          if (hit) finish(undefined, hit.at);
          else if (outputEnded) finish(new Error(`exited before printing a line matching ${pattern}`));
        };
        function finish(error, at) {
          clearTimeout(timer);
          watchers.delete(check);
          if (error) reject(error);
          else resolve(at);
        }
        watchers.add(check);
        check();
      }),
    recentLines: () => lines.slice(-keepLines).map((entry) => entry.line),
    groupAlive: () => group && child.pid !== undefined && groupHasLiveProcess(child.pid),
    signal: (name) => {
      child.kill(name);
    },
    kill: () => killChild(child, group),
  };
}

/**
 * Splits a stream into stamped lines. Only the first `keep` lines and the latest ones are needed
 * (phases are early, errors late), so the middle is dropped to keep memory bounded.
 */
function collectLines(stream, lines, keep, watchers) {
  let pending = '';
  const add = (line) => {
    lines.push({ line, at: performance.now() });
    if (lines.length > keep * 4) lines.splice(keep, lines.length - keep * 3);
  };
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    // A spinner redraws its line with a bare \r: that ends a line too.
    const parts = (pending + chunk).split(/\r\n|\n|\r/);
    pending = parts.pop() ?? '';
    for (const line of parts) add(line);
    if (parts.length > 0) for (const notify of watchers) notify();
  });
  stream.on('end', () => {
    if (pending !== '') add(pending);
    pending = '';
  });
}

/**
 * Whether a process of group `pgid` still runs. A zombie does not: it has exited and only waits
 * for init to reap it (tsx's esbuild service, orphaned when webhook-dev exits, lingers so for a
 * moment), yet `kill(-pgid, 0)` counts it. Linux reads /proc; elsewhere the signal test stands.
 */
function groupHasLiveProcess(pgid) {
  let pids;
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  }
  return pids.some((pid) => {
    try {
      // Fields after the command (which may hold spaces and parentheses): state, ppid, pgrp.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(pgrp) === pgid && state !== 'Z';
    } catch {
      return false; // gone meanwhile
    }
  });
}
