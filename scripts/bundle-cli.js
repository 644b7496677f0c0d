/**
 * Bundles the command line (src/cli/main.ts and what it imports, dependencies included) into
 * dist/bundle/, which bin/webhook-dev.js runs. tsc's dist/ stays the programmatic API.
 *
 * Why: Node 20 resolves, reads and links every ES module file on its own, and that, not our
 * code, was most of the start-up. execa alone is ~70 ms as its 60-odd files and ~18 ms bundled
 * (this machine, `await import()` in a fresh process). Dynamic imports stay split into chunks
 * that load only when needed (ora on a terminal, undici when forwarding, the emulator offline).
 *
 * Left outside the bundle: tsx (it registers its own loader files by path), stripe (types only
 * at run time) and @stripe/cli (its binary is found by resolving its package).
 */
import { rm } from 'node:fs/promises';
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
  entryPoints: { main: 'src/cli/main.ts', 'handler-worker': 'src/runner/handler-worker.ts' },
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
