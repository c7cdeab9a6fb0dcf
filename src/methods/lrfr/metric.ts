// Metric losses between the embedding of a degraded image u and its HR target v (docs/papers/lrfr.md
// "LogExp distance: candidate forms"). The paper's LogExp formula is UNKNOWN: the three candidate forms are
// implemented behind `MetricKind`, with the baselines the paper very likely compares against.
// e = u − v per dimension; each D is summed over dimensions and averaged over the batch.
import { tf } from '../../engine/tf.js';

export const METRIC_KINDS = ['logcosh', 'logsumexp', 'softplus', 'l1', 'l2', 'smoothl1', 'cosine'] as const;
export type MetricKind = (typeof METRIC_KINDS)[number];

/**
 * Default LogExp form [recon]: (A) log-cosh. It is smooth at 0 (gradient tanh(e) → 0, no L1-type
 * oscillation), L1-like for large errors, and its gradient grows with the error, so the dimensions
 * with large errors get more optimisation: the three properties the abstract names.
 */
export const DEFAULT_LOGEXP: MetricKind = 'logcosh';

export interface MetricOptions {
  /** Temperature τ of the log-sum-exp form (B); default 1. */
  tau?: number;
}

/** log cosh(e) = |e| + log(1 + e^{−2|e|}) − log 2, stable for large |e|. */
function logCosh(e: tf.Tensor): tf.Tensor {
  const a = tf.abs(e);
  return tf.sub(tf.add(a, tf.softplus(tf.mul(a, -2))), Math.log(2));
}

/** D(u, v) per sample (N), by kind. */
export function metricPerSample(kind: MetricKind, u: tf.Tensor2D, v: tf.Tensor2D, options: MetricOptions = {}): tf.Tensor1D {
  const e = tf.sub(u, v);
  const d = u.shape[1];
  switch (kind) {
    // (A) Σ_d log cosh(e_d); ∂/∂e_d = tanh(e_d)
    case 'logcosh':
      return tf.sum(logCosh(e), 1) as tf.Tensor1D;
    // (B) τ·log((1/D) Σ_d exp(|e_d|/τ)); ∂/∂e_d = sign(e_d)·softmax_d(|e|/τ). The card's form minus
    //     τ·log D, so that D(0) = 0 (the gradient is unchanged).
    case 'logsumexp': {
      const tau = options.tau ?? 1;
      return tf.mul(tf.sub(tf.logSumExp(tf.div(tf.abs(e), tau), 1), Math.log(d)), tau) as tf.Tensor1D;
    }
    // (C) Σ_d log(1 + exp|e_d|) − D·log 2; ∂/∂e_d = sign(e_d)·σ(|e_d|)
    case 'softplus':
      return tf.sub(tf.sum(tf.softplus(tf.abs(e)), 1), d * Math.log(2)) as tf.Tensor1D;
    case 'l1':
      return tf.sum(tf.abs(e), 1) as tf.Tensor1D;
    // L2 / MSE: Σ_d e_d²/2
    case 'l2':
      return tf.mul(tf.sum(tf.square(e), 1), 0.5) as tf.Tensor1D;
    // smooth-L1 (Huber, β = 1): e²/2 for |e| < 1, |e| − 1/2 otherwise
    case 'smoothl1': {
      const a = tf.abs(e);
      const quadratic = tf.minimum(a, 1);
      return tf.sum(tf.mul(quadratic, tf.sub(a, tf.mul(quadratic, 0.5))), 1) as tf.Tensor1D;
    }
    // cosine distance 1 − cos(u, v)
    case 'cosine': {
      const un = tf.div(u, tf.norm(u, 'euclidean', 1, true));
      const vn = tf.div(v, tf.norm(v, 'euclidean', 1, true));
      return tf.sub(1, tf.sum(tf.mul(un, vn), 1)) as tf.Tensor1D;
    }
  }
}

/** Batch mean of D(u, v). */
export function metricLoss(kind: MetricKind, u: tf.Tensor2D, v: tf.Tensor2D, options: MetricOptions = {}): tf.Scalar {
  return tf.mean(metricPerSample(kind, u, v, options)) as tf.Scalar;
}
