/**
 * Explains why importing the handler failed, pointing at the user's line: a syntax error (from
 * esbuild or Node), an exception thrown at import time, or an import that does not resolve.
 */
import { readFile } from 'node:fs/promises';
import { HandlerLoadError } from '../errors.js';
import { redactSecrets } from '../secrets.js';
import type { StackFrameLocation } from './find-user-frame.js';
import { locateWithNodeCheck, parseEsbuildFailures } from './locate-syntax-error.js';
import { describeLocation, describeThrown, serializeHandlerError } from './serialize-handler-error.js';

export interface LoadFailureContext {
  /** The handler as shown to the user (relative to cwd when inside it). */
  file: string;
  /** Absolute path of the handler. */
  path: string;
  cwd: string;
  watching: boolean;
  /** Local files imported before the failure, in order: where a JS syntax error may be. */
  imported: readonly string[];
  locateSyntaxError?: (file: string) => Promise<StackFrameLocation | undefined>;
}

const readText = (file: string) => readFile(file, 'utf8');

export async function toHandlerLoadError(error: unknown, context: LoadFailureContext): Promise<HandlerLoadError> {
  const { file, watching } = context;
  const { message, location, sourceLine } = await describeFailure(error, context);
  const details = location ? [`at ${location}`, ...(sourceLine ? [`  ${sourceLine}`] : [])] : [];
  return new HandlerLoadError(`Could not load the handler ${file}: ${message}`, {
    hint: watching ? 'Fix the error and save: webhook-dev reloads it.' : `Fix the error in ${file} and run the command again.`,
    details,
    cause: error,
  });
}

async function describeFailure(error: unknown, context: LoadFailureContext): Promise<{ message: string; location?: string; sourceLine?: string }> {
  const { cwd } = context;
  const thrown = describeThrown(error);
  const esbuild = parseEsbuildFailures(thrown.message);
  const first = esbuild[0];
  if (first) {
    const message = redactSecrets(esbuild.map((failure) => failure.text).join('; '));
    return { message, ...(await describeLocation(first.location, { cwd, readText })) };
  }
  if (thrown.name === 'SyntaxError') {
    const location = await locateJsSyntaxError(context);
    const prefixed = `SyntaxError: ${thrown.message}`;
    return location ? { message: prefixed, ...(await describeLocation(location, { cwd, readText })) } : { message: prefixed };
  }
  // Thrown while the module ran, or an unresolvable import (the message names both files).
  const serialized = await serializeHandlerError(error, { cwd, readText });
  const message = serialized.name === 'Error' || serialized.name.startsWith('Thrown ') ? serialized.message : `${serialized.name}: ${serialized.message}`;
  return { message, ...(serialized.location ? { location: serialized.location } : {}), ...(serialized.sourceLine ? { sourceLine: serialized.sourceLine } : {}) };
}

async function locateJsSyntaxError({ path, imported, locateSyntaxError = locateWithNodeCheck }: LoadFailureContext): Promise<StackFrameLocation | undefined> {
  // The most recently imported file is the likeliest culprit; the handler itself is checked too.
  const candidates = [...new Set([...imported].reverse().concat(path))].filter((file) => /\.(m?js|cjs)$/.test(file)).slice(0, 5);
  for (const candidate of candidates) {
    const location = await locateSyntaxError(candidate);
    if (location) return location;
  }
  return undefined;
}
