// Building blocks of the face backbones, on tfjs-core ops and tf.variable: conv, depthwise conv,
// batch norm with running statistics, PReLU, dense. Weights are drawn from a seeded rng.
import { tf } from '../../engine/tf.js';
import type { Rng } from '../../core/rng.js';

export type Tensor = tf.Tensor;
export type Tensor2D = tf.Tensor2D;
export type Tensor4D = tf.Tensor4D;
export type Variable = tf.Variable;

/** Everything a layer owns: trainable variables and (BN) running statistics. */
export interface ParamStore {
  rng: Rng;
  trainable: Variable[];
  /** Non-trainable state (BN running mean/var). */
  state: Variable[];
}

export function createStore(rng: Rng): ParamStore {
  return { rng, trainable: [], state: [] };
}

/** He-normal (Kaiming, fan-in) values, the usual init of face backbones' convs. */
function heNormal(store: ParamStore, shape: number[], fanIn: number): Variable {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  const std = Math.sqrt(2 / fanIn);
  for (let i = 0; i < size; i++) values[i] = store.rng.normal() * std;
  const v = tf.variable(tf.tensor(values, shape));
  store.trainable.push(v);
  return v;
}

function constant(store: ParamStore, shape: number[], value: number, trainable: boolean): Variable {
  const v = tf.variable(tf.fill(shape, value), trainable);
  (trainable ? store.trainable : store.state).push(v);
  return v;
}

export type Layer<I extends Tensor = Tensor4D, O extends Tensor = Tensor4D> = (x: I, training: boolean) => O;

/** k×k convolution without bias (a BN follows), 'same' padding. */
export function conv(store: ParamStore, cin: number, cout: number, k: number, stride: number, padding: 'same' | 'valid' = 'same'): Layer {
  const w = heNormal(store, [k, k, cin, cout], k * k * cin);
  return (x) => tf.conv2d(x, w as unknown as Tensor4D, stride, padding);
}

/** k×k depthwise convolution without bias. */
export function depthwise(store: ParamStore, channels: number, k: number, stride: number, padding: 'same' | 'valid' = 'same'): Layer {
  const w = heNormal(store, [k, k, channels, 1], k * k);
  return (x) => tf.depthwiseConv2d(x, w as unknown as Tensor4D, stride, padding);
}

/**
 * Batch norm y = γ(x − μ)/sqrt(σ² + ε) + β over all axes but the last. Training uses the batch
 * moments and updates the running ones (momentum 0.9, as PyTorch's 0.1); inference uses the running ones.
 */
export function batchNorm(store: ParamStore, channels: number, options: { affine?: boolean; eps?: number; momentum?: number } = {}): Layer<Tensor, Tensor> {
  const eps = options.eps ?? 1e-5;
  const momentum = options.momentum ?? 0.9;
  const affine = options.affine ?? true;
  const gamma = affine ? constant(store, [channels], 1, true) : null;
  const beta = affine ? constant(store, [channels], 0, true) : null;
  const runningMean = constant(store, [channels], 0, false);
  const runningVar = constant(store, [channels], 1, false);
  return (x, training) => {
    const axes = x.shape.slice(0, -1).map((_, i) => i);
    let mean: Tensor;
    let variance: Tensor;
    if (training) {
      const m = tf.moments(x, axes);
      mean = m.mean;
      variance = m.variance;
      const n = x.size / channels;
      tf.tidy(() => {
        runningMean.assign(tf.add(tf.mul(runningMean, momentum), tf.mul(mean, 1 - momentum)));
        // unbiased variance for the running estimate, as PyTorch
        runningVar.assign(tf.add(tf.mul(runningVar, momentum), tf.mul(variance, ((1 - momentum) * n) / Math.max(1, n - 1))));
      });
    } else {
      mean = runningMean;
      variance = runningVar;
    }
    return tf.batchNorm(x, mean, variance, beta ?? undefined, gamma ?? undefined, eps);
  };
}

/** PReLU with one slope per channel, initialised at 0.25 (PyTorch's default). */
export function prelu(store: ParamStore, channels: number): Layer<Tensor, Tensor> {
  const alpha = constant(store, [channels], 0.25, true);
  return (x) => tf.prelu(x, alpha);
}

/** Dense layer x W (+ b). */
export function dense(store: ParamStore, inFeatures: number, outFeatures: number, bias: boolean): Layer<Tensor2D, Tensor2D> {
  const w = heNormal(store, [inFeatures, outFeatures], inFeatures);
  const b = bias ? constant(store, [outFeatures], 0, true) : null;
  return (x) => {
    const y = tf.matMul(x, w as unknown as Tensor2D) as Tensor2D;
    return b ? (tf.add(y, b) as Tensor2D) : y;
  };
}

/** Inverted dropout with a seeded mask per call (training only). */
export function dropout(rate: number, rng: Rng): Layer<Tensor, Tensor> {
  return (x, training) => (training && rate > 0 ? tf.dropout(x, rate, undefined, rng.seed()) : x);
}
