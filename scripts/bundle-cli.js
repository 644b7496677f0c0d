/**
 * Bundles the command line (src/cli/main.ts and what it imports, dependencies included) into
 * dist/bundle/, which bin/webhook-dev.js runs, and the programmatic API into dist/bundle/index.js.
 * tsc writes the types (the .d.ts files under dist/, packed) and .js files beside them, which only the bench and the
 * tests load (not packed).
 *
 * Why: Node 20 resolves, reads and links every ES module file on its own, and that, not our
 * code, was most of the start-up. execa alone is ~70 ms as its 60-odd files and ~18 ms bundled
 * (this machine, `await import()` in a fresh process). Dynamic imports stay split into chunks
 * that load only when needed (ora on a terminal, undici when forwarding, the emulator offline).
 *
 * Left outside the bundle: tsx (it registers its own loader files by path), stripe (types only
 * at run time) and @stripe/cli (its binary is found by resolving its package).
 */
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'bundle');

await rm(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  // The handler worker is a thread started from a file: its own entry point, next to main.js, so the
  // session finds it as ./handler-worker.js from whichever chunk starts it.
  // The programmatic API is bundled too (index.js), sharing chunks with the CLI: the libraries the
  // CLI bundles then need not be installed again as dependencies (the package installs about
  // half the size). tsc's dist/*.d.ts stay its types.
  entryPoints: { main: 'src/cli/main.ts', 'handler-worker': 'src/runner/handler-worker.ts', index: 'src/index.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.18',
  // Same depth as dist/cli/: the code finds package.json and the repo root at '../..'.
  chunkNames: 'chunk-[hash]',
  external: ['tsx', 'tsx/*', 'stripe', '@stripe/cli', '@stripe/cli/*', 'bufferutil', 'utf-8-validate'],
  // Bundled CommonJS dependencies (cross-spawn, ws) call require() for Node's own modules.
  banner: { js: "import { createRequire as __webhookDevCreateRequire } from 'node:module';\nconst require = __webhookDevCreateRequire(import.meta.url);" },
  // No source maps: with them on (they are, once a handler loads) Node 20 would parse the map of
  // every chunk loaded afterwards, and unminified chunks keep stack traces readable anyway.
  sourcemap: false,
  legalComments: 'eof',
  logLevel: 'warning',
});

// CommonJS projects (what `npm init -y` makes): tsx compiles their handlers to require() calls,
// and `require('webhook-dev')` needs a CommonJS file under the "require" condition. Node 20.18
// cannot require() our ES modules, so the handler-authoring API (defineHandlers, defineHandler:
// typing helpers that are identities at run time) is built once more as CommonJS, with types
// that re-export the ESM declarations (type-only, so no require() of ESM ever happens).
await build({
  absWorkingDir: root,
  entryPoints: ['src/runner/define-handlers.ts'],
  outfile: path.join(root, 'dist', 'index.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20.18',
  logLevel: 'warning',
});
await writeFile(
  path.join(root, 'dist', 'index.d.cts'),
  [
    '// The CommonJS entry: the handler-authoring API. The rest of webhook-dev is ESM (import it).',
    "export type { EventHandler, HandlerMap, StripeEventOfType, StripeEventType, HandlerContext, HandlerLogger } from './index.js' with { 'resolution-mode': 'import' };",
    "import type { EventHandler, HandlerMap } from './index.js' with { 'resolution-mode': 'import' };",
    "import type Stripe from 'stripe';",
    'export declare function defineHandlers(handlers: HandlerMap): HandlerMap;',
    'export declare function defineHandler(handler: EventHandler<Stripe.Event>): EventHandler<Stripe.Event>;',
    '',
  ].join('\n'),
);
