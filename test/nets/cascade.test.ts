// CASSOD card, "Geometry": two cascaded 2x2 filters with rate d equal one 3x3 filter with rate d
// whose kernel is the full convolution of the two (checked numerically on plain JS arrays).
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.js';
import { composeCassod, composeKernels, convCorrelate, depthwiseCorrelate, dilatedCorrelate, type Matrix } from '../../src/nets/index.js';

const rng = createRng(4);
const randomMatrix = (h: number, w: number): Matrix => Array.from({ length: h }, () => Array.from({ length: w }, () => rng.normal()));

function maxAbsDiff(a: Matrix, b: Matrix): number {
  expect(a.length).toBe(b.length);
  expect(a[0]!.length).toBe(b[0]!.length);
  return Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - b[i]![j]!))));
}

describe('cascade equivalence', () => {
  it.each([1, 2, 3, 4])('two 2x2 filters at rate %i = one 3x3 filter at the same rate', (d) => {
    const x = randomMatrix(17, 19);
    const a = randomMatrix(2, 2);
    const b = randomMatrix(2, 2);
    const cascaded = dilatedCorrelate(dilatedCorrelate(x, a, d), b, d);
    const single = dilatedCorrelate(x, composeKernels(a, b), d);
    expect(single.length).toBe(17 - 2 * d); // field of view 2d + 1, as a 3x3 filter with rate d
    expect(maxAbsDiff(cascaded, single)).toBeLessThan(1e-12);
  });

  it('the composed kernel is K[p][q] = sum a[i][j] b[p-i][q-j]', () => {
    expect(
      composeKernels(
        [
          [1, 2],
          [3, 4],
        ],
        [
          [5, 6],
          [7, 8],
        ],
      ),
    ).toEqual([
      [5, 16, 12],
      [22, 60, 40],
      [21, 52, 32],
    ]);
  });

  it('the CASSOD module (depthwise 2x2 -> regular 2x2) equals a regular 3x3 conv with the composed kernels', () => {
    const cin = 3;
    const cout = 4;
    const d = 2;
    const x = Array.from({ length: cin }, () => randomMatrix(12, 11));
    const dw = Array.from({ length: cin }, () => randomMatrix(2, 2));
    const w = Array.from({ length: cout }, () => Array.from({ length: cin }, () => randomMatrix(2, 2)));
    const cascaded = convCorrelate(depthwiseCorrelate(x, dw, d), w, d);
    const single = convCorrelate(x, composeCassod(dw, w), d);
    for (let o = 0; o < cout; o++) expect(maxAbsDiff(cascaded[o]!, single[o]!)).toBeLessThan(1e-12);
  });
});
