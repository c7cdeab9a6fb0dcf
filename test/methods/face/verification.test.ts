import { describe, expect, it } from 'vitest';
import { interleavePairs, makeVerificationPairs } from '../../../src/methods/face/index.js';

describe('verification pairs on a labelled set', () => {
  // 20 identities x 4 images, identity-major
  const labels = Int32Array.from({ length: 80 }, (_, i) => Math.floor(i / 4));
  const pairs = makeVerificationPairs(labels, 20, 5, 10, 1);

  it('10 folds of 5 same then 5 different pairs, identities disjoint across folds', () => {
    expect(pairs).toHaveLength(100);
    for (let f = 0; f < 10; f++) {
      const fold = pairs.slice(f * 10, (f + 1) * 10);
      expect(fold.map((p) => p.same)).toEqual([true, true, true, true, true, false, false, false, false, false]);
      for (const p of fold) {
        expect(labels[p.a]! % 10).toBe(f);
        expect(labels[p.b]! % 10).toBe(f);
        expect(labels[p.a] === labels[p.b]).toBe(p.same);
        expect(p.a).not.toBe(p.b);
      }
    }
    const keys = pairs.map((p) => `${Math.min(p.a, p.b)},${Math.max(p.a, p.b)}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('is seeded', () => {
    expect(makeVerificationPairs(labels, 20, 5, 10, 1)).toEqual(pairs);
    expect(makeVerificationPairs(labels, 20, 5, 10, 2)).not.toEqual(pairs);
  });

  it('interleaves embeddings by pair', () => {
    const emb = Float32Array.from({ length: 80 * 2 }, (_, i) => i);
    const rows = interleavePairs(emb, 2, [{ a: 3, b: 7, same: false }]);
    expect(Array.from(rows)).toEqual([6, 7, 14, 15]);
  });

  it('refuses folds without enough images', () => {
    expect(() => makeVerificationPairs(labels, 20, 50, 10, 1)).toThrow(/not enough images/);
  });
});
