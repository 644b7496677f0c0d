import { describe, expect, it } from 'vitest';
import { originHeaderValue, readOrigin } from '../../src/receiver/delivery-origin.js';

describe('readOrigin', () => {
  const key = 'k3y-only-the-session-knows';

  it('reads the origin a header proves with the key', () => {
    expect(readOrigin(originHeaderValue('replay', key), key)).toBe('replay');
    expect(readOrigin(originHeaderValue('send', key), key)).toBe('send');
  });

  it.each([
    ['absent', undefined],
    ['another key', originHeaderValue('replay', 'k3y-only-the-session-knowz')],
    ['a shorter key', originHeaderValue('replay', 'k3y')],
    ['no key', 'replay'],
    ['an origin a client may not claim', `recovered ${key}`],
    ['the stripe-cli source', `stripe-cli ${key}`],
    ['extra words', `replay ${key} x`],
    ['a repeated header', [originHeaderValue('replay', key), originHeaderValue('send', key)]],
  ])('%s proves nothing', (_name, value) => {
    expect(readOrigin(value, key)).toBeUndefined();
  });
});
