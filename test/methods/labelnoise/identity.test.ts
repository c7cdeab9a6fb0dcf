import { describe, expect, it } from 'vitest';
import { applyOpenSetOutliers, chooseOpenSetOutliers, flipLabelsClosedSet } from '../../../src/methods/labelnoise/index.js';

const labels = Int32Array.from({ length: 1000 }, (_, i) => i % 10);

describe('closed-set label flips', () => {
  for (const rate of [0, 0.1, 0.2, 0.4]) {
    it(`flips exactly ${rate * 100} % of the labels, each to another class`, () => {
      const r = flipLabelsClosedSet(labels, 10, rate, 5);
      expect(r.count).toBe(Math.round(rate * 1000));
      let changed = 0;
      for (let i = 0; i < labels.length; i++) {
        if (r.labels[i] !== labels[i]) changed++;
        expect(r.flipped[i] === 1).toBe(r.labels[i] !== labels[i]);
        expect(r.labels[i]).toBeGreaterThanOrEqual(0);
        expect(r.labels[i]).toBeLessThan(10);
      }
      expect(changed).toBe(r.count);
    });
  }

  it('is seeded and leaves the input alone', () => {
    const a = flipLabelsClosedSet(labels, 10, 0.4, 11);
    const b = flipLabelsClosedSet(labels, 10, 0.4, 11);
    const c = flipLabelsClosedSet(labels, 10, 0.4, 12);
    expect(a.labels).toEqual(b.labels);
    expect(a.labels).not.toEqual(c.labels);
    expect(labels[3]).toBe(3);
  });

  it('new labels are spread over the other classes (symmetric noise)', () => {
    const many = new Int32Array(20000); // all class 0
    const r = flipLabelsClosedSet(many, 5, 0.5, 3);
    const counts = [0, 0, 0, 0, 0];
    for (const l of r.labels) counts[l]!++;
    expect(counts[0]).toBe(10000);
    // 10000 flips over 4 classes: 2500 each, binomial sd ≈ 43
    for (const c of counts.slice(1)) expect(Math.abs(c - 2500)).toBeLessThan(250);
  });

  it('rejects rates outside [0, 1]', () => {
    expect(() => flipLabelsClosedSet(labels, 10, 1.5, 1)).toThrow(/\[0, 1\]/);
  });
});

describe('open-set outliers', () => {
  it('replaces exactly round(rate·n) images by pool images, labels untouched', () => {
    const n = 50;
    const size = 2;
    const images = Float32Array.from({ length: n * size }, (_, i) => i);
    const pool = Float32Array.from({ length: 3 * size }, (_, i) => -1 - i);
    const noise = chooseOpenSetOutliers(n, 0.2, 3, 9);
    expect(noise.count).toBe(10);
    const out = applyOpenSetOutliers(images, size, noise, pool);
    let replaced = 0;
    for (let i = 0; i < n; i++) {
      if (out[i * size]! < 0) {
        replaced++;
        expect(noise.replaced[i]).toBe(1);
        const k = noise.indices.indexOf(i);
        expect(out[i * size]).toBe(pool[noise.sources[k]! * size]);
      } else expect(out[i * size]).toBe(i * size);
    }
    expect(replaced).toBe(10);
    expect(images[0]).toBe(0);
  });
});
