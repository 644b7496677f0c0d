/**
 * Runs `stripe listen` as a child and resolves once it prints its Ready line with the signing
 * secret; rejects with an error that says what to do when it cannot get there.
 */
import { execa } from 'execa';
import {
  StripeAuthError,
  StripeCliExitedError,
  StripeCliNotReadyError,
  StripeUnreachableError,
  type WebhookDevError,
} from '../errors.js';
import { readLines } from '../process/read-lines.js';
import type { ChildWatcher } from '../process/start-watchdog.js';
import { formatDuration } from '../render/format-duration.js';
import { redactSecrets } from '../secrets.js';
import type { StripeCliInfo } from '../types.js';
import { debugLineKind, parseListenLine, plainListenText, type ListenLine } from './parse-listen-output.js';
import { createRecentLines } from './recent-lines.js';

export interface StartStripeListenOptions {
  cli: StripeCliInfo;
  /** From buildListenArgs. */
  args: string[];
  /** From buildStripeCliEnv; used as the child's whole environment. */
  env: Record<string, string>;
  readyTimeoutMs?: number;
  /** How long close() waits after SIGTERM before SIGKILL. */
  graceMs?: number;
  /**
   * Every line the CLI prints, on either stream, before and after Ready. `text` has the terminal
   * codes removed but is NOT redacted (the Ready line carries the secret): mask before printing.
   */
  onLine?: (line: ListenLine, text: string) => void;
  /**
   * With `--log-level debug` in args: called for each debug line, `heartbeat` for those that prove
   * the websocket is alive (see debugLineKind). Debug lines go nowhere else: not to onLine, not to
   * recentOutput.
   */
  onDebugLine?: (kind: 'heartbeat' | 'debug') => void;
  /** Called with the child's pid as soon as it is spawned (logs, and tests that check it is gone). */
  onSpawn?: (pid: number) => void;
  /** Told of the child at once, and when it has exited (the session's watchdog). */
  watch?: ChildWatcher;
  /** Aborting before Ready (Ctrl+C during startup) stops the child, then rejects with signal.reason. */
  signal?: AbortSignal;
  /**
   * Ready without waiting for the CLI's own line, when whoever answers the CLI knows better: the
   * offline emulator sees the websocket connect and made the secret itself. The CLI polls its
   * connection every 100 ms before it prints Ready, so its line comes up to 100 ms after it could
   * already forward events. A rejection is ignored (the Ready line and the timeout still apply).
   */
  readyWhen?: Promise<{ secret: string; apiVersion?: string }>;
}

export interface StripeListenExit {
  exitCode?: number;
  signal?: string;
}

export interface StripeListenHandle {
  secret: string;
  apiVersion?: string;
  pid: number;
  /** The last ~20 lines it printed, secrets masked. */
  recentOutput(): string[];
  /** Settles when the CLI exits, for whatever reason (close(), a crash, a fatal error). */
  exited: Promise<StripeListenExit>;
  /** SIGTERM, then SIGKILL after graceMs; resolves when it is gone. Safe to call twice. */
  close(): Promise<void>;
}

const LOGIN_HINT =
  'Run `stripe login`, or set STRIPE_API_KEY (or pass --api-key) to a test-mode secret key sk_test_…; or use --offline to run without a Stripe account.';
const NETWORK_HINT =
  'Check your network connection and proxy settings (HTTPS_PROXY, NO_PROXY), or use --offline to run without network.';

