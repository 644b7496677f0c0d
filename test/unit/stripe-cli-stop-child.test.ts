import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { stopChild, type StoppableChild } from '../../src/stripe-cli/stop-child.js';

/** A child that records the signals it gets and exits on the ones it was told to obey. */
class FakeChild extends EventEmitter implements StoppableChild {
  pid: number | undefined = 4242;
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  readonly signals: Array<NodeJS.Signals | number | undefined> = [];

  constructor(private readonly obeys: ReadonlyArray<NodeJS.Signals>) {
    super();
  }

  kill(signal?: NodeJS.Signals | number): boolean {
    this.signals.push(signal);
    if (typeof signal === 'string' && this.obeys.includes(signal)) {
      setImmediate(() => {
        this.signalCode = signal;
        this.emit('exit', null, signal);
      });
    }
    return true;
  }
}

describe('stopChild', () => {
  it('a polite child gets SIGTERM only', async () => {
    const child = new FakeChild(['SIGTERM', 'SIGKILL']);
    await stopChild(child, { graceMs: 1_000 });
    expect(child.signals).toEqual(['SIGTERM']);
  });

  it('a stubborn child gets SIGKILL after the grace period', async () => {
    const child = new FakeChild(['SIGKILL']);
    const started = Date.now();
    await stopChild(child, { graceMs: 50 });
    expect(child.signals).toEqual(['SIGTERM', 'SIGKILL']);
    expect(Date.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('an exited child is left alone', async () => {
    const child = new FakeChild([]);
    child.exitCode = 0;
    await stopChild(child, { graceMs: 50 });
    expect(child.signals).toEqual([]);
  });

  it('a child that never started is left alone', async () => {
    const child = new FakeChild([]);
    child.pid = undefined;
    await stopChild(child, { graceMs: 50 });
    expect(child.signals).toEqual([]);
  });

  it('gives up waiting when not even SIGKILL makes it exit', async () => {
    const child = new FakeChild([]);
    await stopChild(child, { graceMs: 20 });
    expect(child.signals).toEqual(['SIGTERM', 'SIGKILL']);
  });
});
