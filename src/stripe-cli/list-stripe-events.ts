/**
 * Lists events through Stripe's Events API (`GET /v1/events`) by running `stripe get`: the same
 * binary, environment and flags as `stripe listen`, so the same credentials (STRIPE_API_KEY, the
 * `stripe login` profile and its keyring entry, --project-name) and the same --api-base, with no
 * key ever read by webhook-dev itself. Used to catch up on what a stalled `stripe listen` missed.
 */
import { execa } from 'execa';
import type { ChildWatcher } from '../process/start-watchdog.js';
import { redactSecrets } from '../secrets.js';
import type { StripeCliInfo, StripeEventLike } from '../types.js';

export interface ListStripeEventsOptions {
  cli: StripeCliInfo;
  /** From buildStripeCliEnv, as for `stripe listen`. */
  env: Record<string, string>;
  apiBase?: string;
  projectName?: string;
  /** Unix seconds, inclusive. */
  createdGte: number;
  createdLte?: number;
  /** At most 20 (the API's limit); more, or none, lists every type (filter afterwards). */
  types?: readonly string[];
  /** Stops after this many pages of 100. */
  maxPages?: number;
  timeoutMs?: number;
  watch?: ChildWatcher;
}

export class ListEventsError extends Error {}

/** Oldest first. Rejects with a ListEventsError that says what the CLI answered. */
export async function listStripeEvents(options: ListStripeEventsOptions): Promise<StripeEventLike[]> {
  const { maxPages = 50 } = options;
  const events: StripeEventLike[] = [];
  let after: string | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const { data, has_more } = await listPage(options, after);
    events.push(...data);
    if (!has_more || data.length === 0) break;
    after = data.at(-1)!.id;
  }
  return events.reverse();
}

/** The `stripe get` argv for one page (pure). */
export function listEventsArgs({ apiBase, projectName, createdGte, createdLte, types }: Omit<ListStripeEventsOptions, 'cli' | 'env'>, after?: string): string[] {
  const args = ['get', '/v1/events', '--limit', '100', '-d', `created[gte]=${createdGte}`];
  if (createdLte !== undefined) args.push('-d', `created[lte]=${createdLte}`);
  if (types !== undefined && types.length > 0 && types.length <= 20) for (const type of types) args.push('-d', `types[]=${type}`);
  if (after !== undefined) args.push('--starting-after', after);
  if (apiBase !== undefined) args.push('--api-base', apiBase);
  if (projectName !== undefined) args.push('--project-name', projectName);
  return args;
}

async function listPage(options: ListStripeEventsOptions, after: string | undefined): Promise<{ data: StripeEventLike[]; has_more: boolean }> {
  const subprocess = execa(options.cli.path, listEventsArgs(options, after), {
    env: options.env,
    extendEnv: false,
    stdin: 'ignore',
    reject: false,
    timeout: options.timeoutMs ?? 30_000,
    windowsHide: true,
  });
  const child = subprocess.pid === undefined ? undefined : { pid: subprocess.pid, group: false };
  if (child) options.watch?.watch(child);
  const result = await subprocess;
  if (child) options.watch?.forget(child);
  const said = redactSecrets(`${result.stderr}`.trim() || `${result.stdout}`.trim()).split('\n').at(-1) ?? '';
  if (result.exitCode !== 0) throw new ListEventsError(`stripe get /v1/events ${result.timedOut ? 'timed out' : `failed (${result.exitCode ?? result.signal})`}${said ? `: ${said}` : ''}`);
  let body: unknown;
  try {
    body = JSON.parse(String(result.stdout));
  } catch {
    throw new ListEventsError(`stripe get /v1/events printed something other than JSON: ${said.slice(0, 200)}`);
  }
  const list = body as { data?: unknown; has_more?: unknown; error?: { message?: string } };
  if (list.error !== undefined) throw new ListEventsError(`the Events API answered: ${redactSecrets(String(list.error.message ?? 'an error'))}`);
  if (!Array.isArray(list.data)) throw new ListEventsError('the Events API answered without a list of events');
  return { data: list.data as StripeEventLike[], has_more: list.has_more === true };
}
