import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { isProcessGroupAlive, parseProcStat } from '../../src/app/process-group.js';

describe('parseProcStat', () => {
  it('reads state, parent and group', () => {
    expect(parseProcStat('4242 (node) S 1 4240 4240 0 -1 4194560 1234')).toEqual({ state: 'S', ppid: 1, pgrp: 4240 });
  });

  it('reads the start time (field 22) that tells a process from a later one with its pid', () => {
    const line = '26017 (stripe) S 25977 25972 25972 0 -1 1077936384 2470 0 0 0 10 4 0 0 20 0 9 0 153541 1263661056 5321';
    expect(parseProcStat(line)).toEqual({ state: 'S', ppid: 25977, pgrp: 25972, startTime: '153541' });
  });

  it('is not fooled by a command name with spaces and parentheses', () => {
    expect(parseProcStat('77 (my (weird) app) Z 1 70 70 0')).toEqual({ state: 'Z', ppid: 1, pgrp: 70 });
  });

  it('returns undefined for text that is not a stat line', () => {
    expect(parseProcStat('')).toBeUndefined();
    expect(parseProcStat('12 (x)')).toBeUndefined();
  });
});

describe('isProcessGroupAlive', () => {
  it("is true for this process's own group", async () => {
    const ownGroup = Number(execFileSync('ps', ['-o', 'pgid=', '-p', String(process.pid)], { encoding: 'utf8' }).trim());
    expect(ownGroup).toBeGreaterThan(0);
    expect(await isProcessGroupAlive(ownGroup)).toBe(true);
  });
});
