import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { buildListenArgs, isThinEventType, parseEventList, thinDestination } from '../../src/stripe-cli/listen-args.js';
import { resolveEventSelection } from '../../src/session/resolve-event-selection.js';

const url = 'http://127.0.0.1:4000/webhook';

describe('buildListenArgs', () => {
  it.each([
    [{ forwardTo: url, events: ['a.b'] }, ['listen', '--forward-to', url, '--events', 'a.b', '--skip-update']],
    [{ forwardTo: url, events: ['a.b', 'c.d'] }, ['listen', '--forward-to', url, '--events', 'a.b,c.d', '--skip-update']],
    [{ forwardTo: url, events: 'all-snapshot' as const }, ['listen', '--forward-to', url, '--all-snapshot', '--skip-update']],
    [{ forwardTo: url, events: ['a.b'], skipUpdate: false }, ['listen', '--forward-to', url, '--events', 'a.b']],
    [
      { forwardTo: url, events: 'all-snapshot' as const, apiBase: 'http://127.0.0.1:9999' },
      ['listen', '--forward-to', url, '--all-snapshot', '--skip-update', '--api-base', 'http://127.0.0.1:9999'],
    ],
    [
      { forwardTo: url, events: ['a.b'], projectName: 'shop' },
      ['listen', '--forward-to', url, '--events', 'a.b', '--skip-update', '--project-name', 'shop'],
    ],
    [
      { forwardTo: url, events: ['a.b'], extraArgs: ['--latest'] },
      ['listen', '--forward-to', url, '--events', 'a.b', '--skip-update', '--latest'],
    ],
    // Thin events alone take --forward-to; with snapshot ones they need a destination of their own.
    [{ forwardTo: url, events: ['v1.billing.meter.no_meter_found'] }, ['listen', '--forward-to', url, '--events', 'v1.billing.meter.no_meter_found', '--skip-update']],
    [
      { forwardTo: url, events: ['a.b', 'v1.x.y', 'c.d'] },
      ['listen', '--forward-to', url, '--events', 'a.b,c.d', '--forward-thin-to', `${url}?thin=1`, '--events', 'v1.x.y', '--skip-update'],
    ],
    [
      { forwardTo: url, events: 'all-snapshot' as const, thinEvents: ['v1.x.y', 'v2.core.account.created'] },
      ['listen', '--forward-to', url, '--all-snapshot', '--forward-thin-to', `${url}?thin=1`, '--events', 'v1.x.y,v2.core.account.created', '--skip-update'],
    ],
    [{ forwardTo: url, events: ['v1.x.y'], thinEvents: ['v1.x.y'] }, ['listen', '--forward-to', url, '--events', 'v1.x.y', '--skip-update']],
  ])('%j', (options, expected) => {
    expect(buildListenArgs(options)).toEqual(expected);
  });

  it('tells thin event types (an API version first) from snapshot ones, as the Stripe CLI does', () => {
    expect(isThinEventType('v1.billing.meter.no_meter_found')).toBe(true);
    expect(isThinEventType('v2.core.event_destination.ping')).toBe(true);
    expect(isThinEventType('billing.meter.created')).toBe(false);
    expect(isThinEventType('vx.y')).toBe(false);
    expect(thinDestination('http://127.0.0.1:4000/hook?a=1')).toBe('http://127.0.0.1:4000/hook?a=1&thin=1');
  });

  it('never carries an API key', () => {
    expect(() => buildListenArgs({ forwardTo: url, events: ['a.b'], extraArgs: ['--api-key', 'sk_test_123456789'] })).toThrow(UsageError);
    expect(() => buildListenArgs({ forwardTo: url, events: ['a.b'], extraArgs: ['--api-key=sk_test_123456789'] })).toThrow(UsageError);
    const args = buildListenArgs({ forwardTo: url, events: 'all-snapshot', apiBase: 'https://api.stripe.com' });
    expect(args.join(' ')).not.toMatch(/sk_|api-key/);
  });

  it('refuses an empty event list', () => {
    expect(() => buildListenArgs({ forwardTo: url, events: [] })).toThrow(UsageError);
  });

  it('refuses the api base the CLI would refuse, and says why', () => {
    expect(() => buildListenArgs({ forwardTo: url, events: ['a.b'], apiBase: 'http://localhost:12111' })).toThrow(
      expect.objectContaining({ name: 'UsageError', hint: expect.stringMatching(/127\.0\.0\.1.*not localhost/) }),
    );
    expect(buildListenArgs({ forwardTo: url, events: ['a.b'], apiBase: 'https://api.stripe.com' })).toContain('https://api.stripe.com');
    expect(() => buildListenArgs({ forwardTo: url, events: ['a.b'], apiBase: 'not a url' })).toThrow(UsageError);
  });
});

describe('parseEventList', () => {
  it.each([
    ['payment_intent.succeeded', ['payment_intent.succeeded']],
    ['a.b, c.d,,e.f', ['a.b', 'c.d', 'e.f']],
    [' a.b ,a.b', ['a.b']],
    [['a.b', 'c.d,e.f'], ['a.b', 'c.d', 'e.f']],
    ['customer.subscription.trial_will_end', ['customer.subscription.trial_will_end']],
    ['v1.billing.meter.no_meter_found', ['v1.billing.meter.no_meter_found']],
    ['*', 'all-snapshot'],
    ['a.b,*', 'all-snapshot'],
  ])('%j → %j', (input, expected) => {
    expect(parseEventList(input)).toEqual(expected);
  });

  it.each(['', ' , ', 'payment_intent', 'Payment_Intent.Succeeded', 'payment intent.succeeded', 'a..b'])('refuses %j', (input) => {
    expect(() => parseEventList(input)).toThrow(UsageError);
  });

  it('names every bad entry', () => {
    expect(() => parseEventList('a.b,oops,Nope.x')).toThrow('Not an event type: oops, Nope.x');
  });
});

describe('resolveEventSelection with thin event types', () => {
  it('every snapshot event is not every event: required thin types are added beside it', () => {
    expect(resolveEventSelection(undefined, null, ['v1.billing.meter.no_meter_found', 'customer.created'])).toEqual({ events: 'all-snapshot', source: 'all', thinEvents: ['v1.billing.meter.no_meter_found'] });
    expect(resolveEventSelection('all-snapshot', null, ['v1.x.y'])).toEqual({ events: 'all-snapshot', source: 'flag', thinEvents: ['v1.x.y'] });
    expect(resolveEventSelection(undefined, null, ['customer.created'])).toEqual({ events: 'all-snapshot', source: 'all' });
  });

  it("a handler's thin types are in its list, split off when the argv is built", () => {
    expect(resolveEventSelection(undefined, ['v1.x.y', 'a.b'], [])).toEqual({ events: ['a.b', 'v1.x.y'], source: 'handler' });
  });
});
