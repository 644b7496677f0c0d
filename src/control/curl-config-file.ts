import { rm, writeFile } from 'node:fs/promises';

/**
 * `<session file>.curl`: a curl config (`curl -K FILE URL …`) that carries the session's token and
 * the JSON content type, so the documented publish examples work without the token ever being
 * printed. Written 0600 beside the session file, which holds the same token.
 */
export async function writeCurlConfigFile(sessionFilePath: string, token: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = sessionFilePath.replace(/\.json$/, '.curl');
  await writeFile(path, curlConfig(token), { mode: 0o600 });
  let removed: Promise<void> | undefined;
  return { path, remove: () => (removed ??= rm(path, { force: true })) };
}

/** Pure: the config text. Curl reads `header = "…"` lines; `-d` on the command line still sets the body. */
export function curlConfig(token: string): string {
  return [
    '# webhook-dev session credentials: curl -K <this file> http://127.0.0.1:PORT/_webhook-dev/events -d \'{"type":"…"}\'',
    `header = "Authorization: Bearer ${token}"`,
    'header = "Content-Type: application/json"',
    '',
  ].join('\n');
}
