/** `http://localhost:3000/webhook` → `localhost:3000`, with the scheme's default port spelled out so a result line names it. */
export function hostAndPort(url: string): string {
  try {
    const parsed = new URL(url);
    const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
    return `${parsed.hostname}:${port}`;
  } catch {
    return url;
  }
}
