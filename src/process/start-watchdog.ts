/**
 * The session's watchdog: a tiny `sh` process that outlives webhook-dev by a moment, so that the
 * Stripe CLI and the user's app never outlive webhook-dev itself, however it dies (SIGKILL, the
 * OOM killer, a crash in native code: cases where no 'exit' hook runs).
 *
 * It reads one line per change on a pipe from webhook-dev (`watch 123`, `watch -456` for a process
 * group, `forget 123`). The kernel closes that pipe when webhook-dev dies, whatever the cause; at
 * end of file the watchdog sends SIGTERM to whatever is still registered, waits up to the grace
 * period, then SIGKILLs what is left, and exits. A clean stop forgets every child as it exits, so
 * closing the pipe then does nothing. It also deletes the session file and the offline config
 * folder if they are still there (removeAfterDeath), so that a kill -9 leaves nothing behind.
 *
 * Why one watchdog and not a parent-death watch in each child: the Stripe CLI is a Go binary we
 * cannot change, a wrapper process around it would stand between it and our signals and add its
 * start-up to the session's, and Linux's PR_SET_PDEATHSIG is out of reach from Node. Why `sh` and
 * not a second Node process: sh starts in about a millisecond, Node in tens, on the cores the CLI
 * and the handler need at that moment. Not on Windows (no sh, no process groups): there the
 * 'exit' hooks remain the only guard.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface WatchedChild {
  pid: number;
  /** A process group led by `pid` (the app and what it starts), rather than one process. */
  group: boolean;
}

/** What start functions need to register the children they spawn. */
export interface ChildWatcher {
  watch(child: WatchedChild): void;
  /** It has exited and its pid may be reused: never signal it again. */
  forget(child: WatchedChild): void;
}

export interface Watchdog extends ChildWatcher {
  /** The children watched now (the session file records them for the next session). */
  children(): WatchedChild[];
  /** Called after each watch() or forget(); returns an unsubscribe function. */
  onChange(listener: () => void): () => void;
  /**
   * Deletes the session file or the offline config folder once the children are stopped, if
   * webhook-dev dies before cancel(): a kill -9 then leaves nothing behind either. Only paths of
   * those two shapes are accepted, here and again by the script.
   */
  removeAfterDeath(kind: 'file' | 'dir', path: string): { cancel(): void };
  /** Ends the pipe; the watchdog stops what is still registered and exits. Safe to call twice. */
  close(): void;
}

export interface WatchdogOptions {
  /** Between SIGTERM and SIGKILL, in whole seconds (sh has no finer clock): between n-1 and n s. */
  graceSeconds?: number;
  platform?: NodeJS.Platform;
  /** Where `sh` is; tests may pass another. */
  shell?: string;
}

/**
 * The watchdog's whole program. `$ids` is a space-separated set with a space at each end, so
 * `" $id "` matches a whole id. Anything that is not a (possibly negative) number is ignored rather
 * than handed to kill. After SIGTERM it polls every 0.1 s until nothing is left or the grace is over
 * (timed with `date +%s`: a slow /proc scan must not stretch it), then SIGKILLs what remains.
 * `running` does not count zombies: where PID 1 does not reap (many containers), an orphan that
 * exited stays a zombie forever and `kill -0` alone would always wait out the whole grace.
 */
export function watchdogScript(graceSeconds: number): string {
  return `running() {
  kill -0 "$1" 2>/dev/null || return 1
  [ -r /proc/self/stat ] || return 0
  case $1 in
    -*)
      for f in /proc/[0-9]*/stat; do
        read -r l 2>/dev/null < "$f" || continue
        set -- "\${1#-}" \${l##*) }
        [ "$4" = "$1" ] && [ "$2" != Z ] && [ "$2" != X ] && return 0
        set -- "-$1"
      done
      return 1 ;;
    *)
      read -r l 2>/dev/null < "/proc/$1/stat" || return 1
      case \${l##*) } in Z*|X*) return 1 ;; esac ;;
  esac
}
finish() {
  [ -n "$dir" ] && rm -rf -- "$dir"
  [ -n "$file" ] && rm -f -- "$file" "\${file%.json}.curl"
  exit 0
}
ids=' '
file=
dir=
while read -r op id; do
  case $op in
    file) case $id in -|/*/.webhook-dev/sessions/[0-9]*.json) file=\${id#-} ;; esac; continue ;;
    dir) case $id in -|/*/webhook-dev-stripe-[0-9]*) dir=\${id#-} ;; esac; continue ;;
  esac
  case $id in ''|-|*[!0-9-]*|?*-*) continue ;; esac
  case $op in
    watch) ids="$ids$id " ;;
    forget) case $ids in *" $id "*) ids="\${ids%% $id *} \${ids#* $id }" ;; esac ;;
  esac
done
set -- $ids
[ $# -eq 0 ] && finish
for id do kill -TERM "$id" 2>/dev/null; done
end=$(($(date +%s) + ${Math.max(0, Math.floor(graceSeconds))}))
while [ "$(date +%s)" -lt "$end" ]; do
  alive=
  for id do running "$id" && alive=1 && break; done
  [ -z "$alive" ] && finish
  sleep 0.1
done
for id do kill -KILL "$id" 2>/dev/null; done
finish
`;
}

