import { describe, expect, it } from 'vitest';
import { judgeListenHealth, stallHeadline, type ListenHealthInput } from '../../src/stripe-cli/judge-listen-health.js';

const base: ListenHealthInput = {
  previous: { monotonicMs: 10_000, wallMs: 1_700_000_000_000 },
  now: { monotonicMs: 11_000, wallMs: 1_700_000_001_000 },
  lastHeartbeatMs: 9_500,
  processState: 'S',
  stallAfterMs: 6_000,
  clockJumpMs: 5_000,
};

describe('judgeListenHealth', () => {
  it('a recent keep-alive, a sleeping process and clocks in step: healthy', () => {
    expect(judgeListenHealth(base)).toBeUndefined();
  });

  it('no keep-alive for longer than stallAfterMs: silent, since the last keep-alive (on the wall clock)', () => {
    const finding = judgeListenHealth({ ...base, lastHeartbeatMs: 4_000 });
    expect(finding).toMatchObject({ cause: 'silent', sinceWallMs: base.now.wallMs - 7_000 });
    expect(finding?.detail).toBe('no websocket keep-alive for 7 s');
  });

  it('exactly stallAfterMs is not yet a stall', () => {
    expect(judgeListenHealth({ ...base, lastHeartbeatMs: 5_000 })).toBeUndefined();
  });

  it('no keep-alive known (a CLI that logs in another format): never silent', () => {
    expect(judgeListenHealth({ ...base, lastHeartbeatMs: undefined })).toBeUndefined();
  });

  it.each(['T', 't'])('process state %s (stopped or traced): stopped, whatever the keep-alive says', (state) => {
    expect(judgeListenHealth({ ...base, processState: state })).toMatchObject({ cause: 'stopped', sinceWallMs: base.now.wallMs - 1_500 });
  });

  it.each(['R', 'S', 'D', undefined])('process state %s is no stall', (state) => {
    expect(judgeListenHealth({ ...base, processState: state })).toBeUndefined();
  });

  it('the wall clock ahead of the monotonic one by more than clockJumpMs: the machine slept, since the sample before', () => {
    const finding = judgeListenHealth({ ...base, now: { monotonicMs: 11_000, wallMs: base.previous.wallMs + 3_601_000 } });
    expect(finding).toMatchObject({ cause: 'clock-jump', sinceWallMs: base.previous.wallMs });
    expect(finding?.detail).toMatch(/jumped 60 m ahead/);
  });

  it('a small step, or the wall clock going back: no jump', () => {
    expect(judgeListenHealth({ ...base, now: { monotonicMs: 11_000, wallMs: base.previous.wallMs + 5_900 } })).toBeUndefined();
    expect(judgeListenHealth({ ...base, now: { monotonicMs: 11_000, wallMs: base.previous.wallMs - 60_000 } })).toBeUndefined();
  });

  it('a jump wins over the other causes: the gap starts before the sleep', () => {
    const finding = judgeListenHealth({ ...base, processState: 'T', now: { monotonicMs: 11_000, wallMs: base.previous.wallMs + 600_000 } });
    expect(finding?.cause).toBe('clock-jump');
  });

  it('has a headline for every cause', () => {
    for (const cause of ['exited', 'stopped', 'silent', 'clock-jump'] as const) expect(stallHeadline(cause)).toMatch(/^The Stripe CLI /);
  });
});
