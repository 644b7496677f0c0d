import { describe, expect, it } from 'vitest';
import { exitStatus } from '../../src/app/exit-status.js';

describe('exitStatus', () => {
  it.each([
    [{ exitCode: 0 }, 0],
    [{ exitCode: 7 }, 7],
    [{ signal: 'SIGINT' }, 130],
    [{ signal: 'SIGKILL' }, 137],
    [{ signal: 'SIGSEGV' }, 139],
    [{ signal: 'SIGTERM' }, 143],
    [{ signal: 'SIGNOTREAL' }, 128],
  ])('%j → %d', (exit, expected) => {
    expect(exitStatus(exit)).toBe(expected);
  });
});
