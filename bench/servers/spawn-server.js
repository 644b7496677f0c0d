/**
 * The parent side of a server under test: fork it, hand it the secret, wait for its port. Each
 * server runs in its own process so it does not share an event loop (or, on two cores, a core)
 * with autocannon. Every child is tracked so an error or Ctrl-C still kills it.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Every child the bench started and has not seen exit, with whether to kill its whole process group. */
/** @type {Map<import('node:child_process').ChildProcess, boolean>} */
const live = new Map();

/**
 * @typedef {object} ServerHandle
 * @property {string} name
 * @property {number} port
 * @property {string} url
 * @property {number | undefined} pid
 * @property {() => Promise<void>} close  polite stop (lets --cpu-prof write), SIGKILL after a grace period; idempotent
 */

/**
 * @param {object} options
 * @param {string} options.name
 * @param {string} options.script     file name under bench/servers
 * @param {Record<string, unknown>} options.start  the start message (secret, distDir, handlerPath, forwardTo)
 * @param {string[]} [options.execArgv]
 * @param {number} [options.readyTimeoutMs]
 * @returns {Promise<ServerHandle>}
 */
export async function spawnServer({ name, script, start, execArgv = [], readyTimeoutMs = 20_000 }) {
  const child = fork(fileURLToPath(new URL(script, import.meta.url)), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv,
  });
  trackChild(child);
  let closing;
  const close = () => (closing ??= stopChild(child));
  try {
    const port = await waitForReady(child, name, readyTimeoutMs, start);
    return { name, port, url: `http://127.0.0.1:${port}/webhook`, pid: child.pid, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Puts a child started elsewhere in the bench under the same exit-path guarantee. `group` is for
 * a child spawned with `detached: true` that starts children of its own (webhook-dev starting
 * `stripe listen`): SIGKILL then goes to the whole process group, so no grandchild outlives the bench.
 * @param {import('node:child_process').ChildProcess} child
 * @param {{ group?: boolean }} [options]
 */
export function trackChild(child, { group = false } = {}) {
  live.set(child, group);
  child.once('exit', () => live.delete(child));
}

/** Synchronous last resort for exit paths: SIGKILL whatever is still running. */
export function killAllServers() {
  for (const [child, group] of live) killChild(child, group);
  live.clear();
}

/** SIGKILL a child, or with `group` its whole process group (the child must have been spawned detached). */
export function killChild(child, group = false) {
  try {
    if (group && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    // Already gone: nothing left to kill.
  }
}

function waitForReady(child, name, timeoutMs, start) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`${name}: not ready within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message) => {
      if (message?.type === 'ready') finish(undefined, message.port);
      else if (message?.type === 'error') finish(new Error(`${name} failed to start:\n${message.message}`));
    };
    const onExit = (code, signal) => finish(new Error(`${name} exited before it was ready (code ${code}, signal ${signal})`));
    const onError = (error) => finish(error);
    function finish(error, port) {
      clearTimeout(timer);
      child.off('message', onMessage).off('exit', onExit).off('error', onError);
      if (error) reject(error);
      else resolve(port);
    }
    child.on('message', onMessage).once('exit', onExit).once('error', onError);
    child.send(start);
  });
}

function stopChild(child, graceMs = 5_000) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      child.send({ type: 'stop' });
    } catch {
      child.kill('SIGTERM'); // the IPC channel is already gone
    }
  });
}
