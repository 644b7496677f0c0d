/**
 * Finds, in a V8 stack trace, the first frame that belongs to the user's code: the line worth
 * showing under a failed event. Frames in Node itself, in dependencies and in webhook-dev are
 * skipped, and frames still in compiled coordinates are mapped back to the TypeScript source.
 */
import { findSourceMap as nodeFindSourceMap, type SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface StackFrameLocation {
  /** Absolute path. */
  file: string;
  /** Absent when only the file is known (see `resolveFrame`). */
  line?: number;
  column?: number;
}

/** A frame as printed: `where` is a path or URL, possibly with tsx's namespace query. */
export interface RawFrame {
  where: string;
  line: number;
  column: number;
}

export type FindSourceMap = (url: string) => Pick<SourceMap, 'findEntry'> | undefined;

const FRAME = /^\s*at\s+(.*)$/;
const LOCATION = /^(.*):(\d+):(\d+)$/;
// tsx imports each module under a namespace query so that a reload gets a fresh copy.
const NAMESPACE_QUERY = /\?(?:tsx-)?namespace=[^/\\]*$/;

export function findUserFrame(
  stack: string,
  isExcluded: (file: string) => boolean,
  findSourceMap: FindSourceMap = nodeFindSourceMap,
  stackIsMapped: boolean = nodeMapsStacks(),
): StackFrameLocation | undefined {
  for (const line of stack.split('\n')) {
    const raw = parseFrame(line);
    const location = raw && resolveFrame(raw, findSourceMap, stackIsMapped);
    if (location && !isExcluded(location.file)) return location;
  }
  return undefined;
}

/** `    at fn (/a/b.ts:3:9)`, `    at async /a/b.ts:3:9`, `    at file:///a/b.mjs:3:9` → parts. */
export function parseFrame(line: string): RawFrame | undefined {
  const body = FRAME.exec(line)?.[1];
  if (body === undefined) return undefined;
  const inParens = body.endsWith(')') ? body.slice(body.indexOf('(') + 1, -1) : body.replace(/^async\s+/, '');
  const match = LOCATION.exec(inParens);
  if (!match) return undefined;
  return { where: match[1] ?? '', line: Number(match[2]), column: Number(match[3]) };
}

/**
 * Turns a printed frame into a source location. Node maps tsx's compiled code back to the .ts
 * source itself, but only while nobody else owns `Error.prepareStackTrace` (vitest, source-map-
 * support do): a frame still carrying tsx's namespace query was not mapped, so it is mapped here
 * from the source map Node cached at load. CommonJS-scope TypeScript that tsx loads as a `data:`
 * URL has no retrievable map: only its file is known.
 */
export function resolveFrame(raw: RawFrame, findSourceMap: FindSourceMap, stackIsMapped = true): StackFrameLocation | undefined {
  if (raw.where.startsWith('data:')) {
    const filePath = /[?&]filePath=([^&]*)$/.exec(raw.where)?.[1];
    return filePath ? { file: decodeURIComponent(filePath).replace(NAMESPACE_QUERY, '') } : undefined;
  }
  const file = toPath(raw.where.replace(NAMESPACE_QUERY, ''));
  if (file === undefined) return undefined;
  // Mapping a frame Node already mapped would move it to a wrong line, so only raw frames are mapped.
  if (NAMESPACE_QUERY.test(raw.where) || !stackIsMapped) {
    const entry = safeFindEntry(findSourceMap, raw);
    if (entry) return { file: toPath(entry.originalSource) ?? file, line: entry.originalLine + 1, column: entry.originalColumn + 1 };
  }
  return { file, line: raw.line, column: raw.column };
}

function safeFindEntry(findSourceMap: FindSourceMap, raw: RawFrame) {
  try {
    const entry = findSourceMap(raw.where)?.findEntry(raw.line - 1, raw.column - 1);
    return entry && 'originalSource' in entry && typeof entry.originalSource === 'string' ? entry : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Node maps stack frames through source maps only in its own `Error.prepareStackTrace`; when a
 * test runner or source-map-support replaces it (Node 24 under vitest, for one), frames arrive in
 * compiled coordinates and must be mapped here.
 */
export function nodeMapsStacks(): boolean {
  const sourceMapsEnabled = (process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled;
  return sourceMapsEnabled !== false && Error.prepareStackTrace?.name === 'ErrorPrepareStackTrace';
}

/** Plain paths and file: URLs become paths; `node:`, `native` and `<anonymous>` do not. */
function toPath(where: string): string | undefined {
  if (where.startsWith('file://')) {
    try {
      return fileURLToPath(where);
    } catch {
      return undefined;
    }
  }
  if (where.startsWith('/') || /^[A-Za-z]:[\\/]/.test(where)) return where;
  return undefined;
}

/** Dependencies and webhook-dev's own source or build are never "the user's code". */
export function createFrameFilter(ownRoot: string): (file: string) => boolean {
  const normalized = ownRoot.replaceAll('\\', '/').replace(/\/$/, '');
  const own = [`${normalized}/src/`, `${normalized}/dist/`, `${normalized}/bin/`];
  return (file) => {
    const path = file.replaceAll('\\', '/');
    return path.includes('/node_modules/') || own.some((prefix) => path.startsWith(prefix));
  };
}
