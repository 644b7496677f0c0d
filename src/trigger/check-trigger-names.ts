/**
 * Trigger names are checked before a session starts: a typo used to start the Stripe CLI, the
 * emulator and the handler, and only then fail with the Stripe CLI's own text.
 */
import { TriggerFailedError, UsageError } from '../errors.js';

export interface TriggerNameProblems {
  /** Names the Stripe CLI does not have, each with the closest names it does have. */
  unknown: { name: string; suggestions: string[] }[];
  /** Known names that offline mode cannot run (only when checking for an offline run). */
  notOffline: string[];
}

export function findTriggerNameProblems(names: readonly string[], known: readonly string[], offline?: readonly string[]): TriggerNameProblems {
  const knownSet = new Set(known);
  const offlineSet = offline ? new Set(offline) : undefined;
  return {
    unknown: names.filter((name) => !knownSet.has(name)).map((name) => ({ name, suggestions: suggestTriggers(name, known) })),
    notOffline: offlineSet ? names.filter((name) => knownSet.has(name) && !offlineSet.has(name)) : [],
  };
}

/** Throws the error for the first kind of problem found; unknown names first, since they fail anywhere. */
export function assertTriggerNames(problems: TriggerNameProblems): void {
  if (problems.unknown.length > 0) {
    const lines = problems.unknown.map(({ name, suggestions }) => (suggestions.length > 0 ? `"${name}": did you mean ${suggestions.join(', ')}?` : `"${name}"`));
    throw new UsageError(`The Stripe CLI has no trigger ${problems.unknown.length === 1 ? 'named' : 'for'} ${lines.join('; ')}`, {
      hint: 'webhook-dev trigger --list shows every trigger (and which ones work offline).',
    });
  }
  if (problems.notOffline.length > 0) {
    const names = problems.notOffline.join(', ');
    throw new TriggerFailedError(`Offline mode cannot run ${names}: the built-in emulator does not cover ${problems.notOffline.length === 1 ? 'this trigger' : 'these triggers'} yet.`, {
      hint: 'webhook-dev trigger --list marks the triggers that work offline. To run this one against your Stripe test account, log in with `stripe login` or set STRIPE_API_KEY, and drop --offline.',
    });
  }
}

/** Up to three known names closest to what was typed: same words in another case or separator first, then by edit distance. */
export function suggestTriggers(typed: string, known: readonly string[], limit = 3): string[] {
  const wanted = normalize(typed);
  if (wanted === '') return [];
  const scored = known.map((name) => {
    const candidate = normalize(name);
    // `payment-intent` names a family: offer its members rather than the nearest spelling.
    const family = candidate.startsWith(`${wanted}.`) ? 0 : Number.POSITIVE_INFINITY;
    return { name, score: Math.min(family, editDistance(wanted, candidate)) };
  });
  const budget = Math.max(2, Math.floor(wanted.length / 4));
  return scored
    .filter((entry) => entry.score <= budget)
    .sort((a, b) => a.score - b.score || a.name.localeCompare(b.name))
    .slice(0, limit)
    .map((entry) => entry.name);
}

function normalize(name: string): string {
  return name.trim().toLowerCase().replace(/[\s-]+/g, '_');
}

/** Levenshtein distance with one row of memory; names are short, so this stays cheap for 123 of them. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
