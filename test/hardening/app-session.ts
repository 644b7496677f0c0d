/**
 * Shared by the hardening tests: a temp project (with its own TMPDIR, so the offline config
 * folder can be checked and never leaks into /tmp), and a `listen --offline` session that
 * forwards to a real app with a child that ignores SIGTERM (fixtures/hardening/server-with-child.mjs).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive, projectRoot, runCli, type CliRun, type JsonRecord } from '../helpers/run-cli.js';
import { unusedPort } from '../helpers/unused-port.js';

export const SERVER_WITH_CHILD = join(projectRoot, 'test/fixtures/hardening/server-with-child.mjs');

const made = new Set<string>();
const strays = new Set<number>();

export interface TempProject {
  dir: string;
  /** TMPDIR for the sessions run in it. */
  tmp: string;
  sessionFiles(): string[];
  tmpEntries(): string[];
}

export function tempProject(): TempProject {
  const dir = mkdtempSync(join(tmpdir(), 'webhook-dev-hardening-'));
  made.add(dir);
  writeFileSync(join(dir, 'package.json'), '{ "name": "hardening-fixture", "private": true }\n');
  const tmp = join(dir, 'tmp');
  mkdirSync(tmp);
  const list = (path: string) => {
    try {
      return readdirSync(path);
    } catch {
      return [];
    }
  };
  return { dir, tmp, sessionFiles: () => list(join(dir, '.webhook-dev', 'sessions')), tmpEntries: () => list(tmp) };
}

export interface AppSession {
  run: CliRun;
  ready: JsonRecord;
  port: number;
  /** The app's pid (leader of its process group) and its child that ignores SIGTERM. */
  app: number;
  child: number;
}

export interface AppSessionOptions {
  args?: string[];
  env?: Record<string, string>;
  /** The app's port (default: a free one). */
  port?: number;
}

export async function startAppSession(project: TempProject, { args = [], env = {}, port: given }: AppSessionOptions = {}): Promise<AppSession> {
  const port = given ?? (await unusedPort());
  const run = runCli(['listen', '--offline', '--json', '--port', '0', '--forward-to', `http://127.0.0.1:${port}/webhook`, ...args, '--', process.execPath, SERVER_WITH_CHILD], {
    cwd: project.dir,
    env: { TMPDIR: project.tmp, PORT: String(port), ...env },
  });
  const pids = await run.waitForRecord((r) => r.type === 'app' && /^pids \d+ \d+$/.test(r.line), 25_000, 'the app to print its pids');
  const [app, child] = (pids.line as string).split(' ').slice(1).map(Number) as [number, number];
  strays.add(app).add(child);
  const ready = await run.waitForRecord((r) => r.type === 'ready', 25_000, 'the ready record');
  return { run, ready, port, app, child };
}

/** Processes a test expects gone, for afterEach to kill should the test fail first. */
export function trackStray(...pids: number[]): void {
  for (const pid of pids) strays.add(pid);
}

export function cleanUpHardening(): void {
  for (const pid of strays) {
    try {
      if (isAlive(pid)) process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  strays.clear();
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
  made.clear();
}

/** The command line a process runs with, as the kernel shows it to every user on the machine. */
export function readCmdline(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return undefined;
  }
}
