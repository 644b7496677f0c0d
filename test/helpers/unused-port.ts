import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A loopback port that nothing listens on right now: bound on port 0, then released. For "the
 * app is down" cases, and for a child that must be told its port before it starts. Another
 * process could take it in between; that small race is the price of never using a fixed port.
 */
export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
