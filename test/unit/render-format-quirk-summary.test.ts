import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { formatQuirkSummary } from '../../src/render/format-quirk-summary.js';
import type { QuirkSummary } from '../../src/types.js';

const colors = new Chalk({ level: 0 });
const empty: QuirkSummary = { settings: { seed: 77, duplicate: 1 }, duplicates: 0, reordered: 0, delayed: 0, retries: 0, succeeded: [], givenUp: [], notRetried: [] };

describe('formatQuirkSummary', () => {
  it('counts what was injected and gives the seed', () => {
    expect(formatQuirkSummary({ ...empty, duplicates: 2, reordered: 1, delayed: 3, retries: 1 }, { colors })).toEqual(['quirks: 2 duplicates, 1 reordered, 3 delayed, 1 retry (--seed 77 repeats them)']);
  });

  it('says which events succeeded on which attempt, which were given up and which the close cut short', () => {
    const lines = formatQuirkSummary(
      {
        ...empty,
        retries: 4,
        succeeded: [{ eventId: 'evt_a', eventType: 'charge.succeeded', attempt: 3 }],
        givenUp: [{ eventId: 'evt_b', eventType: 'invoice.paid', attempt: 2 }],
        notRetried: [{ eventId: 'evt_c', eventType: 'customer.created', attempt: 2 }],
      },
      { colors },
    );
    expect(lines.slice(1)).toEqual([
      '  succeeded on a retry: charge.succeeded evt_a (attempt 3)',
      '  given up: invoice.paid evt_b (after 2 attempts)',
      '  not retried (the session closed): customer.created evt_c (attempt 2 was due)',
    ]);
  });
});
