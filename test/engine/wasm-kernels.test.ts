// The project's wasm training kernels against the cpu backend's gradients (relative error ≤ 1e-5).
import { describe, expect, it } from 'vitest';
import { tf } from '../../src/engine/tf.js';
import { selectBackend } from '../../src/engine/backend.js';
import { installedWasmKernels, WASM_TRAINING_KERNELS } from '../../src/engine/wasm-kernels.js';
import { randomTensor, relativeError, runOn, wasmVsCpu, type Tensor } from './helpers.js';

const TOL = 1e-5;
type Pad = 'same' | 'valid';
type Act = 'linear' | 'relu';

/** Gradients of Σ r·conv(x, W) w.r.t. x and W; r is a fixed random projection so dy is not constant. */
function convGrads(xShape: number[], wShape: number[], stride: number, pad: Pad, seed: number): () => Tensor[] {
  return () => {
    const x = randomTensor(xShape, seed);
    const w = randomTensor(wShape, seed + 1);
    const y: Tensor = tf.conv2d(x as never, w as never, stride, pad);
    const r = randomTensor(y.shape, seed + 2);
    const g = tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.mul(tf.conv2d(a as never, b as never, stride, pad), r)));
    return [y, ...g([x, w])];
  };
}

describe('wasm training kernels', () => {
  it('are registered by selectBackend("wasm")', async () => {
    await selectBackend('wasm');
    expect(installedWasmKernels().sort()).toEqual(Object.keys(WASM_TRAINING_KERNELS).sort());
  });

  describe('conv2d gradients (Conv2DBackpropFilter, Conv2DBackpropInput)', () => {
    const cases: [number, number, Pad][] = [];
    for (const k of [1, 3, 5]) for (const s of [1, 2]) for (const p of ['same', 'valid'] as Pad[]) cases.push([k, s, p]);
    it.each(cases)('kernel %i stride %i pad %s', async (k, s, pad) => {
      const errors = await wasmVsCpu(convGrads([2, 9, 10, 3], [k, k, 3, 4], s, pad, 100 * k + 10 * s + (pad === 'same' ? 1 : 0)));
      for (const e of errors) expect(e).toBeLessThanOrEqual(TOL);
    });
    it('odd shapes where valid padding leaves rows unused (kernel 2, stride 3)', async () => {
      const errors = await wasmVsCpu(convGrads([3, 11, 8, 2], [2, 2, 2, 3], 3, 'valid', 7));
      for (const e of errors) expect(e).toBeLessThanOrEqual(TOL);
    });
  });

  describe('fused conv2d with bias and activation', () => {
    const cases: [number, number, Pad, Act][] = [];
    for (const k of [1, 3])
      for (const s of [1, 2]) for (const p of ['same', 'valid'] as Pad[]) for (const a of ['linear', 'relu'] as Act[]) cases.push([k, s, p, a]);
    it.each(cases)('kernel %i stride %i pad %s activation %s', async (k, s, pad, activation) => {
      const errors = await wasmVsCpu(() => {
        const x = randomTensor([2, 8, 8, 3], 11);
        const w = randomTensor([k, k, 3, 5], 12);
        const b = randomTensor([5], 13);
        const f = (a: Tensor, c: Tensor, d: Tensor): Tensor => tf.fused.conv2d({ x: a as never, filter: c as never, bias: d, strides: s, pad, activation });
        const r = randomTensor(f(x, w, b).shape, 14);
        const g = tf.grads((a: Tensor, c: Tensor, d: Tensor) => tf.sum(tf.mul(f(a, c, d), r)));
        return g([x, w, b]);
      });
      for (const e of errors) expect(e).toBeLessThanOrEqual(TOL);
    });
  });

  describe('conv2dTranspose forward and gradients', () => {
    it.each([
      [3, 1, 'same'],
      [3, 2, 'same'],
      [5, 2, 'valid'],
      [1, 2, 'valid'],
    ] as [number, number, Pad][])('kernel %i stride %i pad %s', async (k, s, pad) => {
      const inH = 5;
      const outH = pad === 'same' ? inH * s : (inH - 1) * s + k;
      const errors = await wasmVsCpu(() => {
        const x = randomTensor([2, inH, inH, 4], 21);
        const w = randomTensor([k, k, 3, 4], 22); // (kh, kw, outChannels, inChannels)
        const f = (a: Tensor, c: Tensor): Tensor => tf.conv2dTranspose(a as never, c as never, [2, outH, outH, 3], s, pad);
        const r = randomTensor(f(x, w).shape, 23);
        const g = tf.grads((a: Tensor, c: Tensor) => tf.sum(tf.mul(f(a, c), r)));
        return [f(x, w), ...g([x, w])];
      });
      for (const e of errors) expect(e).toBeLessThanOrEqual(TOL);
    });
  });

  describe('depthwise conv2d gradients', () => {
    const cases: [number, number, Pad, number][] = [];
    for (const k of [1, 3, 5]) for (const s of [1, 2]) for (const p of ['same', 'valid'] as Pad[]) for (const m of [1, 2]) cases.push([k, s, p, m]);
    it.each(cases)('kernel %i stride %i pad %s multiplier %i', async (k, s, pad, m) => {
      const errors = await wasmVsCpu(() => {
        const x = randomTensor([2, 9, 8, 3], 31 + k);
        const w = randomTensor([k, k, 3, m], 32 + s);
        const f = (a: Tensor, c: Tensor): Tensor => tf.depthwiseConv2d(a as never, c as never, s, pad);
        const r = randomTensor(f(x, w).shape, 33);
        const g = tf.grads((a: Tensor, c: Tensor) => tf.sum(tf.mul(f(a, c), r)));
        return [f(x, w), ...g([x, w])];
      });
      for (const e of errors) expect(e).toBeLessThanOrEqual(TOL);
    });
    // The cpu backend's depthwise backprop kernels ignore dilations, so the reference here is the adjoint
    // identity of a linear map: <dy, conv(U, W)> = <dX(dy, W), U> and <dy, conv(x, V)> = <dW(x, dy), V>,
    // with the forward (dilated) convolution computed by the cpu backend.
    it.each([
      [3, 2, 'same', 1],
      [3, 2, 'valid', 2],
      [2, 3, 'same', 1],
    ] as [number, number, Pad, number][])('kernel %i dilation %i pad %s multiplier %i: adjoint identities', async (k, d, pad, m) => {
      const attrs = { strides: [1, 1], dilations: [d, d], pad, dimRoundingMode: undefined };
      const xShape = [2, 11, 10, 3];
      const wShape = [k, k, 3, m];
      const forward = (a: Tensor, b: Tensor): Tensor => tf.depthwiseConv2d(a as never, b as never, 1, pad, 'NHWC', d);
      const ref = await runOn('cpu', () => {
        const x = randomTensor(xShape, 81);
        const u = randomTensor(xShape, 82);
        const w = randomTensor(wShape, 83);
        const v = randomTensor(wShape, 84);
        const dy = randomTensor(forward(x, w).shape, 85);
        return [tf.sum(tf.mul(dy, forward(u, w))), tf.sum(tf.mul(dy, forward(x, v)))];
      });
      const got = await runOn('wasm', () => {
        const x = randomTensor(xShape, 81);
        const u = randomTensor(xShape, 82);
        const w = randomTensor(wShape, 83);
        const v = randomTensor(wShape, 84);
        const dy = randomTensor(forward(x, w).shape, 85);
        const dX = tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy, filter: w }, { ...attrs, inputShape: xShape } as never) as Tensor;
        const dW = tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...attrs, filterShape: wShape } as never) as Tensor;
        return [tf.sum(tf.mul(dX, u)), tf.sum(tf.mul(dW, v))];
      });
      for (let i = 0; i < 2; i++) expect(relativeError(got.values[i], ref.values[i])).toBeLessThanOrEqual(TOL);
    });
  });

  it('UnsortedSegmentSum (and the gradient of gather)', async () => {
    const errors = await wasmVsCpu(() => {
      const x = randomTensor([7, 3, 2], 51);
      const ids = tf.tensor1d([2, 0, 2, 4, 1, 0, 9], 'int32'); // 9 is out of range: dropped
      const sums = tf.unsortedSegmentSum(x as never, ids, 5);
      const table = randomTensor([6, 4], 52);
      const idx = tf.tensor1d([5, 1, 1, 3, 0, 5, 5], 'int32');
      const r = randomTensor([7, 4], 53);
      const dTable = tf.grad((t: Tensor) => tf.sum(tf.mul(tf.gather(t, idx), r)))(table);
      return [sums, dTable];
    });
    for (const e of errors) expect(e).toBeLessThanOrEqual(TOL); // cpu sums in another order
  });

  it('Tile of float32, int32 and bool over ranks 1-5 equals the cpu backend exactly', async () => {
    const shapes: [number[], number[]][] = [
      [[3], [4]],
      [
        [2, 3],
        [3, 1],
      ],
      [
        [1, 4, 1],
        [2, 1, 5],
      ],
      [
        [2, 1, 3, 2],
        [1, 3, 1, 2],
      ],
      [
        [1, 1, 1, 2, 2],
        [2, 3, 1, 1, 2],
      ],
      [
        [2, 0],
        [2, 3],
      ],
    ];
    for (const [shape, reps] of shapes) {
      const errors = await wasmVsCpu(() => {
        const x = randomTensor(shape, 61);
        return [tf.tile(x, reps), tf.tile(tf.cast(tf.mul(x, 10), 'int32'), reps), tf.cast(tf.tile(tf.greater(x, 0), reps), 'float32')];
      });
      for (const e of errors) expect(e).toBe(0);
    }
  });

  it('Sum and Mean over leading, middle, last and scattered axes, with keepDims, equal the cpu backend', async () => {
    const axesList: (number | number[])[] = [[0, 1, 2], [1, 2], 0, [0, 1], 3, [0, 2], [2, 3], [-4, -3, -2]];
    for (const axes of axesList) {
      for (const keepDims of [false, true]) {
        const errors = await wasmVsCpu(() => {
          const x = randomTensor([3, 4, 5, 6], 91);
          return [tf.sum(x, axes, keepDims), tf.mean(x, axes, keepDims), tf.cast(tf.sum(tf.cast(tf.mul(x, 10), 'int32'), axes, keepDims), 'float32')];
        });
        for (const e of errors) expect(e).toBeLessThanOrEqual(TOL);
      }
    }
  });

  it('batch-norm gradients (which tile) match', async () => {
    const errors = await wasmVsCpu(() => {
      const x = randomTensor([4, 5, 5, 6], 71);
      const gamma = randomTensor([6], 72);
      const beta = randomTensor([6], 73);
      const r = randomTensor([4, 5, 5, 6], 74);
      const f = (a: Tensor, g: Tensor, b: Tensor) => {
        const { mean, variance } = tf.moments(a, [0, 1, 2]);
        return tf.sum(tf.mul(tf.batchNorm(a, mean, variance, b, g, 1e-3), r));
      };
      return tf.grads(f)([x, gamma, beta]);
    });
    for (const e of errors) expect(e).toBeLessThanOrEqual(TOL);
  });
});
