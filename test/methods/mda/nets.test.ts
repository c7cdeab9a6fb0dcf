import { describe, expect, it } from 'vitest';
import { tf } from '../../../src/engine/tf.js';
import { buildNet } from '../../../src/methods/mda/nets.js';
import { hflipImages } from '../../../src/methods/mda/flip.js';
import { TorchAdam } from '../../../src/methods/mda/adam.js';
import { createRng } from '../../../src/core/rng.js';

describe('horizontal flip', () => {
  it('mirrors each row of an NHWC image and keeps the channels', () => {
    // one 2x3 image, 2 channels: pixel (y, x) = [10y + x, -(10y + x)]
    const img = Float32Array.from([0, -0, 1, -1, 2, -2, 10, -10, 11, -11, 12, -12]);
    expect(Array.from(hflipImages(img, 1, 2, 3, 2))).toEqual([2, -2, 1, -1, 0, -0, 12, -12, 11, -11, 10, -10]);
    expect(Array.from(hflipImages(hflipImages(img, 1, 2, 3, 2), 1, 2, 3, 2))).toEqual(Array.from(img));
  });
});

describe('MLP hand-written backward pass', () => {
  it('equals central finite differences of Σ logits ⊙ dL/dz', async () => {
    const rng = createRng(5);
    const net = buildNet({ kind: 'mlp', hidden: 6 }, { height: 2, width: 2, channels: 1 }, 3, rng);
    const xs = Float32Array.from({ length: 4 * 4 }, () => rng.next());
    const x = tf.tensor4d(xs, [4, 2, 2, 1]);
    const dz = Float64Array.from({ length: 4 * 3 }, () => rng.normal());
    const surrogate = () => {
      const z = net.apply(x, true).dataSync();
      let s = 0;
      for (let j = 0; j < z.length; j++) s += z[j]! * dz[j]!;
      return s;
    };
    const pass = await net.trainForward(x);
    const grads = pass.backward(dz).map((g) => g.dataSync());
    pass.dispose();
    const h = 1e-2; // float32 weights: a large step; the surrogate is piecewise linear in each weight
    net.params.forEach((p, k) => {
      const values = p.dataSync().slice();
      for (let j = 0; j < values.length; j += 3) {
        const plus = values.slice();
        plus[j]! += h;
        p.assign(tf.tensor(plus, p.shape));
        const fPlus = surrogate();
        const minus = values.slice();
        minus[j]! -= h;
        p.assign(tf.tensor(minus, p.shape));
        const fMinus = surrogate();
        p.assign(tf.tensor(values, p.shape));
        expect(grads[k]![j]!).toBeCloseTo((fPlus - fMinus) / (2 * h), 2);
      }
    });
    net.dispose();
    x.dispose();
  });
});

describe('TorchAdam', () => {
  it("follows torch.optim.Adam's update, with the current beta1 in the bias correction", () => {
    const p = tf.variable(tf.tensor1d([1, -2]));
    const adam = new TorchAdam([p], { lr: 0.1 });
    adam.apply([tf.tensor1d([0.5, -1])]);
    // step 1: m = 0.1 g, v = 0.001 g²; m̂ = g, v̂ = g²: p -= 0.1 · g/(|g| + 1e-8)
    const after1 = p.dataSync();
    expect(after1[0]).toBeCloseTo(0.9, 6);
    expect(after1[1]).toBeCloseTo(-1.9, 6);
    adam.beta1 = 0.1;
    adam.apply([tf.tensor1d([0.5, -1])]);
    // step 2 with beta1 = 0.1: m = 0.1·0.05 + 0.9·0.5 = 0.455, bc1 = 1 − 0.1² = 0.99;
    // v = 0.999·0.00025 + 0.001·0.25 = 0.00049975, bc2 = 1 − 0.999² = 0.001999
    const m = 0.455;
    const v = 0.00049975;
    const expected = 0.9 - (0.1 / 0.99) * (m / (Math.sqrt(v) / Math.sqrt(0.001999) + 1e-8));
    expect(p.dataSync()[0]).toBeCloseTo(expected, 6);
    adam.dispose();
    p.dispose();
  });
});
