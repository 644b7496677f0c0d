import { describe, expect, it } from 'vitest';
import { createQuirkMarker, QUIRK_HEADER } from '../../src/quirks/quirk-mark.js';

describe('createQuirkMarker', () => {
  const signature = 't=1700000000,v1=abc';

  it('reads back its own mark on the delivery it was made for', () => {
    const marker = createQuirkMarker();
    const header = marker.header({ kind: 'retry', attempt: 3, id: 12 }, signature);
    expect(marker.read({ [QUIRK_HEADER]: header, 'stripe-signature': signature })).toEqual({ kind: 'retry', attempt: 3, id: 12 });
  });

  it('ignores a mark moved to another delivery, changed, made up, or made by another session', () => {
    const marker = createQuirkMarker();
    const header = marker.header({ kind: 'duplicate', attempt: 1, id: 1 }, signature);
    expect(marker.read({ [QUIRK_HEADER]: header, 'stripe-signature': 't=1700000001,v1=abc' })).toBeUndefined();
    expect(marker.read({ [QUIRK_HEADER]: header.replace('attempt=1', 'attempt=2'), 'stripe-signature': signature })).toBeUndefined();
    expect(marker.read({ [QUIRK_HEADER]: `retry;attempt=2;id=1;mac=${'0'.repeat(64)}`, 'stripe-signature': signature })).toBeUndefined();
    expect(createQuirkMarker().read({ [QUIRK_HEADER]: header, 'stripe-signature': signature })).toBeUndefined();
    expect(marker.read({ [QUIRK_HEADER]: header })).toBeUndefined();
    expect(marker.read({ 'stripe-signature': signature })).toBeUndefined();
  });
});
