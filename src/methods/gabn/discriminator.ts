// The group discriminator on GAMs (docs/papers/gabn.md "Adversarial GAM alignment", [recon]): an MLP
// G² → hidden → groups (the card's 49 → 64 → 4) on the flattened map, trained with cross-entropy on the
// group label; the face network sees it through the gradient-reversal layer (grl.ts).
import { tf } from '../../engine/tf.js';
import { createRng } from '../../core/rng.js';
import { meanCrossEntropy, oneHotLabels, xavierNormal } from '../heads/index.js';

type Tensor2D = tf.Tensor2D;
type Scalar = tf.Scalar;

export interface GroupDiscriminator {
  inputs: number;
  groups: number;
  variables: tf.Variable[];
  /** N × inputs → N × groups logits. */
  logits(x: Tensor2D): Tensor2D;
  /** Mean cross-entropy against integer group labels. */
  loss(x: Tensor2D, groups: Int32Array): Scalar;
  dispose(): void;
}

export function createGroupDiscriminator(inputs: number, hidden: number, groups: number, seed: number): GroupDiscriminator {
  const rng = createRng(seed);
  const w1 = xavierNormal([inputs, hidden], rng.seed());
  const b1 = tf.variable(tf.zeros([hidden]));
  const w2 = xavierNormal([hidden, groups], rng.seed());
  const b2 = tf.variable(tf.zeros([groups]));
  const logits = (x: Tensor2D) => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2) as Tensor2D;
  return {
    inputs,
    groups,
    variables: [w1, b1, w2, b2],
    logits,
    loss: (x, labels) => meanCrossEntropy(logits(x), oneHotLabels(labels, groups)),
    dispose() {
      for (const v of [w1, b1, w2, b2]) v.dispose();
    },
  };
}

/** Number of rows whose arg-max logit is the label (a tensor, so that no synchronous read is needed). */
export function correctCount(logits: Tensor2D, labels: Int32Array): Scalar {
  return tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.tensor1d(labels, 'int32')), 'int32')) as Scalar);
}
