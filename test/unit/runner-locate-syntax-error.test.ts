import { describe, expect, it } from 'vitest';
import { parseEsbuildFailures, parseNodeCheckOutput } from '../../src/runner/locate-syntax-error.js';

describe('parseEsbuildFailures', () => {
  it('reads every error with a 1-based column', () => {
    const message = 'Transform failed with 2 errors:\n/app/a.ts:3:14: ERROR: Unexpected ";"\n/app/a.ts:9:0: ERROR: Expected "}" but found end of file';
    expect(parseEsbuildFailures(message)).toEqual([
      { location: { file: '/app/a.ts', line: 3, column: 15 }, text: 'Unexpected ";"' },
      { location: { file: '/app/a.ts', line: 9, column: 1 }, text: 'Expected "}" but found end of file' },
    ]);
  });

  it('anything else is no esbuild failure', () => {
    expect(parseEsbuildFailures('Cannot find module x')).toEqual([]);
  });
});

describe('parseNodeCheckOutput', () => {
  it('reads file, line and the caret column', () => {
    const stderr = "/app/a.mjs:2\n  return e.a +;\n              ^\n\nSyntaxError: Unexpected token ';'\n";
    expect(parseNodeCheckOutput(stderr)).toEqual({ file: '/app/a.mjs', line: 2, column: 15 });
  });

  it('unrecognised output gives nothing', () => {
    expect(parseNodeCheckOutput('node: bad option: --check')).toBeUndefined();
  });
});
