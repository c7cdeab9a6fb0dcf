// Dilated convolutions through spaceToBatchND: forward equals conv2d(..., dilations); gradients are the
// adjoints of the dilated forward map; wasm matches cpu.
import { describe, expect, it } from 'vitest';
import { tf } from '../../src/engine/tf.js';
import { dilatedConv2d, dilatedDepthwiseConv2d, spaceToBatchPlan, type ConvPadding } from '../../src/engine/dilated.js';
import { randomTensor, relativeError, runOn, wasmVsCpu, type Tensor } from './helpers.js';

const TOL = 1e-5;
type T4 = Parameters<typeof dilatedConv2d>[0];

describe('spaceToBatchPlan', () => {
  it("pads 'same' by (k−1)·r, smaller half first, then up to a multiple of r, and crops that extra", () => {
    expect(spaceToBatchPlan([10, 9], [3, 2], 2, 'same')).toEqual({
      blockShape: [2, 2],
      paddings: [
        [2, 2],
        [1, 2], // 1 + 9 + 1 = 11 is odd: 1 extra at the end, cropped below
      ],
      crops: [
        [0, 0],
        [0, 1],
      ],
    });
    expect(spaceToBatchPlan([7, 7], [3, 3], 3, 'valid').paddings).toEqual([
      [0, 2],
      [0, 2],
    ]);
  });
});

describe('dilated convolution', () => {
  const cases: [string, number, number, ConvPadding][] = [];
  for (const kind of ['regular', 'depthwise'])
    for (const k of [2, 3]) for (const r of [1, 2, 3]) for (const p of ['same', 'valid'] as ConvPadding[]) cases.push([kind, k, r, p]);

  it.each(cases)('%s kernel %i rate %i pad %s: forward = conv2d with dilations; gradients = adjoints; wasm = cpu', async (kind, k, r, pad) => {
    const depthwise = kind === 'depthwise';
    const xShape = [2, 11, 10, 3];
    const wShape = depthwise ? [k, k, 3, 2] : [k, k, 3, 4];
    const ours = (x: Tensor, w: Tensor) =>
      depthwise ? dilatedDepthwiseConv2d(x as T4, w as T4, { rate: r, padding: pad }) : dilatedConv2d(x as T4, w as T4, { rate: r, padding: pad });
    const reference = (x: Tensor, w: Tensor) =>
      depthwise ? tf.depthwiseConv2d(x as T4, w as T4, 1, pad, 'NHWC', r) : tf.conv2d(x as T4, w as T4, 1, pad, 'NHWC', r);
    const experiment = () => {
      const x = randomTensor(xShape, 1);
      const w = randomTensor(wShape, 2);
      const u = randomTensor(xShape, 3);
      const v = randomTensor(wShape, 4);
      const y = ours(x, w);
      const dy = randomTensor(y.shape, 5);
      const [dX, dW] = tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.mul(ours(a, b), dy)))([x, w]);
      return [
        y,
        reference(x, w),
        // Adjoint identities of the (bilinear) dilated convolution: <dX, u> = <dy, conv(u, w)>, <dW, v> = <dy, conv(x, v)>.
        tf.sum(tf.mul(dX, u)),
        tf.sum(tf.mul(dy, reference(u, w))),
        tf.sum(tf.mul(dW, v)),
        tf.sum(tf.mul(dy, reference(x, v))),
        dX,
        dW,
      ];
    };
    const cpu = await runOn('cpu', experiment);
    expect(cpu.shapes[0]).toEqual(cpu.shapes[1]);
    expect(relativeError(cpu.values[0], cpu.values[1])).toBeLessThanOrEqual(TOL);
    expect(relativeError(cpu.values[2], cpu.values[3])).toBeLessThanOrEqual(TOL);
    expect(relativeError(cpu.values[4], cpu.values[5])).toBeLessThanOrEqual(TOL);
    const wasm = await runOn('wasm', experiment);
    for (const i of [0, 6, 7]) expect(relativeError(wasm.values[i], cpu.values[i])).toBeLessThanOrEqual(TOL);
  });

  it('fused bias and relu are applied like tf.fused.conv2d, and train on wasm', async () => {
    const errors = await wasmVsCpu(() => {
      const x = randomTensor([2, 9, 9, 3], 11);
      const w = randomTensor([3, 3, 3, 4], 12);
      const b = randomTensor([4], 13);
      const f = (a: Tensor, c: Tensor, d: Tensor) => dilatedConv2d(a as T4, c as T4, { rate: 2, padding: 'same', bias: d as never, activation: 'relu' });
      const expected = tf.relu(tf.add(tf.conv2d(x as T4, w as T4, 1, 'same', 'NHWC', 2), b));
      const dy = randomTensor(expected.shape, 14);
      return [tf.sub(f(x, w, b), expected), ...tf.grads((a: Tensor, c: Tensor, d: Tensor) => tf.sum(tf.mul(f(a, c, d), dy)))([x, w, b])];
    });
    for (const e of errors.slice(1)) expect(e).toBeLessThanOrEqual(TOL);
  });

  it('rejects a non-integer rate', () => {
    const x = tf.zeros([1, 4, 4, 1]) as T4;
    const w = tf.zeros([2, 2, 1, 1]) as T4;
    expect(() => dilatedConv2d(x, w, { rate: 1.5, padding: 'same' })).toThrow(/integers >= 1/);
    tf.dispose([x, w]);
  });
});
