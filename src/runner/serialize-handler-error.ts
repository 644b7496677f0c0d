/**
 * Turns whatever a handler threw (or its module threw while loading) into plain data for the
 * reporters and the journal, and points at the line in the user's code that threw:
 * `src/webhooks.ts:12:11` plus that line's text. webhook-dev's own errors are render/format-error.ts.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { inspect, types } from 'node:util';
import { displayPath } from '../render/display-path.js';
import { redactSecrets } from '../secrets.js';
import type { SerializedError } from '../types.js';
import { createFrameFilter, findUserFrame, type StackFrameLocation } from './find-user-frame.js';

export interface SerializeHandlerErrorOptions {
  cwd?: string;
  /** The folder holding webhook-dev's own src/ and dist/, whose frames are never the user's. */
  ownRoot?: string;
  readText?: (file: string) => Promise<string>;
}

// src/runner/ and dist/runner/ are both two levels below the package root.
const OWN_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export async function serializeHandlerError(
  thrown: unknown,
  { cwd = process.cwd(), ownRoot = OWN_ROOT, readText = (file) => readFile(file, 'utf8') }: SerializeHandlerErrorOptions = {},
): Promise<SerializedError> {
  const base = describeThrown(thrown);
  if (base.stack === undefined) return base;
  const frame = findUserFrame(base.stack, createFrameFilter(ownRoot));
  if (!frame) return base;
  return { ...base, ...(await describeLocation(frame, { cwd, readText })) };
}

/** The parts of a thrown value that survive without its prototype; secrets masked. */
export function describeThrown(thrown: unknown): SerializedError {
  if (isErrorLike(thrown)) {
    const code = (thrown as { code?: unknown }).code;
    return {
      name: typeof thrown.name === 'string' && thrown.name !== '' ? thrown.name : 'Error',
      message: redactSecrets(String(thrown.message)),
      ...(typeof code === 'string' || typeof code === 'number' ? { code: String(code) } : {}),
      ...(typeof thrown.stack === 'string' ? { stack: redactSecrets(thrown.stack) } : {}),
    };
  }
  // `throw 'nope'` or `throw { status: 400 }`: there is no stack, so no location either.
  const kind = thrown === null ? 'null' : Array.isArray(thrown) ? 'array' : typeof thrown;
  const message = typeof thrown === 'string' ? thrown : inspect(thrown, { compact: true, breakLength: Infinity, depth: 2 });
  return { name: `Thrown ${kind}`, message: redactSecrets(message) };
}

export async function describeLocation(
  frame: StackFrameLocation,
  { cwd, readText }: { cwd: string; readText: (file: string) => Promise<string> },
): Promise<Pick<SerializedError, 'location' | 'sourceLine'>> {
  const shown = displayPath(frame.file, cwd);
  if (frame.line === undefined) return { location: shown };
  const location = `${shown}:${frame.line}${frame.column === undefined ? '' : `:${frame.column}`}`;
  const text = await readText(frame.file).catch(() => undefined);
  const sourceLine = text?.split(/\r?\n/)[frame.line - 1]?.trim();
  return sourceLine ? { location, sourceLine: redactSecrets(sourceLine) } : { location };
}

function isErrorLike(value: unknown): value is Error {
  if (value instanceof Error || types.isNativeError(value)) return true;
  // Errors from another realm (vm, workers) or hand-made ones still carry a message and a stack.
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { message?: unknown }).message === 'string' &&
    typeof (value as { stack?: unknown }).stack === 'string'
  );
}
