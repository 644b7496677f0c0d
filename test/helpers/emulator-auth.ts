/**
 * The emulator answers only its session's clients. A test that starts one passes its key:
 *   fetch(url, { headers: emulatorAuth(emulator) })            stripeCliEnv({ configHome, apiKey: emulator.apiKey })
 * and publishes as JSON:
 *   fetch(`${emulator.controlUrl}/events`, jsonPost(emulator, { type: 'customer.created' }))
 */
import { readFileSync } from 'node:fs';

export function emulatorAuth({ apiKey }: { apiKey: string }): Record<string, string> {
  return { Authorization: `Bearer ${apiKey}` };
}

export function jsonPost(emulator: { apiKey: string }, body: unknown): RequestInit {
  return { method: 'POST', headers: { ...emulatorAuth(emulator), 'Content-Type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) };
}

/**
 * A running `listen --offline`'s credentials, the way a user's curl gets them: from the curl config
 * its `ready` record (or banner) names. The key itself is masked in the output.
 */
export function sessionCredentials(ready: object): { apiKey: string } {
  const { publishCurlConfig } = ready as { publishCurlConfig?: unknown };
  if (typeof publishCurlConfig !== 'string') throw new Error('The ready record names no publishCurlConfig.');
  const token = /Authorization: Bearer (\S+)"/.exec(readFileSync(publishCurlConfig, 'utf8'))?.[1];
  if (token === undefined) throw new Error(`No token in ${publishCurlConfig}.`);
  return { apiKey: token };
}
