/**
 * Baseline (a): the least a webhook endpoint can do on node:http: read the whole body into one
 * Buffer (every real receiver needs the raw bytes) and answer 200. No verification, no parsing.
 */
import { createServer } from 'node:http';
import { listenLoopback, serveBench } from './serve-bench.js';

serveBench(async () => {
  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      Buffer.concat(chunks);
      response.writeHead(200).end();
    });
  });
  server.keepAliveTimeout = 5_000;
  return listenLoopback(server);
});
