/**
 * Seeded tie-breaking for the planner. The planner never calls Math.random: every tie (equal
 * replica sizes, equally loaded brokers) is broken by a hash of the seed and a stable identity,
 * so the same snapshot and seed always give the same plan (kafka-kit's SortPseudoShuffle(seed)).
 */

/** A 32-bit avalanche hash (the finaliser of murmur3) of a value mixed with a seed. */
export function mix32(value: number, seed: number): number {
  let h = (value ^ Math.imul(seed | 0, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** FNV-1a hash of a string (topic names), so tie-breaks do not depend on snapshot order. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A small seeded PRNG (mulberry32) for tests and generators that need a stream of numbers. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
