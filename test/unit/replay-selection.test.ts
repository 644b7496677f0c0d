import { describe, expect, it } from 'vitest';
import type { JournalIndexEntry } from '../../src/journal/journal-record.js';
import { parseReplaySelection, parseTimes, pickJournalEvents } from '../../src/replay/replay-selection.js';

describe('parseReplaySelection', () => {
  it('takes event ids, each once, in the order given', () => {
    expect(parseReplaySelection(['evt_2', 'evt_1', 'evt_2'], {})).toEqual({ kind: 'ids', ids: ['evt_2', 'evt_1'] });
  });

  it('--last alone is the newest event; --last N the N newest', () => {
    expect(parseReplaySelection([], { last: true })).toEqual({ kind: 'journal', count: 1, failedOnly: false });
    expect(parseReplaySelection([], { last: '5' })).toEqual({ kind: 'journal', count: 5, failedOnly: false });
  });

  it('--failed is every failed event, or the N newest of them with --last N', () => {
    expect(parseReplaySelection([], { failed: true })).toEqual({ kind: 'journal', count: undefined, failedOnly: true });
    expect(parseReplaySelection([], { failed: true, last: '2' })).toEqual({ kind: 'journal', count: 2, failedOnly: true });
  });

  it.each([
    [[], {}, 'Which events?'],
    [['evt_1'], { last: true }, 'not both'],
    [['evt_1'], { failed: true }, 'not both'],
    [['pi_123'], {}, 'is not an event id'],
    [[], { last: '0' }, '--last takes a whole number'],
    [[], { last: 'two' }, '--last takes a whole number'],
  ] as const)('%j %j is a usage error: %s', (ids, flags, words) => {
    expect(() => parseReplaySelection([...ids], flags)).toThrow(words);
  });
});

describe('parseTimes', () => {
  it('is 1 by default, and a whole number from 1 to 100', () => {
    expect(parseTimes(undefined)).toBe(1);
    expect(parseTimes('3')).toBe(3);
    expect(() => parseTimes('0')).toThrow('--times takes a whole number');
    expect(() => parseTimes('2.5')).toThrow('--times takes a whole number');
    expect(() => parseTimes('101')).toThrow('at most 100');
  });
});

describe('pickJournalEvents', () => {
  let seq = 0;
  const entry = (eventId: string | null, out: JournalIndexEntry['out']): JournalIndexEntry => ({ i: (seq += 1), o: 0, l: 0, t: seq, ty: 'charge.succeeded', e: eventId, verified: true, out, d: 1, s: 'session' });
  // Newest first, as listDeliveries gives them: evt_a was delivered again (ok) after it failed.
  const newestFirst = [entry('evt_a', 'ok'), entry('evt_c', 'error'), entry(null, 'rejected'), entry('evt_b', 'app-failed'), entry('evt_a', 'error'), entry('evt_d', 'ok')];

  it('picks each event once, the newest first, and returns them oldest first', () => {
    expect(pickJournalEvents(newestFirst, { count: 2, failedOnly: false })).toEqual(['evt_c', 'evt_a']);
    expect(pickJournalEvents(newestFirst, { count: undefined, failedOnly: false })).toEqual(['evt_d', 'evt_b', 'evt_c', 'evt_a']);
  });

  it('--failed judges an event by its newest delivery: one that failed and then passed is not picked', () => {
    expect(pickJournalEvents(newestFirst, { count: undefined, failedOnly: true })).toEqual(['evt_b', 'evt_c']);
    expect(pickJournalEvents(newestFirst, { count: 1, failedOnly: true })).toEqual(['evt_c']);
  });

  it('finds nothing in an empty journal', () => {
    expect(pickJournalEvents([], { count: 1, failedOnly: false })).toEqual([]);
  });
});
