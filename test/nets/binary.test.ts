import { describe, expect, it } from 'vitest';
import { tf } from '../../src/engine/tf.js';
import { binaryDense, signNonZero, steSign } from '../../src/nets/binary.js';

describe('straight-through sign', () => {
  it('forward is sign with sign(0) = +1', () => {
    expect(Array.from(signNonZero(tf.tensor1d([-2, -0.5, 0, 0.5, 2])).dataSync())).toEqual([-1, -1, 1, 1, 1]);
  });

  it('backward passes the gradient where |x| ≤ 1 only', () => {
    const x = tf.tensor1d([-2, -1, -0.5, 0, 0.5, 1, 1.5]);
    const dy = tf.tensor1d([1, 2, 3, 4, 5, 6, 7]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(steSign(v), dy)))(x);
    expect(Array.from(g.dataSync())).toEqual([0, 2, 3, 4, 5, 6, 0]);
  });

  it('binary dense: forward uses sign(W), gradient w.r.t. W is xᵀ·dy masked by |W| ≤ 1', () => {
    const x = tf.tensor2d([[1, 2]]);
    const w = tf.tensor2d([
      [0.3, -3],
      [-0.2, 0.7],
    ]);
    expect(Array.from(binaryDense(x, w).dataSync())).toEqual([1 - 2, -1 + 2]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(binaryDense(x, v as tf.Tensor2D)))(w);
    expect(Array.from(g.dataSync())).toEqual([1, 0, 2, 2]);
  });
});
