import type { Watchdog } from '../process/start-watchdog.js';
import type { StripeEventLike } from '../types.js';
import type { Closers } from './closers.js';

export type OfflineApi = Awaited<ReturnType<typeof startOfflineApi>>;

/** The offline Stripe, its throwaway Stripe CLI config folder, and a tap on the events it sends. */
export async function startOfflineApi(closers: Closers, watchdog: Watchdog, sessionToken: string | undefined) {
  const { startEmulator } = await import('../emulator/start-emulator.js');
  const listeners = new Set<(event: StripeEventLike) => void>();
  // Offline runs never read or write the user's Stripe CLI login.
  const { createOfflineConfigDir } = await import('./offline-config-dir.js');
  const configDir = await createOfflineConfigDir();
  // Should webhook-dev be killed, the watchdog deletes the folder once the CLI is gone.
  const afterDeath = watchdog.removeAfterDeath('dir', configDir.path);
  closers.add(async () => {
    await configDir.close();
    afterDeath.cancel();
  });
  const emulator = await startEmulator({
    onEvent: (event) => listeners.forEach((listener) => listener(event)),
    ...(sessionToken === undefined ? {} : { sessionToken }),
    // The socket `stripe trigger` reaches it through lives and dies with the config folder.
    localSocketDir: configDir.path,
  });
  closers.add(() => emulator.close());
  return {
    apiBase: emulator.apiBase,
    /** Random per session: given to the Stripe CLI in its env, never in argv. */
    apiKey: emulator.apiKey,
    localSocket: emulator.localSocket,
    publishUrl: `${emulator.controlUrl}/events`,
    configDir: configDir.path,
    listeners,
    secret: emulator.secret,
    /** `stripe listen` is ready when its websocket is up: the emulator sees that first-hand. */
    connected: async (timeoutMs: number) => {
      await emulator.waitForListener(timeoutMs);
      return { secret: emulator.secret, apiVersion: emulator.apiVersion };
    },
  };
}
