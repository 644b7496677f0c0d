/**
 * The app both proxies forward to: a bare node:http endpoint that reads the whole body and answers
 * 200 `{"received":true}`, as a Stripe webhook route does once it has done its work. It does
 * nothing else, so the forward benchmark measures the proxies, not the app.
 */
import { createServer } from 'node:http';
import { listenLoopback, serveBench } from './serve-bench.js';

const RECEIVED = '{"received":true}';
const HEADERS = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(RECEIVED) };

serveBench(async () => {
  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      Buffer.concat(chunks);
      response.writeHead(200, HEADERS).end(RECEIVED);
    });
  });
  // The proxies' pooled connections sit idle while the other proxy's slice runs; a long keep-alive
  // keeps the server from closing one just as a proxy reuses it (a socket error, an invalid run).
  server.keepAliveTimeout = 60_000;
  return listenLoopback(server);
});
