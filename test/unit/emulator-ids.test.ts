import { describe, expect, it } from 'vitest';
import { newId, newIdempotencyKey, newSigningSecret, randomAlnum } from '../../src/emulator/ids.js';
import { createObjectContext, oneMonthLater } from '../../src/emulator/objects/object-context.js';

describe('ids', () => {
  it('prefixes ids and uses 24 base62 characters by default', () => {
    expect(newId('pi')).toMatch(/^pi_[A-Za-z0-9]{24}$/);
    expect(newId('cs_test', 58)).toMatch(/^cs_test_[A-Za-z0-9]{58}$/);
  });

  it('does not repeat', () => {
    const ids = new Set(Array.from({ length: 2000 }, () => newId('evt')));
    expect(ids.size).toBe(2000);
  });

  it('uses the whole base62 alphabet', () => {
    const seen = new Set(randomAlnum(20_000));
    expect(seen.size).toBe(62);
  });

  it('makes whsec_ secrets with 32 base62 characters', () => {
    expect(newSigningSecret()).toMatch(/^whsec_[A-Za-z0-9]{32}$/);
  });

  it('makes UUID idempotency keys', () => {
    expect(newIdempotencyKey()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('createObjectContext', () => {
  it('gives the same id for the same key and different ids for different keys', () => {
    const ctx = createObjectContext(1_700_000_000);
    expect(ctx.id('pi')).toBe(ctx.id('pi'));
    expect(ctx.id('pi')).toMatch(/^pi_/);
    expect(ctx.id('il:2')).toMatch(/^il_/);
    expect(ctx.id('il:2')).not.toBe(ctx.id('il'));
    expect(createObjectContext(1).id('pi')).not.toBe(ctx.id('pi'));
  });

  it('adds calendar months for billing periods', () => {
    expect(oneMonthLater(Date.UTC(2026, 0, 15) / 1000)).toBe(Date.UTC(2026, 1, 15) / 1000);
  });
});
