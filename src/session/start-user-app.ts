import type { AppExit } from '../app/start-app.js';
import type { ChildWatcher } from '../process/start-watchdog.js';
import type { Reporter } from '../render/reporter.js';
import { maskSecret } from '../secrets.js';
import type { Closers } from './closers.js';

export interface UserAppOptions {
  /** `-- npm run dev`: argv, run without a shell. */
  command: string[];
  secret: string;
  secretEnvName: string;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** When forwarding, the app must accept connections there before the session is ready. */
  forwardTo?: string;
  readyTimeoutMs: number;
  reporter: Reporter;
  closers: Closers;
  signal?: AbortSignal;
  /** Every line the app prints, secrets masked (besides the reporter): the forwarder attributes them to deliveries. */
  onLine?: (stream: 'stdout' | 'stderr', line: string) => void;
  watch?: ChildWatcher;
}

/**
 * Starts the user's app once the secret is known, with the secret in its environment, so nobody
 * copies `whsec_…` into `.env` by hand. Its whole process tree is stopped with the session.
 */
export async function startUserApp({ command, secret, secretEnvName, env, cwd, forwardTo, readyTimeoutMs, reporter, closers, signal, onLine, watch }: UserAppOptions): Promise<{ exited: Promise<AppExit>; stop(): Promise<void> }> {
  const [{ startApp }, { waitForPort }] = await Promise.all([import('../app/start-app.js'), import('../app/wait-for-port.js')]);
  reporter.starting(`Starting ${command.join(' ')} with ${secretEnvName}=${maskSecret(secret)}…`);
  const app = await startApp({
    command,
    // Python buffers stdout into a pipe, so its lines would arrive long after the event they are
    // about (or at exit); unbuffered, they can be attributed to the delivery that caused them.
    env: { PYTHONUNBUFFERED: '1', ...env, [secretEnvName]: secret },
    cwd,
    onLine: (stream, line) => {
      onLine?.(stream, line);
      reporter.appOutput?.(stream, line);
    },
    ...(watch ? { watch } : {}),
  });
  closers.add(() => app.stop());
  if (forwardTo !== undefined) {
    reporter.starting(`Waiting for the app to accept connections on ${new URL(forwardTo).host}…`);
    await waitForPort(forwardTo, { timeoutMs: readyTimeoutMs, exited: app.exited, recentLines: () => app.recentLines(), ...(signal ? { signal } : {}) });
  }
  // Wrapped: an async function returning the promise itself would wait for the app to exit.
  return { exited: app.exited, stop: () => app.stop() };
}

export interface ReplaceableApp {
  /** Settles when the app exits on its own (not when restart() stops it): the session ends then. */
  exited: Promise<AppExit>;
  /** Stops the app and starts it again with another secret; resolves once it is ready. */
  restart(secret: string): Promise<void>;
}

/**
 * The user's app, restartable with a new secret: should a replaced Stripe CLI ever bring another
 * signing secret (it is stable per account, so this is rare), the app must verify with it too.
 */
export async function startReplaceableApp(options: UserAppOptions): Promise<ReplaceableApp> {
  let current = await startUserApp(options);
  let replacing = false;
  let ended!: (exit: AppExit) => void;
  const exited = new Promise<AppExit>((resolve) => (ended = resolve));
  const follow = (app: typeof current): void => {
    void app.exited.then((exit) => {
      if (app === current && !replacing) ended(exit);
    });
  };
  follow(current);
  return {
    exited,
    async restart(secret) {
      replacing = true;
      try {
        await current.stop();
        options.reporter.notice(`Restarting your app with the new ${options.secretEnvName}.`, 'warn');
        current = await startUserApp({ ...options, secret });
      } finally {
        replacing = false;
      }
      follow(current);
    },
  };
}

/**
 * `--write-env`: keep a dotenv file's secret in step with the session, and say what was done. A
 * file it creates is 0600; an existing one keeps its mode, with a warning if others can read it.
 */
export async function writeSecretToEnvFile({ file, name, secret, cwd, reporter }: { file: string; name: string; secret: string; cwd: string; reporter: Reporter }): Promise<void> {
  const [{ updateEnvFile }, { isGitIgnored }, { stat }] = await Promise.all([import('../env-file/update-env-file.js'), import('../env-file/is-git-ignored.js'), import('node:fs/promises')]);
  const result = await updateEnvFile(file, name, secret, { cwd });
  const what = result.created ? 'created with' : result.action === 'unchanged' ? 'already has' : result.action === 'added' ? 'now has' : 'updated to';
  reporter.notice(`${file} ${what} ${name}=${maskSecret(secret)}`);
  const mode = (await stat(result.path).catch(() => undefined))?.mode;
  if (mode !== undefined && (mode & 0o044) !== 0) {
    const octal = (mode & 0o777).toString(8);
    reporter.notice(`${file} holds the signing secret and is readable by ${(mode & 0o004) !== 0 ? 'every user on this machine' : 'its group'} (mode ${octal}): run chmod 600 ${file}.`, 'warn');
  }
  if ((await isGitIgnored(result.path, { cwd })) === 'not-ignored') {
    reporter.notice(`${file} is not in .gitignore: add it, or the signing secret may be committed.`, 'warn');
  }
}
