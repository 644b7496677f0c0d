/**
 * Measures offline coverage: runs every trigger the bundled Stripe CLI lists through the built
 * binary, one standalone offline session each (`webhook-dev trigger <name> --offline --json`), and
 * counts those whose verdict is "passed" (every expected event delivered and verified).
 *
 *   npm run build && node scripts/count-offline-triggers.js [--concurrency 2] [--only a,b]
 *
 * Prints one line per trigger that fails, with the reason the Stripe CLI or the verdict gave, then
 * "N of M triggers pass offline". Exit code 0 whatever the count: this is a measurement.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/webhook-dev.js', import.meta.url));
const args = process.argv.slice(2);
const option = (name) => {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
};
const concurrency = Number(option('--concurrency') ?? 2);

function run(argv, timeout) {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...argv], { timeout, maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => resolve({ error, stdout }));
  });
}

function records(stdout) {
  return stdout.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
}

const listed = records((await run(['trigger', '--list', '--json'], 60_000)).stdout).find((record) => record.type === 'triggers');
const names = option('--only')?.split(',') ?? listed.triggers.map((trigger) => trigger.name);

async function measure(name) {
  const { stdout } = await run(['trigger', name, '--offline', '--json', '--timeout', '20s'], 60_000);
  const verdict = records(stdout).find((record) => record.type === 'trigger');
  if (verdict === undefined) return { name, passed: false, reason: 'no verdict (the session did not start?)' };
  const reason = verdict.stripeMessage ?? (verdict.missing.length > 0 ? `missing events: ${verdict.missing.join(', ')}` : verdict.outcome);
  return { name, passed: verdict.outcome === 'passed', reason: reason.split('. Triggers that work offline')[0] };
}

const results = [];
let next = 0;
await Promise.all(Array.from({ length: concurrency }, async () => {
  while (next < names.length) {
    const name = names[next++];
    results.push(await measure(name));
  }
}));
results.sort((a, b) => a.name.localeCompare(b.name));
for (const result of results.filter((r) => !r.passed)) console.log(`✗ ${result.name.padEnd(52)} ${result.reason}`);
const passed = results.filter((r) => r.passed).length;
console.log(`${passed} of ${results.length} triggers pass offline (Stripe CLI ${listed.stripeCli.version}).`);
