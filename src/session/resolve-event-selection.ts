export interface EventSelection {
  events: string[] | 'all-snapshot';
  source: 'flag' | 'handler' | 'all';
}

/**
 * Newer Stripe CLIs refuse `--forward-to` without an explicit selection (stripe/stripe-cli#2006),
 * so one is always passed: the user's `--events`, else what the handler declares, else every
 * snapshot event. Asking only for what the handler handles also keeps unrelated noise out.
 */
export function resolveEventSelection(
  flagEvents: string[] | 'all-snapshot' | undefined,
  handlerEventTypes: string[] | null | undefined,
  /** Types the session must receive whatever the handler declares (`trigger` waits for them). */
  required: readonly string[] = [],
): EventSelection {
  if (flagEvents !== undefined && flagEvents.length > 0) return { events: flagEvents, source: 'flag' };
  if (handlerEventTypes && handlerEventTypes.length > 0) return { events: [...new Set([...handlerEventTypes, ...required])].sort(), source: 'handler' };
  return { events: 'all-snapshot', source: 'all' };
}
