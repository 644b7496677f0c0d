/**
 * Loads the user's handler module, TypeScript included, with no build step. tsx's `tsImport`
 * imports under a fresh namespace on every call, so calling this again after an edit yields the
 * new code (and fresh copies of the local files it imports): that is how reloads work.
 */
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { toTempDirError } from '../session/temp-dir-error.js';
import { HandlerLoadError, HandlerNotFoundError } from '../errors.js';
import type { HandlerShape } from './resolve-handler-shape.js';
import { resolveHandlerShape } from './resolve-handler-shape.js';
import { toHandlerLoadError } from './to-handler-load-error.js';
import { displayPath } from '../render/display-path.js';

export interface LoadedHandler extends HandlerShape {
  /** Absolute path of the handler module. */
  path: string;
  /** The module and the local files it imported (absolute, no node_modules): what to watch. */
  files: string[];
}

export interface LoadHandlerOptions {
  cwd?: string;
  /** Set by the watcher: errors then say that saving a fix reloads it. */
  watching?: boolean;
  /**
   * Called with the local files the import reached, also when it failed: a broken edit may have
   * added an import, and the watcher must see the fix to that file too.
   */
  onFiles?: (files: string[]) => void;
}

export const HANDLER_EXTENSIONS: readonly string[] = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];

export async function loadHandler(file: string, { cwd = process.cwd(), watching = false, onFiles }: LoadHandlerOptions = {}): Promise<LoadedHandler> {
  const path = resolve(cwd, file);
  const shown = displayPath(path, cwd);
  await assertLoadable(path, shown);

  const imported: string[] = [];
  let namespace: object;
  try {
    namespace =
      (await moduleFormat(path)) === 'commonjs'
        ? await requireCommonJs(path, imported)
        : ((await tsImport(pathToFileURL(path).href, {
            parentURL: import.meta.url,
            onImport: (url: string) => imported.push(url),
          })) as object);
  } catch (error) {
    // Not the handler's fault: tsx could not make its compile cache (TMPDIR unwritable or full).
    throw toTempDirError(error, 'tsx, which compiles the handler, keeps its cache') ?? (await toHandlerLoadError(error, { file: shown, path, cwd, watching, imported: localFiles(imported) }));
  } finally {
    await importsReported(imported);
    // tsx turns source maps on when it registers and off when any registration is undone; error
    // locations must point at .ts lines, so make sure they stay on.
    process.setSourceMapsEnabled(true);
    onFiles?.(withEntry(path, localFiles(imported)));
  }
  const shape = resolveHandlerShape(namespace, { file: shown });
  return { ...shape, path, files: withEntry(path, localFiles(imported)) };
}

/**
 * On Node 20, tsx runs its loader hooks in a thread of their own and reports each file it loads
 * through a MessagePort: some of those messages can still be queued when the import has resolved,
 * and a file missing from the list is a file whose edits would not reload the handler. Each turn
 * of the event loop delivers what is queued; two turns that bring nothing new mean all is in.
 * (Where Node runs the hooks in-thread, the list is complete already and this costs two turns.)
 */
async function importsReported(imported: readonly string[]): Promise<void> {
  for (let quietTurns = 0, seen = imported.length; quietTurns < 2; ) {
    await new Promise((resolve) => setImmediate(resolve));
    quietTurns = imported.length === seen ? quietTurns + 1 : 0;
    seen = imported.length;
  }
}

/**
 * CommonJS-scope handlers (`.cts`, `.cjs`, or `.ts`/`.js` without `"type": "module"`) are loaded
 * through tsx's require hook: its ESM path would run them from a `data:` URL without a source
 * map, and errors could name the file but not the line. Through require, stack frames point at
 * the TypeScript lines on Node 20 and 24 alike.
 */
async function requireCommonJs(path: string, imported: string[]): Promise<object> {
  const { require: tsxRequire } = await import('tsx/cjs/api');
  const cache = createRequire(import.meta.url).cache;
  const before = new Set(Object.keys(cache));
  try {
    const exports: unknown = tsxRequire(path, import.meta.url);
    // The shape an ES import of a CommonJS module has: its exports as default, plus named keys.
    return { ...((typeof exports === 'object' && exports !== null) || typeof exports === 'function' ? exports : {}), default: exports };
  } finally {
    for (const key of Object.keys(cache)) if (!before.has(key)) imported.push(pathToFileURL(key.replace(/\?.*$/, '')).href);
  }
}

/** What Node would load the file as: its extension decides, else the nearest package.json's "type". */
export async function moduleFormat(path: string): Promise<'module' | 'commonjs'> {
  const extension = extname(path);
  if (extension === '.mts' || extension === '.mjs') return 'module';
  if (extension === '.cts' || extension === '.cjs') return 'commonjs';
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const text = await readFile(join(dir, 'package.json'), 'utf8').catch(() => undefined);
    if (text !== undefined) {
      try {
        return (JSON.parse(text) as { type?: unknown }).type === 'module' ? 'module' : 'commonjs';
      } catch {
        return 'commonjs';
      }
    }
    if (dirname(dir) === dir) return 'commonjs';
  }
}

async function assertLoadable(path: string, shown: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  const accepted = HANDLER_EXTENSIONS.join(', ');
  if (!info || info.isDirectory()) {
    throw new HandlerNotFoundError(info ? `The handler path is a folder, not a file: ${path}` : `Handler file not found: ${path}`, {
      hint: `Pass your handler module, e.g. --handler examples/webhooks.ts (a ${accepted} file).`,
    });
  }
  // The file exists, so "not found" would mislead; and it is not about its exports either.
  if (!HANDLER_EXTENSIONS.includes(extname(path))) {
    throw new HandlerLoadError(`Cannot load ${shown}: "${extname(path) || 'no extension'}" is not a handler module type.`, {
      hint: `Use a ${accepted} file.`,
    });
  }
}

function withEntry(path: string, files: string[]): string[] {
  return files.includes(path) ? files : [path, ...files];
}

/** Dependencies never change during a session; only the user's own files are worth watching. */
function localFiles(urls: readonly string[]): string[] {
  const files = new Set<string>();
  for (const url of urls) {
    if (!url.startsWith('file:')) continue;
    const file = fileURLToPath(url.replace(/\?.*$/, ''));
    if (!file.replaceAll('\\', '/').includes('/node_modules/')) files.add(file);
  }
  return [...files];
}
