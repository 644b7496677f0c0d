import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../src/render/format-duration.js';

describe('formatDuration', () => {
  it.each([
    [0.4, '<1 ms'],
    [12.6, '13 ms'],
    [300, '300 ms'],
    [999.7, '1.0 s'],
    [1_000, '1 s'],
    [1234, '1.2 s'],
    [1_500, '1.5 s'],
    [30_000, '30 s'],
    [59_990, '1 m'],
    [61_000, '1 m 1 s'],
    [120_000, '2 m'],
    [125_000, '2 m 5 s'],
    [-1, '? ms'],
    [Number.NaN, '? ms'],
  ])('%d ms → %s', (ms, expected) => {
    expect(formatDuration(ms)).toBe(expected);
  });
});
