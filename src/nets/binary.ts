// Binary layers with straight-through estimators (BinaryConnect / BNN conventions, docs/papers/bamsprod.md "STE conventions").
import { tf } from '../engine/tf.js';

/** sign(x) with sign(0) = +1, as larq's `ste_sign`. */
export function signNonZero(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.where(tf.greaterEqual(x, 0), tf.onesLike(x), tf.onesLike(x).neg()));
}

/**
 * Forward sign(x); backward the gradient passes where |x| ≤ 1 and is zero elsewhere (the hard-tanh
 * derivative), so latent weights and activations outside [−1, 1] stop receiving gradient.
 */
export const steSign: (x: tf.Tensor) => tf.Tensor = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
  save([x]);
  return {
    value: signNonZero(x),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, tf.lessEqual(tf.abs(saved[0]!), 1).toFloat()),
  };
});

/** x · sign(W): a dense layer whose weights are binarised in the forward pass. */
export function binaryDense(x: tf.Tensor2D, latentWeights: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(x, steSign(latentWeights) as tf.Tensor2D);
}

/** A convolution whose filter is binarised in the forward pass (NHWC, filter HWIO). */
export function binaryConv2d(x: tf.Tensor4D, latentFilter: tf.Tensor4D, strides: number | [number, number] = 1, pad: 'same' | 'valid' = 'same'): tf.Tensor4D {
  return tf.conv2d(x, steSign(latentFilter) as tf.Tensor4D, strides, pad);
}
