// Multi-Resolution Augmentation (src/methods/lrfr/mra.ts): the resolution draw and the degradation.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/rng.js';
import { DEFAULT_MRA, degradeTo, sampleResolution } from '../../../src/methods/lrfr/mra.js';

describe('Multi-Resolution Augmentation', () => {
  it('keeps HR with p_hr = 0.5 and draws r inside the three levels, equally often', () => {
    const rng = createRng(1);
    const counts: Record<string, number> = { hr: 0, hard: 0, medium: 0, easy: 0 };
    for (let i = 0; i < 6000; i++) {
      const d = sampleResolution(DEFAULT_MRA, rng);
      if (!d) {
        counts.hr!++;
        continue;
      }
      counts[d.level]!++;
      const level = DEFAULT_MRA.levels.find((l) => l.name === d.level)!;
      expect(d.r).toBeGreaterThanOrEqual(level.min);
      expect(d.r).toBeLessThanOrEqual(level.name === 'easy' ? level.max : level.max - 1);
    }
    expect(Math.abs(counts.hr! - 3000)).toBeLessThan(200);
    for (const level of ['hard', 'medium', 'easy']) expect(Math.abs(counts[level]! - 1000)).toBeLessThan(150);
  });

  it('degradeTo leaves an image at or above r unchanged and blurs below', () => {
    const size = 16;
    const image = Float32Array.from({ length: size * size }, (_, i) => (i + Math.floor(i / size)) % 2);
    expect(Array.from(degradeTo(image, size, 1, 16, 'area', 'bicubic'))).toEqual(Array.from(image));
    const low = degradeTo(image, size, 1, 8, 'area', 'bicubic');
    // a one-pixel checkerboard averages to 0.5 at half resolution
    expect(low.every((v) => Math.abs(v - 0.5) < 1e-6)).toBe(true);
  });
});
