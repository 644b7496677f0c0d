import { execa, type ResultPromise } from 'execa';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait-for.js';

export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));
export const binPath = join(projectRoot, 'bin', 'webhook-dev.js');

export type JsonRecord = { type: string } & Record<string, any>;

export interface CliRun {
  proc: ResultPromise;
  pid: number;
  records: JsonRecord[];
  stdout(): string;
  stderr(): string;
  /** Processes started under the CLI, seen while it ran (for "nothing left behind" checks). */
  descendants: Set<number>;
  /** Their command lines (argv joined by spaces) as first seen; '' when the process was already gone. */
  descendantCommands: Map<number, string>;
  waitForRecord(predicate: (record: JsonRecord) => boolean, timeoutMs?: number, description?: string): Promise<JsonRecord>;
  exit(): Promise<{ exitCode: number | undefined; signal: string | undefined }>;
  kill(signal?: NodeJS.Signals): void;
}

const running = new Set<CliRun>();

/**
 * Runs the built `webhook-dev` binary as a user would. The Stripe CLI it starts gets its config
 * folder in a temp dir (XDG_CONFIG_HOME) so no test touches a real login.
 */
export function runCli(args: string[], { env = {}, cwd = projectRoot }: { env?: Record<string, string | undefined>; cwd?: string } = {}): CliRun {
  if (!existsSync(join(projectRoot, 'dist', 'bundle', 'main.js'))) throw new Error('dist/ is missing: run "npm run build" (npm test does it).');
  const configHome = mkdtempSync(join(tmpdir(), 'webhook-dev-e2e-'));
  const proc = execa(process.execPath, [binPath, ...args], {
    cwd,
    env: { XDG_CONFIG_HOME: configHome, STRIPE_CLI_TELEMETRY_OPTOUT: '1', NO_COLOR: '1', ...env },
    extendEnv: true,
    reject: false,
    stdin: 'ignore',
    buffer: false,
  });
  const pid = proc.pid!;
  let out = '';
  let err = '';
  let partial = '';
  const records: JsonRecord[] = [];
  proc.stdout!.setEncoding('utf8');
  proc.stderr!.setEncoding('utf8');
  proc.stdout!.on('data', (chunk: string) => {
    out += chunk;
    partial += chunk;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim().startsWith('{')) {
        try {
          records.push(JSON.parse(line) as JsonRecord);
        } catch {
          // Not a record: tests that need pure NDJSON assert on stdout() themselves.
        }
      }
    }
  });
  proc.stderr!.on('data', (chunk: string) => (err += chunk));

  const descendants = new Set<number>();
  const descendantCommands = new Map<number, string>();
  const poll = setInterval(() => {
    for (const child of listDescendants(pid)) {
      descendants.add(child);
      if (!descendantCommands.has(child)) descendantCommands.set(child, commandLine(child));
    }
  }, 50);
  const exited = proc.then((result) => {
    clearInterval(poll);
    rmSync(configHome, { recursive: true, force: true });
    return { exitCode: result.exitCode, signal: result.signal };
  });

  const run: CliRun = {
    proc,
    pid,
    records,
    descendants,
    descendantCommands,
    stdout: () => out,
    stderr: () => err,
    waitForRecord: (predicate, timeoutMs = 20_000, description = 'a matching JSON record') =>
      waitFor(() => records.find(predicate), { timeoutMs, description: `${description}\nstderr so far:\n${err}\nstdout so far:\n${out}` }),
    exit: () => exited,
    kill: (signal = 'SIGINT') => {
      for (const child of listDescendants(pid)) descendants.add(child);
      proc.kill(signal);
    },
  };
  running.add(run);
  void exited.then(() => running.delete(run));
  return run;
}

/**
 * For afterEach: stop any CLI a test left running. SIGTERM first, so it removes its session file and
 * stops its children itself; after a deadline, SIGKILL it and everything under it.
 */
// An options object, not a bare number: `afterEach(killAllRuns)` passes vitest's test context.
export async function killAllRuns({ graceMs = 5_000 }: { graceMs?: number } = {}): Promise<void> {
  await Promise.all(
    [...running].map(async (run) => {
      for (const child of listDescendants(run.pid)) run.descendants.add(child);
      run.proc.kill('SIGTERM');
      const exited = await Promise.race([run.exit().then(() => true), new Promise<false>((resolve) => setTimeout(resolve, graceMs, false))]);
      if (!exited) {
        for (const child of listDescendants(run.pid)) {
          run.descendants.add(child);
          tryKill(child);
        }
        run.proc.kill('SIGKILL');
        await run.exit();
      }
      for (const child of run.descendants) tryKill(child);
    }),
  );
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z /.test(stat); // a zombie has exited
  } catch {
    return false;
  }
}

function tryKill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/** Every process whose parent chain leads to `root`, read from /proc (Linux). */
function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '';
  }
}

export function listDescendants(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // exited while we looked
    }
  }
  const found: number[] = [];
  const frontier = [root];
  while (frontier.length > 0) {
    const current = frontier.pop()!;
    for (const [pid, ppid] of parents) {
      if (ppid === current) {
        found.push(pid);
        frontier.push(pid);
      }
    }
  }
  return found;
}
