import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PortInUseError, UsageError } from '../errors.js';

export interface ListenOnOptions {
  host: string;
  port: number;
  /** Named in the error: "the receiver", "the control server"… */
  what: string;
  /** What to do when the port is taken. */
  portHint: string;
  hostHint?: string;
}

/**
 * Starts listening and turns the two mistakes a user can make (a taken port, a host that is not
 * this machine) into errors with a hint; the `error` listener is removed once listening, so a
 * later error is the server's own business. Resolves with the bound port (useful for port 0).
 */
export function listenOn(server: Server, { host, port, what, portHint, hostHint = 'Use 127.0.0.1 (the default) or an address of this machine.' }: ListenOnOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      if (error.code === 'EADDRINUSE') {
        reject(new PortInUseError(`Port ${port} on ${host} is already in use, so ${what} cannot start.`, { hint: portHint, cause: error }));
      } else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
        reject(new UsageError(`Cannot listen on host "${host}": ${error.code}.`, { hint: hostHint, cause: error }));
      } else {
        reject(error);
      }
    };
    const onListening = () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}
