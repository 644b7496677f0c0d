import { UsageError } from '../errors.js';
import { redactSecrets } from '../secrets.js';

const HINT = 'For example: --forward-to http://localhost:3000/api/webhooks/stripe';

/**
 * The app's webhook URL, from `--forward-to`, the config or the programmatic API: an http(s) URL,
 * normalized. `localhost:3000/hook` (as `stripe listen --forward-to` accepts it) gets http://.
 */
export function parseForwardUrl(input: string): string {
  const candidate = /^[a-z][a-z0-9+.-]*:\/\//i.test(input) ? input : `http://${input}`;
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    throw new UsageError(`--forward-to takes your app's webhook URL (got "${redactSecrets(input)}").`, { hint: HINT });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--forward-to takes an http:// or https:// URL (got "${redactSecrets(input)}").`, { hint: HINT });
  }
  return url.href;
}
