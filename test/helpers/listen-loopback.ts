import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackServer {
  port: number;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** Stops listening and drops kept-alive connections (the Stripe CLI keeps them), so no test waits on them. */
  close(): Promise<void>;
}

/** Listens on an ephemeral 127.0.0.1 port: tests never use fixed ports or other interfaces. */
export async function listenLoopback(server: Server): Promise<LoopbackServer> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}
