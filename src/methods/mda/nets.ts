// The networks of the reproduction, as tfjs-core ops on tf.variable weights:
// - `mlp`: JoCoR's MLPNet for MNIST (784 → 256 → ReLU → 10) [ext: hongxin001/JoCoR model/cnn.py];
// - `cnn6`: the 6-conv "CNN" of MDA and JoCoR on CIFAR (docs/papers/mda.md "Network"), BatchNorm momentum 0.1.
// Weights start as PyTorch's defaults: U(±1/√fan_in) for conv/linear weights and biases, BN γ=1, β=0.
// A training pass returns the logits and a backward function: given ∂L/∂logits (losses.ts) it gives
// the parameter gradients. The MLP backpropagates by hand (plain matmuls, any backend, no gradient
// registry needed); the CNN uses tfjs's tape on the surrogate Σ logits ⊙ ∂L/∂logits.
import { tf } from '../../engine/tf.js';
import type { Rng } from '../../core/rng.js';

export type MdaNetSpec = { kind: 'mlp'; hidden: number } | { kind: 'cnn6' };

export interface InputShape {
  height: number;
  width: number;
  channels: number;
}

export interface Net {
  readonly params: tf.Variable[];
  /** Logits [B, classes] of NHWC input; `training` uses batch statistics in BatchNorm. */
  apply(x: tf.Tensor4D, training: boolean): tf.Tensor2D;
  /** A training-mode forward pass (BatchNorm on batch statistics) with its backward function. */
  trainForward(x: tf.Tensor4D): Promise<TrainPass>;
  /** After a training step: folds the batch statistics of the training forward passes into the running ones. */
  commitBatchStats(): void;
  dispose(): void;
}

export interface TrainPass {
  /** Logits [B, classes], row-major. */
  logits: Float32Array;
  /** Parameter gradients (in `params` order) for ∂L/∂logits; the caller disposes them. */
  backward(dLogits: ArrayLike<number>): tf.Tensor[];
  dispose(): void;
}

function uniform(rng: Rng, shape: number[], bound: number): tf.Variable {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = (2 * rng.next() - 1) * bound;
  return tf.variable(tf.tensor(values, shape));
}

export function buildNet(spec: MdaNetSpec, input: InputShape, classes: number, rng: Rng): Net {
  return spec.kind === 'mlp' ? buildMlp(spec.hidden, input, classes, rng) : buildCnn6(input, classes, rng);
}

function buildMlp(hidden: number, input: InputShape, classes: number, rng: Rng): Net {
  const inputs = input.height * input.width * input.channels;
  const w1 = uniform(rng, [inputs, hidden], 1 / Math.sqrt(inputs));
  const b1 = uniform(rng, [hidden], 1 / Math.sqrt(inputs));
  const w2 = uniform(rng, [hidden, classes], 1 / Math.sqrt(hidden));
  const b2 = uniform(rng, [classes], 1 / Math.sqrt(hidden));
  const params = [w1, b1, w2, b2];
  return {
    params,
    apply: (x) =>
      tf.tidy(() => {
        const flat = tf.reshape(x, [x.shape[0], inputs]) as tf.Tensor2D;
        const h = tf.relu(tf.add(tf.matMul(flat, w1), b1)) as tf.Tensor2D;
        return tf.add(tf.matMul(h, w2), b2) as tf.Tensor2D;
      }),
    trainForward: async (x) => {
      // Forward with the activations kept; backward: dW2 = hᵀdz, db2 = Σdz, dh = dz W2ᵀ ⊙ [h>0],
      // dW1 = xᵀdh, db1 = Σdh.
      const [flat, h, z] = tf.tidy(() => {
        const f = tf.reshape(x, [x.shape[0], inputs]) as tf.Tensor2D;
        const a = tf.relu(tf.add(tf.matMul(f, w1), b1)) as tf.Tensor2D;
        return [f, a, tf.add(tf.matMul(a, w2), b2) as tf.Tensor2D];
      });
      const logits = (await z.data()) as Float32Array;
      return {
        logits,
        backward: (dLogits) =>
          tf.tidy(() => {
            const dz = tf.tensor2d(Float32Array.from(dLogits), z.shape);
            const dh = tf.mul(tf.matMul(dz, w2, false, true), tf.step(h));
            return [tf.matMul(flat, dh, true, false), tf.sum(dh, 0), tf.matMul(h, dz, true, false), tf.sum(dz, 0)];
          }),
        dispose: () => tf.dispose([flat, h, z]),
      };
    },
    commitBatchStats: () => {},
    dispose: () => params.forEach((p) => p.dispose()),
  };
}

interface BatchNorm {
  gamma: tf.Variable;
  beta: tf.Variable;
  runningMean: tf.Variable;
  runningVar: tf.Variable;
}

