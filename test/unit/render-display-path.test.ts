import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { displayPath } from '../../src/render/display-path.js';

const cwd = path.resolve('/app');
const inside = path.join(cwd, 'src', 'webhooks.ts');
const outside = path.resolve('/elsewhere/a.ts');

describe('displayPath', () => {
  it.each([
    ['a file inside cwd: relative, with /', inside, 'src/webhooks.ts'],
    ['a file outside cwd: absolute', outside, outside],
    ['cwd itself: absolute', cwd, cwd],
    ['a file next to cwd whose name starts with "..": relative', path.join(cwd, '..hidden.ts'), '..hidden.ts'],
    ['the folder above cwd: absolute', path.dirname(cwd), path.dirname(cwd)],
    ['a stack frame with line and column', `${inside}:12:11`, 'src/webhooks.ts:12:11'],
    ['a file URL (ESM frames)', `${pathToFileURL(inside).href}:3`, 'src/webhooks.ts:3'],
    ['a location already relative (a handler error record): unchanged', 'src/webhooks.ts:12:11', 'src/webhooks.ts:12:11'],
    ['a bare command name: unchanged', 'stripe', 'stripe'],
    ['a file URL that is not a path: unchanged', 'file://host%2F/x', 'file://host%2F/x'],
  ])('%s', (_case, target, expected) => {
    expect(displayPath(target, cwd)).toBe(expected);
  });
});
