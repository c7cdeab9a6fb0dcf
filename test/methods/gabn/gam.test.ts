// Grad-CAM against a map computed by hand on a tiny network; pooling, normalisation, the area and the references.
import { describe, expect, it } from 'vitest';
import { tf } from '../../../src/engine/tf.js';
import {
  attentionArea,
  cosineToReference,
  gradCam,
  gradientAttentionMaps,
  leaveOneOutReferences,
  normalizeMaps,
  poolToGrid,
} from '../../../src/methods/gabn/index.js';

// Tiny network: x (1×3×3×1) → conv 2×2 valid, 2 channels → ReLU = A (1×2×2×2); target z = Σ u·A².
const X = [1, -2, 0.5, 3, 1, -1, 0, 2, 1];
const K = [0.5, -1, 1, 0.25, -0.5, 2, 1, 0.75]; // [kh][kw][cin=1][cout=2]
const U = [1, 0.5, -1, 2, 0.25, 1, 3, -0.5]; // [h][w][c]

function handFeatures(): number[] {
  const a: number[] = [];
  for (let h = 0; h < 2; h++)
    for (let w = 0; w < 2; w++)
      for (let c = 0; c < 2; c++) {
        let s = 0;
        for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) s += X[(h + i) * 3 + (w + j)]! * K[(i * 2 + j) * 2 + c]!;
        a.push(Math.max(0, s));
      }
  return a;
}

/** w_c = mean_hw ∂z/∂A = mean_hw 2·u·A; cam_hw = ReLU(Σ_c w_c A_hwc). */
function handCam(a: number[]): number[] {
  const w = [0, 1].map((c) => [0, 1, 2, 3].reduce((s, p) => s + 2 * U[p * 2 + c]! * a[p * 2 + c]!, 0) / 4);
  return [0, 1, 2, 3].map((p) => Math.max(0, w[0]! * a[p * 2]! + w[1]! * a[p * 2 + 1]!));
}

const features = () => tf.relu(tf.conv2d(tf.tensor4d(X, [1, 3, 3, 1]), tf.tensor4d(K, [2, 2, 1, 2]), 1, 'valid')) as tf.Tensor4D;
const target = (a: tf.Tensor4D) => tf.sum(tf.reshape(tf.mul(tf.tensor4d(U, [1, 2, 2, 2]), tf.square(a)), [1, 8]), 1) as tf.Tensor1D;

describe('Grad-CAM', () => {
  it('equals the hand-computed map of a tiny conv net', () => {
    const a = handFeatures();
    expect(Array.from(features().dataSync())).toEqual(a.map(Math.fround));
    const cam = gradCam(features(), target);
    expect(cam.shape).toEqual([1, 2, 2]);
    const expected = handCam(a);
    expect(expected.some((v) => v > 0)).toBe(true);
    Array.from(cam.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    const normalised = gradientAttentionMaps(features(), target, 2).dataSync();
    const max = Math.max(...expected);
    Array.from(normalised).forEach((v, i) => expect(v).toBeCloseTo(expected[i]! / (max + 1e-8), 5));
  });

  it("'full' keeps w_c on the tape (second-order gradient), 'detached' does not; the forward values agree", () => {
    const x = tf.variable(tf.tensor4d(X, [1, 3, 3, 1]));
    const net = () => tf.relu(tf.conv2d(x as unknown as tf.Tensor4D, tf.tensor4d(K, [2, 2, 1, 2]), 1, 'valid')) as tf.Tensor4D;
    expect(Array.from(gradCam(net(), target, 'full').dataSync())).toEqual(Array.from(gradCam(net(), target, 'detached').dataSync()));
    const full = tf.variableGrads(() => tf.sum(gradCam(net(), target, 'full')) as tf.Scalar, [x]).grads[x.name]!.dataSync();
    const detached = tf.variableGrads(() => tf.sum(gradCam(net(), target, 'detached')) as tf.Scalar, [x]).grads[x.name]!.dataSync();
    expect(Array.from(full).every(Number.isFinite)).toBe(true);
    expect(Array.from(full).some((v, i) => Math.abs(v - detached[i]!) > 1e-6)).toBe(true);
  });

  it('pools maps into cells by averaging, and normalises each map to max 1', () => {
    const m = tf.tensor3d(
      Array.from({ length: 16 }, (_, i) => i),
      [1, 4, 4],
    );
    expect(Array.from(poolToGrid(m, 2).dataSync())).toEqual([2.5, 4.5, 10.5, 12.5]);
    expect(() => poolToGrid(m, 3)).toThrow(RangeError);
    const n = normalizeMaps(tf.tensor3d([0, 2, 4, 1, 0, 0, 0, 0], [2, 2, 2])).dataSync();
    expect(Array.from(n).map((v) => +v.toFixed(6))).toEqual([0, 0.5, 1, 0.25, 0, 0, 0, 0]);
  });

  it('area = share of cells above 0.5; references are leave-one-out identity means', () => {
    expect(Array.from(attentionArea(Float32Array.from([1, 0.6, 0.5, 0, 0.2, 0.9, 0.51, 0.1]), 2, 4))).toEqual([0.5, 0.5]);
    const e = Float32Array.from([3, 0, 0, 2, 1, 1, 5, 5]); // rows: (1,0) (0,1) (√½,√½) (√½,√½) normalised
    const r = leaveOneOutReferences(e, 2, [0, 0, 0, 1]);
    expect(Array.from(r.subarray(0, 2)).map((v) => +v.toFixed(5))).toEqual([(Math.SQRT1_2 / 2).toFixed(5), ((1 + Math.SQRT1_2) / 2).toFixed(5)].map(Number));
    expect(Array.from(r.subarray(6, 8)).map((v) => +v.toFixed(5))).toEqual([Math.SQRT1_2, Math.SQRT1_2].map((v) => +v.toFixed(5)));
    expect(Array.from(cosineToReference(tf.tensor2d([1, 0, 1, 1], [2, 2]), tf.tensor2d([2, 0, -1, 0], [2, 2])).dataSync()).map((v) => +v.toFixed(5))).toEqual([
      1, -0.70711,
    ]);
  });
});
