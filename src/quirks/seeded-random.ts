import { randomInt } from 'node:crypto';

/** A source of numbers in [0, 1) that gives the same sequence for the same seed. */
export type Random = () => number;

/** The largest seed: seeds are unsigned 32-bit integers, so any of them can be typed back with --seed. */
export const MAX_SEED = 0xffff_ffff;

/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator, 32-bit): four words of state, good
 * statistical quality for its size, and the same sequence on every platform. Math.random cannot
 * be seeded, and the quirks must be reproducible with --seed.
 */
export function createRandom(seed: number, stream = 0): Random {
  // Each stream (duplicates, delays, shuffles, retry jitter) is an independent sequence, so turning
  // one quirk on does not change the decisions another quirk makes for the same seed.
  let a = splitmix32(seed >>> 0);
  let b = splitmix32(a ^ (stream + 0x9e37_79b9));
  let c = splitmix32(b);
  let d = splitmix32(c ^ stream);
  const next = (): number => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4_294_967_296;
  };
  // The first outputs of a freshly seeded sfc32 are still close to its seed: discard them.
  for (let i = 0; i < 12; i += 1) next();
  return next;
}

/** A seed for a run that was not given one; shown so the run can be repeated with --seed. */
export function randomSeed(): number {
  return randomInt(0, MAX_SEED);
}

/** Spreads a seed's bits over all 32 (a small seed such as 1 or 2 must not give a weak state). */
function splitmix32(value: number): number {
  let z = (value + 0x9e37_79b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85eb_ca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2_ae35);
  return (z ^ (z >>> 16)) >>> 0;
}
