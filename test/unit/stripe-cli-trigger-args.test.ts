import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { buildTriggerArgs } from '../../src/stripe-cli/trigger-args.js';

describe('buildTriggerArgs', () => {
  it.each([
    [{ event: 'payment_intent.succeeded' }, ['trigger', 'payment_intent.succeeded']],
    [{ event: '  customer.created ' }, ['trigger', 'customer.created']],
    [{ event: './fixtures/custom.json' }, ['trigger', './fixtures/custom.json']],
    [{ event: 'customer.created', overrides: ['customer:email=a@b.c', 'customer:name=Jo'] }, ['trigger', 'customer.created', '--override=customer:email=a@b.c', '--override=customer:name=Jo']],
    [{ event: 'customer.created', adds: ['customer:phone=1'] }, ['trigger', 'customer.created', '--add=customer:phone=1']],
    [{ event: 'customer.created', removes: ['customer:description'] }, ['trigger', 'customer.created', '--remove=customer:description']],
    [{ event: 'checkout.session.completed', skips: ['payment_page', 'payment_method'] }, ['trigger', 'checkout.session.completed', '--skip=payment_page', '--skip=payment_method']],
    [{ event: 'customer.created', stripeAccount: 'acct_123' }, ['trigger', 'customer.created', '--stripe-account=acct_123']],
    [{ event: 'customer.created', apiVersion: '2024-06-20' }, ['trigger', 'customer.created', '--api-version=2024-06-20']],
    [{ event: 'customer.created', raw: '{"fixtures":[]}' }, ['trigger', 'customer.created', '--raw={"fixtures":[]}']],
    [{ event: 'customer.created', apiBase: 'http://127.0.0.1:4000' }, ['trigger', 'customer.created', '--api-base=http://127.0.0.1:4000']],
    [{ event: 'customer.created', projectName: 'shop' }, ['trigger', 'customer.created', '--project-name=shop']],
    // A value starting with a dash stays the flag's value.
    [{ event: 'customer.created', overrides: ['customer:name=-x'] }, ['trigger', 'customer.created', '--override=customer:name=-x']],
  ])('%j', (options, expected) => {
    expect(buildTriggerArgs(options)).toEqual(expected);
  });

  it('puts every flag after the event, in a stable order', () => {
    expect(
      buildTriggerArgs({
        event: 'customer.created',
        projectName: 'p',
        apiBase: 'http://127.0.0.1:1',
        raw: 'r',
        apiVersion: 'v',
        stripeAccount: 'acct_1',
        skips: ['s'],
        removes: ['r:x'],
        adds: ['a:x=1'],
        overrides: ['o:x=1'],
      }),
    ).toEqual([
      'trigger',
      'customer.created',
      '--override=o:x=1',
      '--add=a:x=1',
      '--remove=r:x',
      '--skip=s',
      '--stripe-account=acct_1',
      '--api-version=v',
      '--raw=r',
      '--api-base=http://127.0.0.1:1',
      '--project-name=p',
    ]);
  });

  it.each(['', '   ', '--api-key=sk_test_123456789', '-h'])('refuses the event %j', (event) => {
    expect(() => buildTriggerArgs({ event })).toThrow(UsageError);
  });

  it('never carries an API key, whatever it is given', () => {
    const args = buildTriggerArgs({ event: 'customer.created', overrides: ['customer:email=a@b.c'], apiBase: 'http://127.0.0.1:1' });
    expect(args.some((arg) => arg.startsWith('--api-key'))).toBe(false);
  });
});