const BN_MOMENTUM = 0.1;
const BN_EPS = 1e-5;

function buildCnn6(input: InputShape, classes: number, rng: Rng): Net {
  const widths = [64, 64, 128, 128, 196, 16];
  const convs: { w: tf.Variable; b: tf.Variable; bn: BatchNorm }[] = [];
  let cin = input.channels;
  for (const cout of widths) {
    const bound = 1 / Math.sqrt(cin * 9);
    convs.push({
      w: uniform(rng, [3, 3, cin, cout], bound),
      b: uniform(rng, [cout], bound),
      bn: {
        gamma: tf.variable(tf.ones([cout])),
        beta: tf.variable(tf.zeros([cout])),
        runningMean: tf.variable(tf.zeros([cout]), false),
        runningVar: tf.variable(tf.ones([cout]), false),
      },
    });
    cin = cout;
  }
  const flat = Math.floor(input.height / 8) * Math.floor(input.width / 8) * 16;
  const wOut = uniform(rng, [flat, classes], 1 / Math.sqrt(flat));
  const bOut = uniform(rng, [classes], 1 / Math.sqrt(flat));
  const params = [...convs.flatMap((c) => [c.w, c.b, c.bn.gamma, c.bn.beta]), wOut, bOut];
  // Batch statistics of training forwards, waiting for commitBatchStats: [layer, mean, unbiased var].
  let pending: [number, tf.Tensor1D, tf.Tensor1D][] = [];

  const batchNorm = (x: tf.Tensor4D, layer: number, training: boolean, record: boolean): tf.Tensor4D => {
    const bn = convs[layer]!.bn;
    if (!training) return tf.batchNorm(x, bn.runningMean as tf.Tensor1D, bn.runningVar as tf.Tensor1D, bn.beta as tf.Tensor1D, bn.gamma as tf.Tensor1D, BN_EPS);
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    const n = x.shape[0] * x.shape[1] * x.shape[2];
    if (record) pending.push([layer, tf.keep(tf.clone(mean)) as tf.Tensor1D, tf.keep(tf.mul(variance, n / Math.max(1, n - 1))) as tf.Tensor1D]);
    return tf.batchNorm(x, mean as tf.Tensor1D, variance as tf.Tensor1D, bn.beta as tf.Tensor1D, bn.gamma as tf.Tensor1D, BN_EPS);
  };

  const forward = (x: tf.Tensor4D, training: boolean, record: boolean): tf.Tensor2D =>
    tf.tidy(() => {
      let h: tf.Tensor4D = x;
      convs.forEach((c, layer) => {
        h = tf.add(tf.conv2d(h, c.w as tf.Tensor4D, 1, 'same'), c.b);
        h = tf.relu(batchNorm(h, layer, training, record));
        if (layer % 2 === 1) h = tf.maxPool(h, 2, 2, 'valid');
      });
      const f = tf.reshape(h, [h.shape[0], flat]) as tf.Tensor2D;
      return tf.add(tf.matMul(f, wOut), bOut) as tf.Tensor2D;
    });

  return {
    params,
    apply: (x, training) => forward(x, training, training),
    trainForward: async (x) => {
      const z = forward(x, true, true);
      const logits = (await z.data()) as Float32Array;
      const shape = z.shape;
      z.dispose();
      return {
        logits,
        // Recomputes the forward pass inside the tape (batch statistics recorded once, above).
        // Needs tfjs's gradient registry (conv2d, batchNorm, maxPool gradients) on the active backend.
        backward: (dLogits) => {
          const dz = tf.tensor2d(Float32Array.from(dLogits), shape);
          const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(forward(x, true, false), dz)) as tf.Scalar, params);
          value.dispose();
          dz.dispose();
          return params.map((p) => grads[p.name]!);
        },
        dispose: () => {},
      };
    },
    commitBatchStats: () => {
      tf.tidy(() => {
        for (const [layer, mean, variance] of pending) {
          const bn = convs[layer]!.bn;
          bn.runningMean.assign(tf.add(tf.mul(bn.runningMean, 1 - BN_MOMENTUM), tf.mul(mean, BN_MOMENTUM)));
          bn.runningVar.assign(tf.add(tf.mul(bn.runningVar, 1 - BN_MOMENTUM), tf.mul(variance, BN_MOMENTUM)));
        }
      });
      for (const [, mean, variance] of pending) {
        mean.dispose();
        variance.dispose();
      }
      pending = [];
    },
    dispose: () => {
      for (const c of convs) [c.bn.runningMean, c.bn.runningVar].forEach((t) => t.dispose());
      params.forEach((p) => p.dispose());
    },
  };
}
