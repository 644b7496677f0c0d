#!/usr/bin/env node
// How many of the Stripe CLI's triggers pass offline: every name `webhook-dev trigger --list`
// reports as offline runs through `webhook-dev trigger <names…> --offline` in one session, and each
// trigger's verdict is counted; the others are counted as failing with the reason --list gives
// (`trigger --offline` refuses a run that names one before anything starts). Run after `npm run build`:
//   node scripts/measure-offline-coverage.js [--timeout 20s]
// Prints one line per trigger that did not pass, then `passed N of M`; exits 0 either way.
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/webhook-dev.js', import.meta.url));
const timeout = process.argv.includes('--timeout') ? process.argv[process.argv.indexOf('--timeout') + 1] : '20s';

const listing = JSON.parse(execFileSync(process.execPath, [bin, 'trigger', '--list', '--json'], { encoding: 'utf8' }));
const names = listing.triggers.map((trigger) => trigger.name);
const offlineNames = listing.triggers.filter((trigger) => trigger.offline).map((trigger) => trigger.name);
for (const trigger of listing.triggers.filter((entry) => !entry.offline)) console.log(`${trigger.name}: not offline: ${trigger.reason}`);
const run = spawnSync(process.execPath, [bin, 'trigger', ...offlineNames, '--offline', '--json', '--timeout', timeout], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
const reports = run.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line)).filter((record) => record.type === 'trigger');
const listed = new Set(listing.triggers.filter((trigger) => trigger.offline).map((trigger) => trigger.name));
let passed = 0;
for (const report of reports) {
  if (report.outcome === 'passed') {
    passed += 1;
    if (!listed.has(report.trigger)) console.log(`${report.trigger}: passed but not listed as offline`);
    continue;
  }
  const why = (report.failures ?? []).map((failure) => failure.message).join('; ').slice(0, 160);
  console.log(`${report.trigger}: ${report.outcome}${listed.has(report.trigger) ? ' (listed as offline!)' : ''} ${why}`);
}
console.log(`passed ${passed} of ${names.length} (${reports.length} of the ${offlineNames.length} listed as offline reported)`);
