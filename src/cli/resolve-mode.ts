import { UsageError } from '../errors.js';
import { findStripeCredentials, type FindStripeCredentialsOptions } from '../stripe-cli/find-stripe-credentials.js';

export interface ModeFlags {
  offline?: boolean;
  online?: boolean;
  apiKey?: string;
  apiBase?: string;
  projectName?: string;
}

/** Why a session runs where it does; `no-credentials` is the one the user did not ask for and must be told about. */
export type ModeReason = 'offline-flag' | 'no-credentials' | 'online-flag' | 'api-base' | 'credentials';

export interface ResolvedMode {
  offline: boolean;
  reason: ModeReason;
}

/**
 * Offline unless there is something to go online with: `npx webhook-dev listen` on a machine with
 * no Stripe login used to fail with "no API key" (exit 5). --online keeps that failure for whoever
 * insists on a real account; --api-base names an API explicitly, so it is online too.
 */
export function resolveMode(flags: ModeFlags, options: Omit<FindStripeCredentialsOptions, 'apiKey' | 'projectName'> = {}): ResolvedMode {
  if (flags.offline && flags.online) {
    throw new UsageError('--offline and --online cannot be used together.', { hint: 'Drop one: --offline uses the built-in emulator, --online your Stripe test account.' });
  }
  if (flags.offline) return { offline: true, reason: 'offline-flag' };
  if (flags.online) return { offline: false, reason: 'online-flag' };
  if (flags.apiBase !== undefined) return { offline: false, reason: 'api-base' };
  const found = findStripeCredentials({ ...options, apiKey: flags.apiKey, projectName: flags.projectName });
  return found ? { offline: false, reason: 'credentials' } : { offline: true, reason: 'no-credentials' };
}

export const NO_CREDENTIALS_NOTICE =
  'No Stripe API key found, so this runs offline against the built-in emulator (no account, no network). ' +
  "For your account's real test events, run `stripe login` or set STRIPE_API_KEY; --online insists on a real account.";
