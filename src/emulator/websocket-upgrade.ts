/**
 * Accepts the Stripe CLI's websocket: a loopback Host and no foreign Origin (a web page can open a
 * websocket to 127.0.0.1, but cannot set headers), the right path, a `Websocket-Id` from a live
 * session and the `stripecli-devproxy-v1` subprotocol. The handshake carries no key: the id is the
 * proof, and only a caller holding the session's key got one from `POST /v1/stripecli/sessions`.
 * An unknown id is answered 400 "Unknown WebSocket ID.", the one answer that makes the CLI create
 * a new session instead of retrying the old one.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { checkRequestSource } from './request-guard.js';
import type { SessionHub } from './session-hub.js';
import { WEBSOCKET_PATH } from './stripe-cli-session-route.js';
import { WEBSOCKET_SUBPROTOCOL } from './webhook-message.js';

export interface WebsocketUpgrade {
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  close(): void;
}

export interface WebsocketUpgradeOptions {
  hub: SessionHub;
  /** Where the emulator listens, known once it does. */
  source: () => { host: string; port: number };
}

export function createWebsocketUpgrade({ hub, source }: WebsocketUpgradeOptions): WebsocketUpgrade {
  const server = new WebSocketServer({
    noServer: true,
    // The CLI asks for no compression (Accept-Encoding: identity); payloads are small JSON.
    perMessageDeflate: false,
    // The hub answers pings itself, so that a test can make it stop (emulator-faults.ts).
    autoPong: false,
    handleProtocols: (protocols) => (protocols.has(WEBSOCKET_SUBPROTOCOL) ? WEBSOCKET_SUBPROTOCOL : false),
  });

  return {
    handleUpgrade(request, socket, head) {
      socket.on('error', () => {
        // A client that hangs up mid-handshake is not the emulator's problem.
      });
      const problem = checkHandshake(request, hub, source());
      if (problem !== undefined) {
        rejectHandshake(socket, problem.status, problem.message);
        return;
      }
      const websocketId = request.headers['websocket-id'] as string;
      server.handleUpgrade(request, socket, head, (websocket) => hub.attach(websocketId, websocket));
    },
    close() {
      server.close();
    },
  };
}

function checkHandshake(request: IncomingMessage, hub: SessionHub, listening: { host: string; port: number }): { status: number; message: string } | undefined {
  const verdict = checkRequestSource(request, listening);
  if (!verdict.ok) return verdict;
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (url.pathname !== WEBSOCKET_PATH) return { status: 404, message: `No websocket at ${url.pathname}.` };
  const websocketId = request.headers['websocket-id'];
  if (typeof websocketId !== 'string' || !hub.hasSession(websocketId)) return { status: 400, message: 'Unknown WebSocket ID.' };
  const offered = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((protocol) => protocol.trim());
  if (!offered.includes(WEBSOCKET_SUBPROTOCOL)) return { status: 400, message: `Expected the ${WEBSOCKET_SUBPROTOCOL} subprotocol.` };
  return undefined;
}

function rejectHandshake(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ error: { message } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
