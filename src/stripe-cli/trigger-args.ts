/**
 * argv for `stripe trigger`, built by a pure function so every flag can be tested in one line.
 * The API key never goes here (argv is readable by every user of the machine through `ps`); it
 * reaches the CLI as STRIPE_API_KEY in the child's environment (see stripe-cli-env.ts).
 *
 * Not modelled on purpose: `--edit` opens an editor and waits for it, which a child without a TTY
 * cannot do.
 */
import { UsageError } from '../errors.js';

export interface TriggerArgsOptions {
  /** A supported trigger name (`payment_intent.succeeded`), or a path to a custom fixture file. */
  event: string;
  /** `--override fixture:path.to.param=value`, forcing a param on one fixture step. */
  overrides?: readonly string[];
  /** `--add fixture:path.to.param=value`, only where the param is not already set. */
  adds?: readonly string[];
  /** `--remove fixture:path.to.param`. */
  removes?: readonly string[];
  /** `--skip fixture`: step names not to run. */
  skips?: readonly string[];
  /** `--stripe-account acct_…`: sent as the Stripe-Account header (Connect). */
  stripeAccount?: string;
  /** `--api-version`: sent as the Stripe-Version header. */
  apiVersion?: string;
  /** `--raw '<fixture JSON>'`: replaces the built-in fixture entirely. */
  raw?: string;
  /** Hidden `--api-base`: the offline emulator. Over http the CLI accepts only http://127.0.0.1[:port]. */
  apiBase?: string;
  /** `--project-name`: which profile of the CLI's config.toml to read the key from. */
  projectName?: string;
}

export function buildTriggerArgs({
  event,
  overrides = [],
  adds = [],
  removes = [],
  skips = [],
  stripeAccount,
  apiVersion,
  raw,
  apiBase,
  projectName,
}: TriggerArgsOptions): string[] {
  const name = event.trim();
  if (name === '') throw new UsageError('No trigger name given.', { hint: 'Example: payment_intent.succeeded' });
  // The CLI would read a leading dash as a flag (and `--api-key=…` would put a key on argv).
  if (name.startsWith('-')) {
    throw new UsageError(`Not a trigger name: ${name}`, { hint: 'Trigger names look like payment_intent.succeeded.' });
  }
  const args = ['trigger', name];
  // `--flag=value` rather than two words: a value that starts with `-` (an override like
  // `customer:name=-x`) then cannot be taken for a flag of its own.
  const flag = (flagName: string, value: string): string => `--${flagName}=${value}`;
  args.push(...overrides.map((value) => flag('override', value)));
  args.push(...adds.map((value) => flag('add', value)));
  args.push(...removes.map((value) => flag('remove', value)));
  args.push(...skips.map((value) => flag('skip', value)));
  if (stripeAccount !== undefined) args.push(flag('stripe-account', stripeAccount));
  if (apiVersion !== undefined) args.push(flag('api-version', apiVersion));
  if (raw !== undefined) args.push(flag('raw', raw));
  if (apiBase !== undefined) args.push(flag('api-base', apiBase));
  if (projectName !== undefined) args.push(flag('project-name', projectName));
  return args;
}
