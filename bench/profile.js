/**
 * Reads the V8 CPU profile that `node --cpu-prof` wrote for a receiver under load and says where
 * its time went: the hottest functions by self time, webhook-dev's own functions by inclusive
 * time (so "runHandler: 18 %" counts everything it calls), and self time per file or package.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

const IDLE = new Set(['(idle)', '(program)']);

/**
 * @param {string} dir  the --cpu-prof-dir
 * @param {{ distDir: string, what?: string, top?: number }} options  `what` names the profiled server
 * @returns {Promise<string>} a printable summary
 */
export async function summarizeProfileDir(dir, { distDir, what = 'full-path receiver', top = 15 }) {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.cpuprofile'));
  if (files.length === 0) return `no .cpuprofile in ${dir} (did the receiver exit cleanly?)`;
  const profile = JSON.parse(await readFile(path.join(dir, files[0]), 'utf8'));
  return formatProfile(aggregate(profile, distDir), { top, what, file: path.join(dir, files[0]) });
}

function aggregate(profile, distDir) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map();
  const inclusive = new Map();
  const perFile = new Map();
  let busy = 0;
  profile.samples.forEach((id, index) => {
    const dt = profile.timeDeltas[index] ?? 0;
    const frame = byId.get(id).callFrame;
    if (IDLE.has(frame.functionName)) return;
    busy += dt;
    add(self, label(frame, distDir), dt);
    add(perFile, fileOf(frame, distDir), dt);
    // Inclusive time for webhook-dev's own frames: count each function once per sample.
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const callFrame = byId.get(at).callFrame;
      if (!isOwn(callFrame, distDir)) continue;
      const key = label(callFrame, distDir);
      if (!seen.has(key)) add(inclusive, key, dt);
      seen.add(key);
    }
  });
  return { self, inclusive, perFile, busy };
}

function formatProfile({ self, inclusive, perFile, busy }, { top, what, file }) {
  const pct = (us) => `${((us / busy) * 100).toFixed(1).padStart(5)} %`;
  const list = (map, n) => [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([key, us]) => `  ${pct(us)}  ${key}`);
  return [
    `CPU profile of the ${what} (${(busy / 1e6).toFixed(2)} s busy): ${file}`,
    'self time by function:',
    ...list(self, top),
    "webhook-dev's own functions, inclusive time:",
    ...list(inclusive, top),
    'self time by file / package:',
    ...list(perFile, top),
  ].join('\n');
}

function add(map, key, value) {
  map.set(key, (map.get(key) ?? 0) + value);
}

function isOwn(frame, distDir) {
  return toPath(frame.url).startsWith(distDir);
}

function label(frame, distDir) {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return name;
  return `${name}  ${shortFile(frame, distDir)}:${frame.lineNumber + 1}`;
}

function fileOf(frame, distDir) {
  if (!frame.url) return frame.functionName || '(native)';
  const file = shortFile(frame, distDir);
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  return pkg ? `node_modules/${pkg[1]}` : file;
}

function shortFile(frame, distDir) {
  const file = toPath(frame.url);
  return file.startsWith(distDir) ? `dist/${path.relative(distDir, file)}` : file.replace(/^.*\/node_modules\//, 'node_modules/');
}

function toPath(url) {
  return url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
}
