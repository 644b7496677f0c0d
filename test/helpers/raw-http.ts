/**
 * HTTP the way a hostile client sends it: node:http for headers fetch will not set (Host, a header
 * sent twice), and raw sockets for requests that never finish. Loopback only.
 */
import { request as httpRequest, type OutgoingHttpHeaders } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request with exactly these headers (arrays are sent as repeated header lines). */
export function sendRequest(url: string, { method = 'POST', headers = {}, body }: { method?: string; headers?: OutgoingHttpHeaders; body?: string | Buffer } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method, headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(body);
  });
}

export interface RawConnection {
  socket: Socket;
  /** Everything the server sent so far. */
  received(): string;
  /** Resolves when the server (or an error) ends the connection, with the ms it was open. */
  closed: Promise<number>;
}

/** A raw TCP connection to 127.0.0.1:port; write whatever bytes a test needs. */
export function openConnection(port: number): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const opened = performance.now();
    const socket = connect({ host: '127.0.0.1', port });
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (text += chunk));
    const closed = new Promise<number>((resolveClosed) => socket.once('close', () => resolveClosed(performance.now() - opened)));
    socket.on('error', () => {
      // A reset from the server is how some of these tests end; `closed` reports it.
    });
    socket.once('connect', () => resolve({ socket, received: () => text, closed }));
    socket.once('error', reject);
  });
}

/** Writes filler bytes as fast as the server takes them until it hangs up (or `maxBytes`); returns how many were written. */
export async function uploadUntilClosed(connection: RawConnection, maxBytes: number): Promise<number> {
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let sent = 0;
  let open = true;
  void connection.closed.then(() => (open = false));
  while (open && sent < maxBytes) {
    sent += chunk.length;
    if (!connection.socket.write(chunk)) {
      await new Promise<void>((resolve) => {
        connection.socket.once('drain', resolve);
        void connection.closed.then(() => resolve());
      });
    }
  }
  await connection.closed;
  return sent;
}
