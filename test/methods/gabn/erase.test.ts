// Top-N erasing: exactly N cells per image, the pixels of those cells only, a zero gradient for the mask.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/rng.js';
import { tf } from '../../../src/engine/tf.js';
import { cellMaskToPixels, eraseCells, topNCellMask } from '../../../src/methods/gabn/index.js';

const randomMaps = (n: number, g: number, seed: number) => {
  const rng = createRng(seed);
  return tf.tensor3d(
    Array.from({ length: n * g * g }, () => rng.next()),
    [n, g, g],
  );
};

describe('Top-N erasing', () => {
  it.each([1, 3, 5])('marks exactly N = %s cells per map, the N largest', (n) => {
    const maps = randomMaps(6, 7, n);
    const mask = topNCellMask(maps, n).arraySync() as number[][][];
    const values = maps.arraySync() as number[][][];
    mask.forEach((m, i) => {
      const flat = m.flat();
      expect(flat.reduce((a, b) => a + b, 0)).toBe(n);
      const kept = values[i]!.flat().filter((_, c) => flat[c] === 0);
      const erased = values[i]!.flat().filter((_, c) => flat[c] === 1);
      expect(Math.min(...erased)).toBeGreaterThan(Math.max(...kept));
    });
  });

  it('still marks exactly N cells when every cell ties (an all-zero map)', () => {
    const mask = topNCellMask(tf.zeros([2, 4, 4]) as tf.Tensor3D, 3).arraySync() as number[][][];
    for (const m of mask) expect(m.flat().reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('erases exactly the pixels of the marked cells, to zero or to the mean colour', () => {
    const raw = tf.tensor4d(
      Array.from({ length: 2 * 8 * 8 * 3 }, (_, i) => ((i * 37) % 101) / 100),
      [2, 8, 8, 3],
    );
    const mask = topNCellMask(randomMaps(2, 4, 9), 3);
    const pixels = cellMaskToPixels(mask, 8).arraySync() as number[][][][];
    expect(pixels.flat(3).reduce((a, b) => a + b, 0)).toBe(2 * 3 * 4); // 3 cells of 2×2 pixels per image
    const before = raw.arraySync() as number[][][][];
    const mean = tf.mean(raw, [1, 2]).arraySync() as number[][];
    for (const fill of ['zero', 'mean'] as const) {
      const after = eraseCells(raw, mask, fill).arraySync() as number[][][][];
      for (let n = 0; n < 2; n++)
        for (let y = 0; y < 8; y++)
          for (let x = 0; x < 8; x++)
            for (let c = 0; c < 3; c++) {
              const expected = pixels[n]![y]![x]![0] ? (fill === 'zero' ? 0 : mean[n]![c]!) : before[n]![y]![x]![c]!;
              expect(after[n]![y]![x]![c]).toBeCloseTo(expected, 6);
            }
    }
  });

  it('is a constant for the gradient, even inside a tape (topk itself has no gradient in tfjs)', () => {
    const v = tf.variable(randomMaps(2, 3, 4));
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(topNCellMask(v as unknown as tf.Tensor3D, 2), v)) as tf.Scalar, [v]);
    const mask = topNCellMask(v as unknown as tf.Tensor3D, 2).dataSync();
    expect(Array.from(grads[v.name]!.dataSync())).toEqual(Array.from(mask));
    expect(value.dataSync()[0]).toBeGreaterThan(0);
    expect(() => topNCellMask(v as unknown as tf.Tensor3D, 10)).toThrow(RangeError);
  });
});
