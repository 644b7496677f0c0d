/**
 * Baseline (f): the least a verify-and-forward proxy can do with node:http and `fetch` alone:
 * read the raw body, check its Stripe-Signature with an HMAC of its own (constant-time compare,
 * 300 s tolerance), send the exact bytes on to the app with global `fetch`, answer with the app's
 * status. No parsing, no records, no diagnosis: a hard baseline for webhook-dev's forward path.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { listenLoopback, serveBench } from './serve-bench.js';

const TOLERANCE_SECONDS = 300;
const FORWARDED_HEADERS = ['stripe-signature', 'content-type', 'user-agent'];

serveBench(async ({ secret, forwardTo }) => {
  if (!forwardTo) throw new Error('forward-baseline needs forwardTo in its start message');
  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      if (!verified(raw, request.headers['stripe-signature'], secret)) {
        response.writeHead(400).end();
        return;
      }
      forward(forwardTo, raw, request.headers).then(
        (status) => response.writeHead(status).end(),
        () => response.writeHead(502).end(),
      );
    });
  });
  server.keepAliveTimeout = 5_000;
  return listenLoopback(server);
});

/** @returns {Promise<number>} the app's status, once its answer has been read (which frees the connection) */
async function forward(url, raw, incoming) {
  const headers = {};
  for (const name of FORWARDED_HEADERS) {
    const value = incoming[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const answer = await fetch(url, { method: 'POST', headers, body: raw });
  await answer.arrayBuffer();
  return answer.status;
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">[,v1=…]`, as Stripe signs. */
function verified(raw, header, secret) {
  if (typeof header !== 'string') return false;
  let timestamp = NaN;
  const signatures = [];
  for (const part of header.split(',')) {
    const at = part.indexOf('=');
    const key = part.slice(0, at);
    if (key === 't') timestamp = Number(part.slice(at + 1));
    else if (key === 'v1') signatures.push(Buffer.from(part.slice(at + 1), 'hex'));
  }
  if (!Number.isInteger(timestamp) || Math.abs(Date.now() / 1000 - timestamp) > TOLERANCE_SECONDS) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(raw).digest();
  return signatures.some((signature) => signature.length === expected.length && timingSafeEqual(signature, expected));
}