export function startStripeListen({
  cli,
  args,
  env,
  readyTimeoutMs = 30_000,
  graceMs = 3_000,
  onLine,
  onDebugLine,
  onSpawn,
  watch,
  signal,
  readyWhen,
}: StartStripeListenOptions): Promise<StripeListenHandle> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  // Both pipes are always read, also after Ready: with a pipe nobody drains, the CLI stops
  // forwarding once ~64 KB of output is pending, after it has already acknowledged the events.
  // The Go binary is spawned directly (no shell, no node wrapper) so SIGTERM reaches it.
  const subprocess = execa(cli.path, args, {
    env,
    extendEnv: false,
    stdin: 'ignore',
    buffer: false,
    reject: false,
    cleanup: true,
    // close(): subprocess.kill() sends SIGTERM, and execa SIGKILL after graceMs. Not cancelSignal:
    // `signal` stops the CLI only before Ready; after it the session closes it in its own order.
    forceKillAfterDelay: graceMs,
    windowsHide: true,
  });
  if (subprocess.pid !== undefined) {
    const child = { pid: subprocess.pid, group: false };
    watch?.watch(child);
    // 'exit' comes once the child is reaped: from then on its pid may belong to another process.
    subprocess.once('exit', () => watch?.forget(child));
    onSpawn?.(subprocess.pid);
  }
  const recent = createRecentLines(20);
  const recentOutput = (): string[] => recent.lines();
  const result = subprocess.then((value) => value);
  const exited: Promise<StripeListenExit> = result.then(({ exitCode, signal: exitSignal }) => ({
    ...(exitCode === undefined ? {} : { exitCode }),
    ...(exitSignal === undefined ? {} : { signal: exitSignal }),
  }));
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      subprocess.kill();
      await exited;
    })();
    return closing;
  };

  return new Promise<StripeListenHandle>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => {
      fail(
        new StripeCliNotReadyError(`The Stripe CLI was not ready after ${formatDuration(readyTimeoutMs)}.`, {
          hint: `It printed no "Ready!" line; its last lines are below. ${NETWORK_HINT}`,
          details: recentOutput(),
        }),
      );
    }, readyTimeoutMs);

    const onAbort = (): void => fail(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });

    function fail(error: unknown): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      // Reject only once the child is gone, so no caller ever races a half-dead CLI.
      void close().then(() => reject(error));
    }

    function succeed(secret: string, apiVersion: string | undefined): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve({
        secret,
        ...(apiVersion === undefined ? {} : { apiVersion }),
        pid: subprocess.pid ?? -1,
        recentOutput,
        exited,
        close,
      });
    }

    function handle(raw: string): void {
      const debug = debugLineKind(raw);
      if (debug !== undefined) {
        onDebugLine?.(debug);
        return;
      }
      const text = plainListenText(raw);
      if (text === '') return;
      const line = parseListenLine(raw);
      recent.push(redactSecrets(text));
      onLine?.(line, text);
      if (settled) return;
      if (line.kind === 'ready') succeed(line.secret, line.apiVersion);
      const error = startupError(line, recentOutput);
      if (error) fail(error);
    }

    readyWhen?.then(
      (ready) => succeed(ready.secret, ready.apiVersion),
      () => {},
    );
    const linesRead = Promise.all([readLines(subprocess.stdout, handle), readLines(subprocess.stderr, handle)]);

    // Its last lines (the reason it exited) are handled first.
    void Promise.all([result, linesRead]).then(([value]) => {
      if (settled) return;
      const lastLine = recentOutput().at(-1);
      const how = value.signal
        ? `was killed by ${value.signal}`
        : value.exitCode === undefined
          ? `could not be started (${redactSecrets(value.shortMessage ?? 'no reason given')})`
          : `exited with code ${value.exitCode}`;
      fail(
        new StripeCliExitedError(`The Stripe CLI (${cli.path}) ${how} before it was ready${lastLine ? `: ${lastLine}` : '.'}`, {
          hint: `Its last lines are below. Run "${cli.path} listen --help" to check this binary works, or drop --stripe-bin/STRIPE_CLI_PATH to use the bundled one.`,
          details: recentOutput(),
        }),
      );
    });
  });
}

function startupError(line: ListenLine, recentOutput: () => string[]): WebhookDevError | undefined {
  const details = recentOutput();
  switch (line.kind) {
    case 'auth-failed':
      if (line.status === 401 || line.status === 403) {
        return new StripeAuthError(`Stripe rejected the API key (HTTP ${line.status}).`, { hint: LOGIN_HINT, details });
      }
      return new StripeUnreachableError(`The Stripe API answered HTTP ${line.status} when the CLI started its session.`, {
        hint: `Stripe may be having trouble (https://status.stripe.com); try again, or use --offline.`,
        details,
      });
    case 'not-configured':
      return new StripeAuthError('The Stripe CLI has no API key.', { hint: LOGIN_HINT, details });
    case 'unreachable':
      return new StripeUnreachableError(`Could not reach the Stripe API: ${redactSecrets(line.message)}`, { hint: NETWORK_HINT, details });
    default:
      return undefined;
  }
}
