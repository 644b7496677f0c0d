/**
 * (c): webhook-dev's receiver on its full per-event path, as `listen --handler … --json` runs it:
 * verify the signature, parse, run the handler (loaded the way the CLI loads it), then build and
 * serialize the event's JSON record. The record goes to a stream that discards it, so terminal
 * speed is not measured, but the work of producing each line is.
 */
import { Writable } from 'node:stream';
import { distUrl } from '../config.js';
import { serveBench } from './serve-bench.js';

serveBench(async ({ secret, distDir, handlerPath }) => {
  const [{ startReceiver }, { loadHandler }, { runHandler }, { createJsonReporter }] = await Promise.all([
    import(distUrl(distDir, 'receiver/start-receiver.js')),
    import(distUrl(distDir, 'runner/load-handler.js')),
    import(distUrl(distDir, 'runner/run-handler.js')),
    import(distUrl(distDir, 'render/json-reporter.js')),
  ]);
  const discard = () => new Writable({ write: (_chunk, _encoding, callback) => callback() });
  const reporter = createJsonReporter({ stdout: discard(), stderr: discard() });
  const handler = await loadHandler(handlerPath);
  const receiver = await startReceiver({
    host: '127.0.0.1',
    port: 0,
    path: '/webhook',
    getSecret: () => secret,
    dispatch: async (event, delivery) => ({
      handler: await runHandler(handler, event, { timeoutMs: 10_000, attempt: delivery.attempt, receivedAt: delivery.receivedAt }),
    }),
    onDelivery: (record) => reporter.delivery(record),
  });
  return { port: receiver.port, close: () => receiver.close() };
});
