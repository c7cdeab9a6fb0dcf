// Feature-level fusion baseline (docs/papers/acw.md "Baselines": "feature-level fusion (concatenation
// + FC)", [recon]): f = W·[ê_rgb ; ê_depth] + b, trained with a margin-softmax head (ArcFace, the
// project's heads) on the identities of the same small paired split ACW trains on; the test score is
// cos(f_p, f_g). The backbones stay frozen here too (embeddings are data).
import { createRng } from '../../core/rng.js';
import { tf } from '../../engine/tf.js';
import { createHead, type HeadConfig } from '../heads/index.js';
import { embeddingFeatures, type ModalityEmbeddings } from './fusion.js';

export interface FeatureFusionOptions {
  outDim: number;
  head: HeadConfig;
  epochs: number;
  lr: number;
  weightDecay: number;
  seed: number;
}

export interface FeatureFusionModel {
  /** Fused embeddings of a set (modalities in training order). */
  embed(modalities: readonly ModalityEmbeddings[]): ModalityEmbeddings;
  losses: number[];
  dispose(): void;
}

function concatUnit(modalities: readonly ModalityEmbeddings[]): { data: Float32Array; dim: number; n: number } {
  const n = modalities[0]!.n;
  const dim = modalities.reduce((a, m) => a + m.dim, 0);
  const data = new Float32Array(n * dim);
  let off = 0;
  for (const m of modalities) {
    const u = embeddingFeatures(m).unit;
    for (let i = 0; i < n; i++) data.set(u.subarray(i * m.dim, (i + 1) * m.dim), i * dim + off);
    off += m.dim;
  }
  return { data, dim, n };
}

/** Trains W, b (and the head's class weights) full-batch with Adam on the paired split. */
export function trainFeatureFusion(
  modalities: readonly ModalityEmbeddings[],
  labels: Int32Array,
  classes: number,
  o: FeatureFusionOptions,
): FeatureFusionModel {
  const rng = createRng(o.seed);
  const x = concatUnit(modalities);
  const limit = Math.sqrt(6 / (x.dim + o.outDim));
  const w = tf.variable(
    tf.tensor2d(
      Float32Array.from({ length: x.dim * o.outDim }, () => (2 * rng.next() - 1) * limit),
      [x.dim, o.outDim],
    ),
  );
  const b = tf.variable(tf.zeros([o.outDim]));
  const head = createHead(o.head, o.outDim, classes, rng.seed());
  const xt = tf.tensor2d(x.data, [x.n, x.dim]);
  const optimizer = tf.train.adam(o.lr);
  const losses: number[] = [];
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const loss = optimizer.minimize(
      () =>
        tf.tidy(() => {
          const f = tf.add(tf.matMul(xt, w), b) as tf.Tensor2D;
          return tf.add(head.loss(f, labels), tf.mul(tf.sum(tf.square(w)), o.weightDecay)) as tf.Scalar;
        }),
      true,
      [w, b, ...head.variables],
    )!;
    losses.push(loss.dataSync()[0]!);
    loss.dispose();
  }
  optimizer.dispose();
  xt.dispose();
  return {
    losses,
    embed(mods) {
      const c = concatUnit(mods);
      const data = tf.tidy(() => tf.add(tf.matMul(tf.tensor2d(c.data, [c.n, c.dim]), w), b).dataSync() as Float32Array);
      return { data, n: c.n, dim: o.outDim };
    },
    dispose() {
      w.dispose();
      b.dispose();
      head.dispose();
    },
  };
}
