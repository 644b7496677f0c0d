/**
 * DNS-rebinding guard. A web page can make a browser send requests to 127.0.0.1 under its own
 * domain name (evil.example resolving to 127.0.0.1), and the Host header then names that domain.
 * Only the loopback names a local client would use, with our port, are accepted.
 */
export function isAllowedHost(hostHeader: string | undefined, { host, port }: { host: string; port: number }): boolean {
  if (hostHeader === undefined) return false;
  const allowed = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `${urlHost(host)}:${port}`]);
  return allowed.has(hostHeader.trim().toLowerCase());
}

/** The host as it appears in a URL: IPv6 literals in brackets. */
export function urlHost(host: string): string {
  const bare = host.toLowerCase();
  return bare.includes(':') && !bare.startsWith('[') ? `[${bare}]` : bare;
}
