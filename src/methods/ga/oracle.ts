// The surrogate gradient oracle of a cloak (cloak.ts GradientOracle): for a mini-batch B of the
// identity's training images, ∇_{x_adv_i} (1/D)‖n(f(x_adv_i)) − t_i‖² averaged over i ∈ B, at
// x_adv_i = clip(x_i + δ, 0, 1), with the targets t_i of losses.ts held constant (read off the tape).
import { tf } from '../../engine/tf.js';
import { l2Normalize, lossTargets, type LossKind, type Rows } from './losses.js';
import type { GradientOracle } from './cloak.js';
import type { Surrogate } from './surrogate.js';

export interface IdentityImages {
  /** [n, height, width, 3] in [0, 1]. */
  images: Float32Array;
  n: number;
  height: number;
  width: number;
}

/** Normalised surrogate features of images (forward only). */
export function surrogateFeatures(surrogate: Surrogate, set: IdentityImages): Rows {
  const y = tf.tidy(() => surrogate.forward(tf.tensor4d(set.images, [set.n, set.height, set.width, 3])));
  const data = y.dataSync();
  y.dispose();
  return l2Normalize(data, set.n, surrogate.dim);
}

export function surrogateOracle(surrogate: Surrogate, set: IdentityImages, loss: LossKind): GradientOracle {
  const clean = surrogateFeatures(surrogate, set);
  const px = set.height * set.width * 3;
  const dim = surrogate.dim;
  return (delta, indices) => {
    const batch = new Float32Array(indices.length * px);
    const cleanOfBatch = new Float64Array(indices.length * dim);
    indices.forEach((i, k) => {
      for (let q = 0; q < px; q++) batch[k * px + q] = Math.min(1, Math.max(0, set.images[i * px + q]! + delta[q]!));
      cleanOfBatch.set(clean.data.subarray(i * dim, (i + 1) * dim), k * dim);
    });
    const g = tf.tidy(() => {
      const x = tf.tensor4d(batch, [indices.length, set.height, set.width, 3]);
      const lossOf = (xi: tf.Tensor): tf.Tensor => {
        const f = surrogate.forward(xi as tf.Tensor4D);
        const y = tf.div(f, tf.norm(f, 'euclidean', 1, true));
        const values = y.dataSync();
        const t = lossTargets(loss, { data: Float64Array.from(values), n: indices.length, dim }, { data: cleanOfBatch, n: indices.length, dim }, clean);
        const target = tf.tensor2d(Float32Array.from(t), [indices.length, dim]);
        return tf.div(tf.sum(tf.square(tf.sub(y, target))), dim);
      };
      const grad = tf.grad(lossOf)(x);
      return tf.div(tf.sum(grad, 0), indices.length);
    });
    const out = g.dataSync().slice() as Float32Array;
    g.dispose();
    return out;
  };
}
