/**
 * (c): the whole `webhook-dev listen --offline --handler … --json` process, as users run it: the
 * Stripe CLI session up (offline, against the emulator), the control stream on, the handler in
 * its worker, and every JSON record written to a file (not a pipe the bench would have to drain).
 * The load goes straight to its receiver, signed with the session's own secret (`--show-secret`
 * puts it in the ready record). It runs in a temp project of its own, so its journal
 * (`.webhook-dev/journal/`, on unless `args` has --no-journal) is written there and removed after.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { killChild, trackChild } from './spawn-server.js';

/**
 * @param {{ cliPath: string, handlerPath: string, signPayload: (body: string, options: { secret: string }) => string, body: string, execArgv?: string[], args?: string[], readyTimeoutMs?: number }} options
 */
export async function startWebhookDevProcess({ cliPath, handlerPath, signPayload, body, execArgv = [], args = [], readyTimeoutMs = 60_000 }) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'webhook-dev-bench-process-'));
  await writeFile(path.join(dir, 'package.json'), '{"name":"bench-project"}\n');
  const cwd = dir;
  const recordsFile = path.join(dir, 'records.ndjson');
  const out = await open(recordsFile, 'w');
  const child = spawn(process.execPath, [...execArgv, cliPath, 'listen', '--offline', '--port', '0', '--handler', handlerPath, '--json', '--show-secret', ...args], {
    cwd,
    // Its own process group: `stripe listen` under it dies with it, whatever happens to the bench.
    detached: true,
    stdio: ['ignore', out.fd, 'ignore'],
    env: { ...process.env, XDG_CONFIG_HOME: dir, STRIPE_CLI_TELEMETRY_OPTOUT: '1' },
  });
  trackChild(child, { group: true });
  await out.close();
  let closing;
  const close = () =>
    (closing ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGINT');
        const timer = setTimeout(() => killChild(child, true), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
    })());
  try {
    const ready = await waitForReady(recordsFile, child, readyTimeoutMs);
    return {
      name: 'webhook-dev listen --handler --json (whole process)',
      url: ready.receiverUrl,
      pid: child.pid,
      sign: () => signPayload(body, { secret: ready.secret }),
      /** How many event records the process wrote, and how many were not `ok`. */
      async countRecords() {
        const lines = (await readFile(recordsFile, 'utf8')).split('\n').filter((line) => line.startsWith('{"type":"event"'));
        return { events: lines.length, notOk: lines.filter((line) => !line.includes('"outcome":"ok"')).length };
      },
      /** Resident memory of the webhook-dev process (Linux /proc), in bytes. */
      async rssBytes() {
        const status = await readFile(`/proc/${child.pid}/status`, 'utf8');
        return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN) * 1024;
      },
      /** The journal's files and their total size. */
      async journal() {
        const journalDir = path.join(dir, '.webhook-dev', 'journal');
        const names = await readdir(journalDir).catch(() => []);
        const sizes = await Promise.all(names.map(async (name) => (await stat(path.join(journalDir, name))).size));
        const indexLines = await Promise.all(names.filter((name) => name.endsWith('.idx')).map(async (name) => (await readFile(path.join(journalDir, name), 'utf8')).split('\n').filter(Boolean).length));
        return { bytes: sizes.reduce((a, b) => a + b, 0), deliveries: indexLines.reduce((a, b) => a + b, 0) };
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

async function waitForReady(file, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`webhook-dev listen exited (code ${child.exitCode}) before it was ready:\n${await readFile(file, 'utf8').catch(() => '')}`);
    const text = await readFile(file, 'utf8').catch(() => '');
    const line = text.split('\n').find((l) => l.startsWith('{"type":"ready"'));
    if (line) return JSON.parse(line);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`webhook-dev listen was not ready within ${timeoutMs} ms`);
}
