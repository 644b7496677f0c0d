/**
 * One Server-Sent Events message. The data is JSON.stringify output, which never contains a raw
 * line break, so a single `data:` line always carries it whole.
 */
export function formatSseMessage({ id, event, data }: { id: number; event: string; data: string }): string {
  return `id: ${id}\nevent: ${event}\ndata: ${data}\n\n`;
}

/** A comment line: ignored by every SSE client, but it keeps proxies and idle timers from closing the stream. */
export const SSE_KEEPALIVE = ': keepalive\n\n';
