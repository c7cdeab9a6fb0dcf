// Shared pieces of the classification heads: cosine logits, cross-entropy, stop-gradient, init.
import { tf } from '../../engine/tf.js';
import { createRng } from '../../core/rng.js';

type Tensor = tf.Tensor;
export type Tensor1D = tf.Tensor1D;
export type Tensor2D = tf.Tensor2D;
export type Scalar = tf.Scalar;
export type Variable = tf.Variable;

/** cos θ_ij = Ŵ_jᵀ x̂_i for embeddings x (N × d) and class proxies W (C × d): an N × C matrix. */
export function cosineLogits(x: Tensor2D, weight: Tensor2D): Tensor2D {
  const xn = tf.div(x, tf.norm(x, 'euclidean', 1, true)) as Tensor2D;
  const wn = tf.div(weight, tf.norm(weight, 'euclidean', 1, true)) as Tensor2D;
  return tf.matMul(xn, wn, false, true);
}

/** Mean over the batch of −log softmax(logits)_y (the CE every margin head ends with). */
export function meanCrossEntropy(logits: Tensor2D, oneHot: Tensor2D): Scalar {
  const logp = tf.logSoftmax(logits);
  return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, logp), 1))) as Scalar;
}

/** Labels (class indices) as an N × C float one-hot matrix. */
export function oneHotLabels(labels: Int32Array | Tensor1D, classes: number): Tensor2D {
  const t = labels instanceof Int32Array ? tf.tensor1d(labels, 'int32') : labels;
  const out = tf.cast(tf.oneHot(t, classes), 'float32') as Tensor2D;
  if (labels instanceof Int32Array) t.dispose();
  return out;
}

/**
 * The block-gradient [·]_b of docs/papers/sface.md "Method" (PyTorch `torch.no_grad()` / `detach()`): the value passes
 * forward, no gradient flows back.
 */
const blockGradient = tf.customGrad(((x: Tensor) => ({
  value: tf.clone(x),
  gradFunc: (dy: Tensor) => tf.zerosLike(dy),
})) as unknown as Parameters<typeof tf.customGrad>[0]);

export function stopGradient<T extends Tensor>(x: T): T {
  return blockGradient(x) as T;
}

/** Xavier-normal weights (std = sqrt(2 / (fan_in + fan_out))) drawn from a seeded rng. */
export function xavierNormal(shape: [number, number], seed: number, gain = 1): Variable {
  const rng = createRng(seed);
  const [rows, cols] = shape;
  const std = gain * Math.sqrt(2 / (rows + cols));
  const values = new Float32Array(rows * cols);
  for (let i = 0; i < values.length; i++) values[i] = rng.normal() * std;
  return tf.variable(tf.tensor2d(values, shape));
}
