import { isThinEventType } from '../stripe-cli/listen-args.js';

export interface EventSelection {
  events: string[] | 'all-snapshot';
  source: 'flag' | 'handler' | 'all';
  /**
   * With `'all-snapshot'`: thin event types to receive as well (every snapshot event is not every
   * event: a trigger of `v1.billing.meter.no_meter_found` waits for a thin one).
   */
  thinEvents?: string[];
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
  const thin = [...new Set(required.filter(isThinEventType))].sort();
  const withThin = (selection: EventSelection): EventSelection => (selection.events === 'all-snapshot' && thin.length > 0 ? { ...selection, thinEvents: thin } : selection);
  if (flagEvents !== undefined && flagEvents.length > 0) return withThin({ events: flagEvents, source: 'flag' });
  if (handlerEventTypes && handlerEventTypes.length > 0) return { events: [...new Set([...handlerEventTypes, ...required])].sort(), source: 'handler' };
  return withThin({ events: 'all-snapshot', source: 'all' });
}
