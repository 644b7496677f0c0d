import { describe, expect, it } from 'vitest';
import { createRecentLines } from '../../src/stripe-cli/recent-lines.js';

describe('createRecentLines', () => {
  it('keeps the last lines, oldest first', () => {
    const recent = createRecentLines(3);
    for (const line of ['a', 'b', 'c', 'd']) recent.push(line);
    expect(recent.lines()).toEqual(['b', 'c', 'd']);
  });

  it('hands out copies', () => {
    const recent = createRecentLines(3);
    recent.push('a');
    recent.lines().push('mutated');
    expect(recent.lines()).toEqual(['a']);
  });
});
