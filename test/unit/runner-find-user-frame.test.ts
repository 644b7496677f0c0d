import { describe, expect, it } from 'vitest';
import { createFrameFilter, findUserFrame, parseFrame, resolveFrame, type FindSourceMap } from '../../src/runner/find-user-frame.js';

const noMaps: FindSourceMap = () => undefined;
const isExcluded = createFrameFilter('/repo/webhook-dev');

describe('parseFrame', () => {
  it.each([
    ['    at handler (/app/src/webhooks.ts:12:11)', { where: '/app/src/webhooks.ts', line: 12, column: 11 }],
    ['    at async /app/src/webhooks.ts:3:9', { where: '/app/src/webhooks.ts', line: 3, column: 9 }],
    ['    at file:///app/a.mjs:1:2', { where: 'file:///app/a.mjs', line: 1, column: 2 }],
    ['    at Object.<anonymous> (C:\\app\\a.js:4:5)', { where: 'C:\\app\\a.js', line: 4, column: 5 }],
    ['    at new Thing (/app/a.ts:7:1)', { where: '/app/a.ts', line: 7, column: 1 }],
  ])('%s', (line, expected) => {
    expect(parseFrame(line)).toEqual(expected);
  });

  it.each(['Error: boom', '    at async Promise.all (index 0)', '    at new Promise (<anonymous>)', ''])('%j is not a located frame', (line) => {
    expect(parseFrame(line)).toBeUndefined();
  });
});

describe('resolveFrame', () => {
  it('strips tsx namespace queries and converts file URLs', () => {
    expect(resolveFrame({ where: 'file:///app/a.mjs?tsx-namespace=123', line: 1, column: 2 }, noMaps)).toEqual({ file: '/app/a.mjs', line: 1, column: 2 });
  });

  it('maps an unmapped tsx frame through the cached source map (0-based entries → 1-based)', () => {
    const calls: string[] = [];
    const findSourceMap: FindSourceMap = (url) => {
      calls.push(url);
      return { findEntry: (line: number, column: number) => ({ generatedLine: line, generatedColumn: column, originalSource: 'file:///app/src/webhooks.ts', originalLine: 11, originalColumn: 10, name: undefined }) } as never;
    };
    expect(resolveFrame({ where: 'file:///app/src/webhooks.ts?tsx-namespace=abc', line: 1, column: 161 }, findSourceMap)).toEqual({
      file: '/app/src/webhooks.ts',
      line: 12,
      column: 11,
    });
    expect(calls).toEqual(['file:///app/src/webhooks.ts?tsx-namespace=abc']);
  });

  it('does not map a frame that is already in source coordinates (no query)', () => {
    const findSourceMap: FindSourceMap = () => {
      throw new Error('must not be asked');
    };
    expect(resolveFrame({ where: '/app/a.ts', line: 3, column: 4 }, findSourceMap)).toEqual({ file: '/app/a.ts', line: 3, column: 4 });
  });

  it('maps a plain-path frame when Node did not map the stack (another prepareStackTrace owns it)', () => {
    const findSourceMap: FindSourceMap = (url) => {
      expect(url).toBe('/app/a.ts');
      return { findEntry: () => ({ generatedLine: 1, generatedColumn: 898, originalSource: '/app/a.ts', originalLine: 2, originalColumn: 8, name: undefined }) } as never;
    };
    expect(resolveFrame({ where: '/app/a.ts', line: 2, column: 899 }, findSourceMap, false)).toEqual({ file: '/app/a.ts', line: 3, column: 9 });
  });

  it('a data: URL module (CommonJS-scope TypeScript under tsx) yields its file only', () => {
    const where = `data:text/javascript,code%3D1?filePath=${encodeURIComponent('/app/hooks.ts?namespace=1')}`;
    expect(resolveFrame({ where, line: 2, column: 889 }, noMaps)).toEqual({ file: '/app/hooks.ts' });
  });

  it('node: and native frames are not files', () => {
    expect(resolveFrame({ where: 'node:internal/process/task_queues', line: 95, column: 5 }, noMaps)).toBeUndefined();
  });
});

describe('findUserFrame', () => {
  it("skips Node, dependencies and webhook-dev's own files", () => {
    const stack = [
      'Error: boom',
      '    at validate (/repo/webhook-dev/node_modules/zod/index.js:1:1)',
      '    at run (/repo/webhook-dev/src/runner/run-handler.ts:40:3)',
      '    at processTicksAndRejections (node:internal/process/task_queues:95:5)',
      '    at handler (/app/src/webhooks.ts:12:11)',
      '    at main (/app/src/other.ts:1:1)',
    ].join('\n');
    expect(findUserFrame(stack, isExcluded, noMaps)).toEqual({ file: '/app/src/webhooks.ts', line: 12, column: 11 });
  });

  it('test fixtures and examples inside the repo are user code; dist and bin are not', () => {
    expect(isExcluded('/repo/webhook-dev/test/fixtures/handlers/map.ts')).toBe(false);
    expect(isExcluded('/repo/webhook-dev/examples/webhooks.ts')).toBe(false);
    expect(isExcluded('/repo/webhook-dev/dist/runner/run-handler.js')).toBe(true);
    expect(isExcluded('/repo/webhook-dev/bin/webhook-dev.js')).toBe(true);
  });

  it('no user frame → undefined', () => {
    expect(findUserFrame('Error: x\n    at node:internal/a:1:1', isExcluded, noMaps)).toBeUndefined();
  });
});
