/**
 * The real Stripe CLI's two commands the emulator tests drive: a `stripe listen` kept running for
 * a whole file (closed politely, then killed), and one `stripe trigger` at a time.
 */
import { execFile, spawn } from 'node:child_process';
import { stripeCliBinaryPath, stripeCliEnv } from './stripe-cli-for-tests.js';
import { waitFor } from './wait-for.js';

export interface StripeCliTarget {
  apiBase: string;
  /** A temporary folder for the CLI's config. */
  configHome: string;
  apiKey: string;
}

export interface RunningListen {
  /** Everything the CLI printed to stdout so far (one `--> type [id]` line per event). */
  stdout(): string;
  close(): Promise<void>;
}

/** `stripe listen` with the given forwarding flags, resolved once it prints Ready!. */
export function startStripeListen(target: StripeCliTarget, forwardArgs: string[]): Promise<RunningListen> {
  return startStripeListenArgv(target, ['listen', '--api-base', target.apiBase, '--skip-update', '--all-snapshot', ...forwardArgs]);
}

/** `stripe listen` with exactly this argv (e.g. what buildListenArgs makes), resolved once it prints Ready!. */
export async function startStripeListenArgv(target: StripeCliTarget, argv: string[]): Promise<RunningListen> {
  const child = spawn(stripeCliBinaryPath(), argv, {
    env: stripeCliEnv({ configHome: target.configHome, apiKey: target.apiKey }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  // Always read stdout: unread, the CLI stalls forwarding once its pipe fills.
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const close = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitFor(() => stderr.includes('Ready!'), { timeoutMs: 15_000, description: 'stripe listen to be ready' });
  } catch (error) {
    await close();
    throw error;
  }
  return { stdout: () => stdout, close };
}

export interface CliResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** `extraEnv`: e.g. STRIPE_CLI_UNIX_SOCKET, the emulator's socket, for the meter-event triggers. */
export function runStripeTrigger(target: StripeCliTarget, name: string, extraArgs: string[] = [], extraEnv: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(stripeCliBinaryPath(), ['trigger', name, '--api-base', target.apiBase, ...extraArgs], { env: { ...stripeCliEnv({ configHome: target.configHome, apiKey: target.apiKey }), ...extraEnv }, timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
      resolve({ exitCode: code, stdout, stderr });
    });
  });
}
