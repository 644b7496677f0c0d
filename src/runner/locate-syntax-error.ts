/**
 * Where a syntax error is. TypeScript and CommonJS handlers are compiled by esbuild, whose message
 * names `file:line:column`. Plain ESM JavaScript goes to Node untouched, and Node's SyntaxError
 * from a dynamic import carries no location at all, so we ask `node --check`, which prints it.
 */
import { execFile } from 'node:child_process';
import type { StackFrameLocation } from './find-user-frame.js';

export interface EsbuildFailure {
  location: StackFrameLocation;
  text: string;
}

const ESBUILD_ERROR = /^(.+?):(\d+):(\d+): ERROR: (.*)$/gm;

/** Parses esbuild's "Transform failed with N errors:\n<file>:<line>:<col>: ERROR: <text>" message. */
export function parseEsbuildFailures(message: string): EsbuildFailure[] {
  return [...message.matchAll(ESBUILD_ERROR)].map((match) => ({
    // esbuild columns count from 0; V8 stack frames (and editors) count from 1.
    location: { file: match[1] ?? '', line: Number(match[2]), column: Number(match[3]) + 1 },
    text: match[4] ?? '',
  }));
}

/**
 * Parses `node --check` stderr:
 *   /path/file.mjs:2
 *     return e.a +;
 *                 ^
 */
export function parseNodeCheckOutput(stderr: string): StackFrameLocation | undefined {
  const [head = '', source, caret] = stderr.split(/\r?\n/);
  const match = /^(.+):(\d+)$/.exec(head);
  if (!match) return undefined;
  const column = source !== undefined && caret !== undefined && caret.includes('^') ? caret.indexOf('^') + 1 : 1;
  return { file: match[1] ?? '', line: Number(match[2]), column };
}

export function locateWithNodeCheck(file: string, { timeoutMs = 5_000 }: { timeoutMs?: number } = {}): Promise<StackFrameLocation | undefined> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--check', file], { timeout: timeoutMs, windowsHide: true }, (error, _stdout, stderr) => {
      resolve(error ? parseNodeCheckOutput(String(stderr)) : undefined);
    });
  });
}
