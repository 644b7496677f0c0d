/**
 * Runs the user's app (the command after `--`) as a child whose output is handed over line by
 * line, and which can be stopped together with everything it started.
 *
 * The command is run as argv, without a shell: `-- npm run dev` arrives as ['npm', 'run', 'dev']
 * and runs exactly that, with no second round of quoting or globbing. `-- "npm run dev"` (one word
 * with spaces) is therefore a command that does not exist, and the error says so.
 */
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa, type Result } from 'execa';
import { AppNotReadyError, UsageError } from '../errors.js';
import { readLines } from '../process/read-lines.js';
import type { ChildWatcher } from '../process/start-watchdog.js';
import { redactSecrets } from '../secrets.js';
import { createRecentLines } from '../stripe-cli/recent-lines.js';
import { isProcessGroupAlive, signalProcessGroup } from './process-group.js';
import { stopProcessGroup } from './stop-process-group.js';

export type AppStream = 'stdout' | 'stderr';

export interface StartAppOptions {
  /** argv: ['npm', 'run', 'dev'], ['node', 'app.js']. */
  command: string[];
  /** The app's whole environment (the caller adds the secret variable); nothing else is inherited. */
  env: Record<string, string | undefined>;
  cwd?: string;
  /** Every line the app prints, without its line break, secrets already masked. */
  onLine?: (stream: AppStream, line: string) => void;
  /** How long stop() waits after SIGTERM before SIGKILL. */
  graceMs?: number;
  /** Told of the app's process group at once, and when it is gone (the session's watchdog). */
  watch?: ChildWatcher;
}

export interface AppExit {
  exitCode?: number;
  signal?: string;
}

export interface AppHandle {
  pid: number;
  /**
   * Settles when the app (the process we started) exits, for whatever reason, once its output has
   * been handed to onLine. Processes it started may still be running: call stop().
   */
  exited: Promise<AppExit>;
  /** The last ~20 lines it printed on either stream, secrets masked, oldest first. */
  recentLines(): string[];
  /**
   * SIGTERM to the app's whole process group, SIGKILL to the group after graceMs; resolves when
   * the app has exited and no process of its group is left. Safe to call twice, and after the
   * app exited on its own (which stops what it left behind).
   */
  stop(): Promise<void>;
  /** The same as stop(), for code that closes every handle it holds. */
  close(): Promise<void>;
}

/** After the app exits, how long to wait for its pipes to end (a grandchild may hold them open). */
const DRAIN_MS = 200;

export async function startApp({ command, env, cwd = process.cwd(), onLine, graceMs = 5_000, watch }: StartAppOptions): Promise<AppHandle> {
  const [file, ...args] = command;
  if (file === undefined || file === '') throw new UsageError('No command given after "--".', { hint: 'Example: webhook-dev listen -- npm run dev' });

  const subprocess = execa(file, args, {
    env,
    extendEnv: false,
    cwd,
    stdin: 'ignore',
    buffer: false,
    reject: false,
    // A group of its own, so stop() reaches every process the app starts (npm → sh → node).
    detached: true,
    // execa's kill(), its forceKillAfterDelay and its cancelSignal signal the leader's pid alone,
    // which would leave what the app started (npm → sh → node) running; stop() signals the whole
    // group (kill(-pgid)) in the same two steps instead, so execa's timer is off.
    forceKillAfterDelay: false,
    windowsHide: true,
  });
  // Node knows synchronously when the executable cannot be spawned; the details arrive with the result.
  if (subprocess.pid === undefined) throw startFailure(command, cwd, await subprocess);
  const pid = subprocess.pid;
  watch?.watch({ pid, group: true });

  const recent = createRecentLines(20);
  const lineHandler = (stream: AppStream) => (raw: string) => {
    const line = redactSecrets(raw);
    recent.push(line);
    onLine?.(stream, line);
  };
  const streamsEnded = Promise.all([
    readLines(subprocess.stdout, lineHandler('stdout')),
    readLines(subprocess.stderr, lineHandler('stderr')),
  ]);

  let leaderExited = false;
  const leaderExit = new Promise<AppExit>((resolve) => {
    subprocess.once('exit', (exitCode, signal) => {
      leaderExited = true;
      resolve({ ...(exitCode === null ? {} : { exitCode }), ...(signal === null ? {} : { signal }) });
    });
  });
  const exited = leaderExit.then(async (exit) => {
    await Promise.race([streamsEnded, sleep(DRAIN_MS, undefined, { ref: false })]);
    return exit;
  });

  // Detached children are out of reach of execa's cleanup and of the terminal's Ctrl-C, so if this
  // process exits without stop() having run (an uncaught exception, process.exit() somewhere), this
  // last-resort hook kills the group. It must be synchronous: 'exit' listeners cannot await.
  // It cannot help when this process itself is SIGKILLed: the watchdog (`watch`) covers that.
  const killOnExit = (): void => {
    signalProcessGroup(pid, 'SIGKILL');
  };
  process.on('exit', killOnExit);
  let groupGone = false;
  const forgetGroup = (): void => {
    // Once the group is gone its id may be reused; never signal it again.
    groupGone = true;
    process.off('exit', killOnExit);
    watch?.forget({ pid, group: true });
  };
  void leaderExit.then(async () => {
    if (!(await isProcessGroupAlive(pid))) forgetGroup();
  });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (!groupGone) {
        const gone = await stopProcessGroup(pid, { leaderExited: () => leaderExited, graceMs });
        if (gone) forgetGroup();
      }
      if (leaderExited) await exited;
      // A process that left the group (setsid) could keep the pipes, and with them this process, alive.
      subprocess.stdout?.destroy();
      subprocess.stderr?.destroy();
    })();
    return stopping;
  };

  return { pid, exited, recentLines: () => recent.lines(), stop, close: stop };
}

function startFailure(command: string[], cwd: string, result: Result): AppNotReadyError {
  const file = redactSecrets(command[0] ?? '');
  const code = (result as { code?: string }).code;
  const reason = redactSecrets(result.originalMessage ?? result.shortMessage ?? 'no reason given');
  if (code === 'ENOENT' && !existsSync(cwd)) {
    return new AppNotReadyError(`Cannot start the app: its folder ${cwd} does not exist.`, { hint: 'Run webhook-dev from your project folder.' });
  }
  if (code === 'ENOENT') {
    const oneWord =
      command.length === 1 && /\s/.test(file)
        ? ` "${file}" is a single word with spaces; pass the command and its arguments as separate words: -- npm run dev, not -- "npm run dev".`
        : '';
    return new AppNotReadyError(`Cannot start the app: the command "${file}" was not found.`, {
      hint: `Check that it is installed and on your PATH, or give its path (./node_modules/.bin/…, or -- npx ${file}).${oneWord}`,
      details: [reason],
    });
  }
  if (code === 'EACCES') {
    return new AppNotReadyError(`Cannot start the app: "${file}" is not executable.`, {
      hint: `Make it executable (chmod +x ${file}) or run it with its interpreter, e.g. -- node ${file}.`,
      details: [reason],
    });
  }
  return new AppNotReadyError(`Cannot start the app "${file}": ${reason}`, { hint: 'Check the command after "--".' });
}
