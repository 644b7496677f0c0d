/**
 * (g): webhook-dev's receiver on the per-event path of `listen --forward-to <app> --json`: verify
 * the signature, parse, forward the exact bytes with its forwarder (which also times the exchange
 * and diagnoses the app's answer), answer with the app's status, then build and serialize the
 * event's JSON record. The record goes to a stream that discards it, as in webhook-dev.js.
 */
import { Writable } from 'node:stream';
import { distUrl } from '../config.js';
import { serveBench } from './serve-bench.js';

serveBench(async ({ secret, distDir, forwardTo }) => {
  if (!forwardTo) throw new Error('webhook-dev-forward needs forwardTo in its start message');
  const [{ startReceiver }, { createForwarder }, { createJsonReporter }] = await Promise.all([
    import(distUrl(distDir, 'receiver/start-receiver.js')),
    import(distUrl(distDir, 'forwarder/create-forwarder.js')),
    import(distUrl(distDir, 'render/json-reporter.js')),
  ]);
  const discard = () => new Writable({ write: (_chunk, _encoding, callback) => callback() });
  const reporter = createJsonReporter({ stdout: discard(), stderr: discard() });
  const forwarder = createForwarder({ url: forwardTo, secret: () => secret });
  const receiver = await startReceiver({
    host: '127.0.0.1',
    port: 0,
    path: '/webhook',
    getSecret: () => secret,
    dispatch: async (_event, delivery) => ({ forward: await forwarder.forward(delivery.raw, delivery.headers) }),
    onDelivery: (record) => reporter.delivery(record),
  });
  return {
    port: receiver.port,
    close: async () => {
      await receiver.close();
      await forwarder.close();
    },
  };
});
