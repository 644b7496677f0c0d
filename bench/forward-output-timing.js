/**
 * How late an app's output lines arrive relative to its answer, and what waiting for them costs a
 * delivery's record (the "whole answer" verdict of `--forward-to … -- COMMAND`). Not part of
 * `npm run bench`: run it alone after `npm run build`.
 *
 *   node bench/forward-output-timing.js [events per app, default 40]
 *
 * For each app (the test fixtures: Fastify correct and broken, and the Stripe docs' Flask sample
 * when Debian's python3-flask is installed), it starts the app with startApp, forwards signed
 * events one after another with createForwarder (attributeAppOutput on) and reports:
 *   - lateness: line arrival minus the app's answer, in ms (negative: the line came first);
 *   - answer→record: how long the judged result came after the answer (the record's extra wait).
 * Everything stays on 127.0.0.1; each app is stopped at the end, on error and on Ctrl-C.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { distUrl, readConfig, REPO_DIR } from './config.js';

const config = readConfig();
const [{ startApp }, { createForwarder }, { signPayload }, { waitForPort }] = await Promise.all([
  import(distUrl(config.distDir, 'app/start-app.js')),
  import(distUrl(config.distDir, 'forwarder/create-forwarder.js')),
  import(distUrl(config.distDir, 'signature/sign-payload.js')),
  import(distUrl(config.distDir, 'app/wait-for-port.js')),
]);

const EVENTS = Math.min(Math.max(Number(process.argv[2] ?? 40) || 40, 5), 500);
const SECRET = 'whsec_benchforwardoutputtiming0000';
const FIXTURES = path.join(REPO_DIR, 'test/fixtures/apps/frameworks');
const APPS = [
  { name: 'Fastify, correct (logs before answering)', command: ['node', path.join(FIXTURES, 'fastify-app.mjs')], env: { APP_VARIANT: 'raw-body' } },
  { name: 'Fastify, parsed body (logs the failure, 400)', command: ['node', path.join(FIXTURES, 'fastify-app.mjs')], env: { APP_VARIANT: 'parsed' } },
  ...(existsSync('/usr/bin/python3')
    ? [
        {
          name: 'Flask docs sample, correct (print, then Werkzeug logs after answering)',
          command: ['/usr/bin/python3', '-m', 'flask', '--app', path.join(FIXTURES, 'flask/server.py'), 'run', '--port', '{PORT}'],
          env: { APP_VARIANT: 'correct' },
        },
        {
          name: 'Flask docs sample, parsed body (200 {"success": false})',
          command: ['/usr/bin/python3', '-m', 'flask', '--app', path.join(FIXTURES, 'flask/server.py'), 'run', '--port', '{PORT}'],
          env: { APP_VARIANT: 'parsed' },
        },
      ]
    : []),
];

const running = new Set();
const stopAll = () => Promise.all([...running].map((app) => app.stop()));
process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));

try {
  for (const spec of APPS) console.log(formatRow(spec.name, await measure(spec)));
} finally {
  await stopAll();
}

async function measure(spec) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/webhook`;
  let forwarder;
  const arrivals = [];
  const app = await startApp({
    command: spec.command.map((word) => word.replace('{PORT}', String(port))),
    env: { ...process.env, PYTHONUNBUFFERED: '1', ...spec.env, PORT: String(port), STRIPE_WEBHOOK_SECRET: SECRET },
    onLine: (stream, line) => {
      arrivals.push(performance.now());
      forwarder?.appLine(stream, line);
    },
  });
  running.add(app);
  try {
    await waitForPort(url, { timeoutMs: 20_000, exited: app.exited, recentLines: () => app.recentLines() });
    forwarder = createForwarder({ url, secret: () => SECRET, attributeAppOutput: true, secretInjected: true });
    const lateness = [];
    const recordWait = [];
    let failed = 0;
    for (let i = 0; i < EVENTS; i++) {
      const id = `evt_bench${i}x${Date.now()}`;
      const raw = Buffer.from(JSON.stringify({ id, object: 'event', type: 'payment_intent.succeeded', created: 1, livemode: false, data: { object: { id: 'pi_1', object: 'payment_intent', amount: 2000 } } }));
      const headers = { 'stripe-signature': signPayload(raw, { secret: SECRET }), 'content-type': 'application/json' };
      const startedAt = performance.now();
      const { judged } = await forwarder.send(raw, headers, id);
      const answeredAt = performance.now();
      const result = await judged;
      recordWait.push(performance.now() - answeredAt);
      if (result.refusal || result.outcome.status === 'failed' || result.outcome.statusCode >= 300) failed++;
      // Lines that arrived for this event, judged against its answer.
      await new Promise((resolve) => setTimeout(resolve, 20));
      for (const at of arrivals.splice(0)) if (at >= startedAt) lateness.push(at - answeredAt);
    }
    await forwarder.close();
    return { lateness, recordWait, failed };
  } finally {
    await app.stop();
    running.delete(app);
  }
}

function formatRow(name, { lateness, recordWait, failed }) {
  const stats = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
    return `median ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)}, max ${(sorted.at(-1) ?? NaN).toFixed(1)}`;
  };
  return [
    `${name}: ${EVENTS} events, ${failed} judged failed`,
    `  line lateness after the answer (${lateness.length} lines): ${stats(lateness)}`,
    `  answer → record: ${stats(recordWait)}`,
  ].join('\n');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