// No line breaks (one line per message) and no leading or trailing blanks (sh's read trims them).
const SESSION_FILE_PATH = /^\/(?:[^\n]*\S)?\/\.webhook-dev\/sessions\/\d+\.json$/;
const CONFIG_DIR_PATH = /^\/[^\n]*\/webhook-dev-stripe-\d+-[A-Za-z0-9]{6}$/;

export function startWatchdog({ graceSeconds = 2, platform = process.platform, shell = '/bin/sh' }: WatchdogOptions = {}): Watchdog {
  const watched = new Map<string, WatchedChild>();
  const listeners = new Set<() => void>();
  let child: ChildProcess | undefined;
  let starting = false;
  let closed = false;
  const queued: string[] = [];

  // Spawning costs the main thread some milliseconds (a fork of this whole process). So it is not
  // done with the session, before anything needs watching, but once the first child exists, and
  // then on the next turn of the event loop: after the code that spawned the child has gone on to
  // what the session needs next (start the trigger, load the handler), while the Stripe CLI boots
  // in its own process. Lines wait in the queue until then.
  const flush = (): void => {
    if (closed || platform === 'win32') return;
    child ??= spawnWatchdog(shell, graceSeconds);
    if (queued.length > 0) child.stdin?.write(`${queued.splice(0).join('\n')}\n`);
  };
  const send = (line: string, { start = false } = {}): void => {
    if (platform === 'win32' || closed) return;
    queued.push(line);
    if (child !== undefined) flush();
    else if (start && !starting) {
      starting = true;
      setImmediate(flush);
    }
  };
  const changed = (): void => {
    for (const listener of listeners) listener();
  };
  const key = (target: WatchedChild): string => String(target.group ? -target.pid : target.pid);

  return {
    watch(target) {
      if (!Number.isSafeInteger(target.pid) || target.pid <= 1) return;
      watched.set(key(target), target);
      send(`watch ${key(target)}`, { start: true });
      changed();
    },
    forget(target) {
      if (!watched.delete(key(target))) return;
      send(`forget ${key(target)}`);
      changed();
    },
    children: () => [...watched.values()],
    removeAfterDeath(kind, path) {
      const accepted = kind === 'file' ? SESSION_FILE_PATH : CONFIG_DIR_PATH;
      if (!accepted.test(path)) return { cancel: () => {} };
      send(`${kind} ${path}`);
      let cancelled = false;
      return {
        cancel() {
          if (cancelled) return;
          cancelled = true;
          send(`${kind} -`);
        },
      };
    },
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    close() {
      if (closed) return;
      // Closed before its start came round: only needed if a child is still registered.
      if (child === undefined && watched.size > 0) flush();
      closed = true;
      child?.stdin?.end();
    },
  };
}

function spawnWatchdog(shell: string, graceSeconds: number): ChildProcess {
  // Its own process group: Ctrl-C in the terminal and a kill of webhook-dev's group must not take
  // it down along with webhook-dev; it has to be there afterwards.
  const watchdog = spawn(shell, ['-c', watchdogScript(graceSeconds), 'webhook-dev-watchdog'], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  // Neither the process nor the pipe may keep webhook-dev's event loop alive.
  watchdog.unref();
  (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  // The watchdog gone (killed by hand): writes fail with EPIPE; webhook-dev goes on without it.
  watchdog.stdin?.on('error', () => {});
  watchdog.on('error', () => {});
  return watchdog;
}
