import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { colorLevel, createColors, type OutputStream } from '../../src/render/color.js';

function stream(isTTY: boolean, depth = 8): OutputStream {
  const s = new PassThrough() as PassThrough & OutputStream;
  s.isTTY = isTTY;
  s.getColorDepth = () => depth;
  return s;
}

describe('colorLevel', () => {
  it('colors a TTY at the depth it reports, and never a pipe', () => {
    expect(colorLevel({ stream: stream(true, 24), env: {} })).toBe(3);
    expect(colorLevel({ stream: stream(true, 8), env: {} })).toBe(2);
    expect(colorLevel({ stream: stream(true, 4), env: {} })).toBe(1);
    expect(colorLevel({ stream: stream(true, 1), env: {} })).toBe(0);
    expect(colorLevel({ stream: stream(false), env: {} })).toBe(0);
  });

  it('NO_COLOR (non-empty) turns color off, even on a TTY and even with FORCE_COLOR', () => {
    expect(colorLevel({ stream: stream(true), env: { NO_COLOR: '1' } })).toBe(0);
    expect(colorLevel({ stream: stream(true), env: { NO_COLOR: '1', FORCE_COLOR: '3' } })).toBe(0);
    // An empty NO_COLOR is "not set" per no-color.org.
    expect(colorLevel({ stream: stream(true, 8), env: { NO_COLOR: '' } })).toBe(2);
  });

  it('FORCE_COLOR wins over TTY detection, both ways', () => {
    expect(colorLevel({ stream: stream(false), env: { FORCE_COLOR: '1' } })).toBe(1);
    expect(colorLevel({ stream: stream(false), env: { FORCE_COLOR: '' } })).toBe(1);
    expect(colorLevel({ stream: stream(false), env: { FORCE_COLOR: 'true' } })).toBe(1);
    expect(colorLevel({ stream: stream(false), env: { FORCE_COLOR: '2' } })).toBe(2);
    expect(colorLevel({ stream: stream(false), env: { FORCE_COLOR: '3' } })).toBe(3);
    expect(colorLevel({ stream: stream(true, 24), env: { FORCE_COLOR: '0' } })).toBe(0);
    expect(colorLevel({ stream: stream(true, 24), env: { FORCE_COLOR: 'false' } })).toBe(0);
  });

  it('createColors returns a chalk that emits ANSI only when allowed', () => {
    expect(createColors({ stream: stream(false), env: {} }).red('x')).toBe('x');
    expect(createColors({ stream: stream(false), env: { FORCE_COLOR: '1' } }).red('x')).toBe('\u001b[31mx\u001b[39m');
  });
});
