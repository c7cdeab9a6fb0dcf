// The gradient-reversal layer: identity forward, gradient × (−λ) backward, checked against tf.grad.
import { describe, expect, it } from 'vitest';
import { tf } from '../../../src/engine/tf.js';
import { gradientReversal } from '../../../src/methods/gabn/index.js';

const f = (x: tf.Tensor) => tf.sum(tf.mul(tf.sin(x), tf.tensor1d([1, -2, 3, 0.5])));

describe('gradientReversal', () => {
  it('passes values through unchanged', () => {
    const x = tf.tensor1d([0.3, -1.2, 2, 0]);
    expect(Array.from(gradientReversal(x, 0.7).dataSync())).toEqual(Array.from(x.dataSync()));
  });

  it.each([1, 0.1, 2.5])('flips the sign of the gradient and scales it by λ = %s', (lambda) => {
    const x = tf.tensor1d([0.3, -1.2, 2, 0]);
    const plain = tf.grad(f)(x).dataSync();
    const reversed = tf
      .grad((v: tf.Tensor) => f(gradientReversal(v, lambda)))(x)
      .dataSync();
    plain.forEach((g, i) => {
      expect(g).not.toBe(0);
      expect(reversed[i]).toBeCloseTo(-lambda * g, 6);
    });
  });

  it('reverses only what lies before it: a loss on both sides gets g_before − λ g_after', () => {
    const x = tf.tensor1d([0.5, 1.5, -0.5, 2]);
    const g = tf
      .grad((v: tf.Tensor) => tf.add(f(v), f(gradientReversal(tf.mul(v, 2), 0.5))))(x)
      .dataSync();
    const g1 = tf.grad(f)(x).dataSync();
    const g2 = tf
      .grad((v: tf.Tensor) => f(tf.mul(v, 2)))(x)
      .dataSync();
    g.forEach((v, i) => expect(v).toBeCloseTo(g1[i]! - 0.5 * g2[i]!, 5));
  });

  it('λ = 0 cuts the gradient', () => {
    const x = tf.tensor1d([0.3, -1.2, 2, 0]);
    expect(
      Array.from(
        tf
          .grad((v: tf.Tensor) => f(gradientReversal(v, 0)))(x)
          .dataSync(),
      ).map(Math.abs),
    ).toEqual([0, 0, 0, 0]);
  });
});
