/**
 * The child side of a server under test. The parent forks the script, sends `{ type: 'start', … }`
 * with the secret (over IPC, so it never shows in argv or env), and waits for `{ type: 'ready',
 * port }`. `{ type: 'stop' }` closes the server and exits cleanly, which lets `--cpu-prof` write
 * its profile. A child whose parent is gone exits on its own: the IPC channel closes with it.
 */

/**
 * @typedef {object} StartMessage
 * @property {'start'} type
 * @property {string} secret
 * @property {string} distDir
 * @property {string} handlerPath
 * @property {string} [forwardTo]  for the forwarding proxies: the app's URL they forward to
 */

/**
 * @param {(message: StartMessage) => Promise<{ port: number, close(): Promise<void> }>} start
 */
export function serveBench(start) {
  process.on('disconnect', () => process.exit(0));
  process.once('message', (/** @type {StartMessage} */ message) => {
    start(message).then(
      (server) => {
        process.on('message', (next) => {
          if (next?.type === 'stop') server.close().finally(() => process.exit(0));
        });
        process.send?.({ type: 'ready', port: server.port });
      },
      (error) => {
        process.send?.({ type: 'error', message: error instanceof Error ? error.stack ?? error.message : String(error) });
        process.exit(1);
      },
    );
  });
}

/** Listens on 127.0.0.1 with an ephemeral port and gives the same handle as startReceiver. */
export function listenLoopback(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve({
        port: server.address().port,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
