/**
 * The supervisor's decisions with a fake `start` and a fake clock: what it restarts, how often,
 * what it reports and when it gives up. (The real CLI under real faults: test/e2e/listen-watchdog.test.ts.)
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StripeAuthError, StripeCliExitedError, StripeUnreachableError } from '../../src/errors.js';
import type { StartStripeListenOptions, StripeListenExit, StripeListenHandle } from '../../src/stripe-cli/start-stripe-listen.js';
import { superviseStripeListen, type ListenRecovery, type ListenRestartFailure, type ListenStall } from '../../src/stripe-cli/supervise-stripe-listen.js';

afterEach(() => {
  vi.useRealTimers();
});

interface FakeCli extends StripeListenHandle {
  die(exit: StripeListenExit): void;
  options: StartStripeListenOptions;
  closed: boolean;
}

function fakeStarts(plan: Array<string | Error>) {
  const started: FakeCli[] = [];
  let pid = 100;
  const start = async (options: StartStripeListenOptions): Promise<StripeListenHandle> => {
    const next = plan.shift() ?? 'whsec_same';
    if (next instanceof Error) throw next;
    let die!: (exit: StripeListenExit) => void;
    const exited = new Promise<StripeListenExit>((resolve) => (die = resolve));
    const cli: FakeCli = {
      secret: next,
      pid: (pid += 1),
      recentOutput: () => [`output of ${pid}`],
      exited,
      die,
      options,
      closed: false,
      close: async () => {
        cli.closed = true;
        die({ signal: 'SIGTERM' });
      },
    };
    started.push(cli);
    return cli;
  };
  return { start, started };
}

function harness(plan: Array<string | Error>, settings = {}) {
  const { start, started } = fakeStarts(plan);
  const stalls: ListenStall[] = [];
  const failures: ListenRestartFailure[] = [];
  const recoveries: ListenRecovery[] = [];
  let wall = 1_700_000_000_000;
  let mono = 0;
  const states = new Map<number, string>();
  const kill = vi.spyOn(process, 'kill').mockImplementation((pid, signal) => {
    if (signal === 'SIGKILL') started.find((cli) => cli.pid === pid)?.die({ signal: 'SIGKILL' });
    return true;
  });
  const supervising = superviseStripeListen({
    cli: { path: '/bin/stripe', version: '1.52.0', source: 'package' },
    args: ['listen'],
    env: {},
    start,
    settings: { checkEveryMs: 1_000, stallAfterMs: 6_000, clockJumpMs: 5_000, backoffMs: 1_000, maxBackoffMs: 4_000, maxFailures: 3, ...settings },
    clock: { wall: () => wall, monotonic: () => mono },
    processState: (pid) => states.get(pid) ?? 'S',
    onStall: (stall) => stalls.push(stall),
    onRestartFailed: (failure) => failures.push(failure),
    onRecovered: (recovery) => void recoveries.push(recovery),
  });
  const tick = async (ms: number) => {
    wall += ms;
    mono += ms;
    await vi.advanceTimersByTimeAsync(ms);
  };
  return {
    supervising,
    started,
    stalls,
    failures,
    recoveries,
    states,
    tick,
    jumpWall: (ms: number) => (wall += ms),
    heartbeat: (cli: FakeCli) => cli.options.onDebugLine?.('heartbeat'),
    restore: () => kill.mockRestore(),
  };
}

describe('superviseStripeListen', () => {
  it('passes --log-level debug, and says nothing while keep-alives come', async () => {
    vi.useFakeTimers();
    const h = harness(['whsec_one']);
    const listen = await h.supervising;
    expect(h.started[0]!.options.args).toEqual(['listen', '--log-level', 'debug']);
    for (let second = 0; second < 20; second += 1) {
      h.heartbeat(h.started[0]!);
      await h.tick(1_000);
    }
    expect(h.stalls).toEqual([]);
    await listen.close();
    expect(h.started[0]!.closed).toBe(true);
    h.restore();
  });

  it('a silent CLI is killed and replaced at once; a replacement with another secret is reported as such', async () => {
    vi.useFakeTimers();
    const h = harness(['whsec_one', 'whsec_two']);
    const listen = await h.supervising;
    h.heartbeat(h.started[0]!);
    await h.tick(7_000);
    expect(h.stalls).toMatchObject([{ cause: 'silent', pid: 101, restarting: true }]);
    await vi.waitFor(() => expect(h.recoveries).toHaveLength(1));
    expect(h.recoveries[0]).toMatchObject({ pid: 102, secret: 'whsec_two', secretChanged: true, attempts: 1 });
    expect(listen.pid()).toBe(102);
    await listen.close();
    h.restore();
  });

  it('a CLI that never logs a debug line is never judged silent (an unknown log format)', async () => {
    vi.useFakeTimers();
    const h = harness(['whsec_one']);
    const listen = await h.supervising;
    await h.tick(60_000);
    expect(h.stalls).toEqual([]);
    await listen.close();
    h.restore();
  });

  it('a stopped process (state T) and a wall-clock jump are stalls', async () => {
    vi.useFakeTimers();
    const h = harness([]);
    const listen = await h.supervising;
    h.states.set(101, 'T');
    await h.tick(1_000);
    await vi.waitFor(() => expect(h.recoveries).toHaveLength(1));
    h.jumpWall(3_600_000);
    await h.tick(1_000);
    await vi.waitFor(() => expect(h.recoveries).toHaveLength(2));
    expect(h.stalls.map((stall) => stall.cause)).toEqual(['stopped', 'clock-jump']);
    expect(h.recoveries[1]!.gapMs).toBeGreaterThanOrEqual(3_600_000);
    await listen.close();
    h.restore();
  });

  it('retries with backoff, then gives up with exit 7 after maxFailures in a row', async () => {
    vi.useFakeTimers();
    const refused = new StripeUnreachableError('The Stripe API answered HTTP 400 when the CLI started its session.', { hint: 'try later' });
    const h = harness(['whsec_one', refused, refused, refused]);
    const listen = await h.supervising;
    h.started[0]!.die({ exitCode: 1 });
    await vi.waitFor(() => expect(h.failures).toHaveLength(1));
    await h.tick(1_000);
    await vi.waitFor(() => expect(h.failures).toHaveLength(2));
    await h.tick(2_000);
    const error = await listen.failed;
    expect(h.failures.map((failure) => failure.retryInMs)).toEqual([1_000, 2_000, undefined]);
    expect(error).toBeInstanceOf(StripeCliExitedError);
    expect(error.exitCode).toBe(7);
    expect(error.message).toMatch(/stopped unexpectedly \(exit code 1\) and could not be restarted \(3 attempts in a row\): The Stripe API answered HTTP 400/);
    expect(error.hint).toBe('try later');
    await listen.close();
    h.restore();
  });

  it('a key Stripe refuses is not retried', async () => {
    vi.useFakeTimers();
    const h = harness(['whsec_one', new StripeAuthError('Stripe rejected the API key (HTTP 401).')]);
    const listen = await h.supervising;
    h.started[0]!.die({ exitCode: 1 });
    const error = await listen.failed;
    expect(h.failures).toMatchObject([{ attempt: 1, retryInMs: undefined }]);
    expect(error.message).toMatch(/rejected the API key/);
    await listen.close();
    h.restore();
  });

  it('maxFailures 0 (trigger): the first stall ends it, with the CLI\'s last lines', async () => {
    vi.useFakeTimers();
    const h = harness(['whsec_one'], { maxFailures: 0 });
    const listen = await h.supervising;
    h.heartbeat(h.started[0]!);
    h.started[0]!.die({ signal: 'SIGKILL' });
    const error = await listen.failed;
    expect(h.stalls).toMatchObject([{ cause: 'exited', restarting: false }]);
    expect(error.message).toBe('The Stripe CLI stopped unexpectedly (signal SIGKILL); no more events can arrive.');
    expect(error.details).toEqual(['output of 101']);
    // Reported once: neither its exit nor its silence afterwards makes a second stall.
    await h.tick(20_000);
    expect(h.stalls).toHaveLength(1);
    expect(h.started).toHaveLength(1);
    await listen.close();
    h.restore();
  });

  it('close() during a backoff stops waiting and starts nothing more', async () => {
    vi.useFakeTimers();
    const h = harness(['whsec_one', new StripeUnreachableError('down')]);
    const listen = await h.supervising;
    h.started[0]!.die({ exitCode: 1 });
    await vi.waitFor(() => expect(h.failures).toHaveLength(1));
    await listen.close();
    await h.tick(60_000);
    expect(h.started).toHaveLength(1);
    h.restore();
  });

  it('a replacement that dies while its arrival is still being handled is replaced in turn', async () => {
    vi.useFakeTimers();
    const { start, started } = fakeStarts([]);
    const stalls: ListenStall[] = [];
    let release!: () => void;
    const handled = new Promise<void>((resolve) => (release = resolve));
    const kill = vi.spyOn(process, 'kill').mockImplementation(() => true);
    const listen = await superviseStripeListen({
      cli: { path: '/bin/stripe', version: '1.52.0', source: 'package' },
      args: ['listen'],
      env: {},
      start,
      processState: () => 'S',
      onStall: (stall) => stalls.push(stall),
      onRecovered: () => (started.length === 2 ? handled : undefined),
    });
    started[0]!.die({ exitCode: 1 });
    await vi.waitFor(() => expect(started).toHaveLength(2));
    started[1]!.die({ exitCode: 2 });
    await vi.advanceTimersByTimeAsync(10);
    expect(stalls).toHaveLength(1);
    release();
    await vi.waitFor(() => expect(started).toHaveLength(3));
    expect(stalls.map((stall) => stall.detail)).toEqual(['exit code 1', 'exit code 2']);
    await listen.close();
    kill.mockRestore();
  });
});
