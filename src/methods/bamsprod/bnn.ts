// The binary MLP of table `bnn` and its training loop (docs/papers/bamsprod.md "Claims checkable at small scale", 6).
// Dense layers with binarised weights (STE), batch norm after each, sign activations (STE) between.
import { assertFiniteLoss } from '../../engine/guards.js';
import { tf } from '../../engine/tf.js';
import type { ImageSet } from '../../data/mnist.js';
import { createRng, type Rng } from '../../core/rng.js';
import { binaryDense, steSign } from '../../nets/binary.js';
import { adam } from './adam.js';
import type { ElementwiseOptimizer } from './optimizer.js';
import { applyGradients, trainableParam, type TrainableParam } from './variables.js';

interface BnLayer {
  weights: TrainableParam;
  gamma: TrainableParam;
  beta: TrainableParam;
  runningMean: tf.Tensor1D;
  runningVar: tf.Tensor1D;
}

export interface BinaryMlp {
  layers: BnLayer[];
  params: TrainableParam[];
}

export interface BinaryMlpOptions {
  /** Layer widths, input first: e.g. [784, 256, 256, 10]. */
  sizes: number[];
  /** Optimiser of the binary weights. */
  weightOptimizer: ElementwiseOptimizer;
  /** 'latent': Glorot-uniform latent weights in [−1, 1]; 'binary': ±1 weights kept directly (Bop). */
  weights: 'latent' | 'binary';
  /** Optimiser of batch-norm scale and shift (Adam 0.01 as in the Bop reference code). */
  realOptimizer?: ElementwiseOptimizer;
  rng: Rng;
}

const BN_MOMENTUM = 0.9;
const BN_EPS = 1e-5;

export function createBinaryMlp({ sizes, weightOptimizer, weights, realOptimizer = adam({ lr: 0.01 }), rng }: BinaryMlpOptions): BinaryMlp {
  const layers: BnLayer[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [fanIn, fanOut] = [sizes[l]!, sizes[l + 1]!];
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const w = new Float32Array(fanIn * fanOut);
    for (let i = 0; i < w.length; i++) {
      const u = (2 * rng.next() - 1) * limit;
      w[i] = weights === 'binary' ? (u >= 0 ? 1 : -1) : u;
    }
    layers.push({
      weights: trainableParam(`w${l}`, w, [fanIn, fanOut], weightOptimizer, weights === 'latent'),
      gamma: trainableParam(`gamma${l}`, new Float32Array(fanOut).fill(1), [fanOut], realOptimizer),
      beta: trainableParam(`beta${l}`, new Float32Array(fanOut), [fanOut], realOptimizer),
      runningMean: tf.keep(tf.zeros([fanOut])),
      runningVar: tf.keep(tf.ones([fanOut])),
    });
  }
  return { layers, params: layers.flatMap((l) => [l.weights, l.gamma, l.beta]) };
}

/** Logits; in training mode batch statistics are used and returned for the running averages. */
function forward(mlp: BinaryMlp, x: tf.Tensor2D, training: boolean, stats?: { mean: tf.Tensor; variance: tf.Tensor }[]): tf.Tensor2D {
  let h: tf.Tensor2D = x;
  mlp.layers.forEach((layer, l) => {
    const z = binaryDense(h, layer.weights.variable as tf.Tensor2D);
    let mean: tf.Tensor = layer.runningMean;
    let variance: tf.Tensor = layer.runningVar;
    if (training) {
      ({ mean, variance } = tf.moments(z, 0));
      // Kept past variableGrads' tidy for the running averages; the caller disposes them.
      stats?.push({ mean: tf.keep(mean), variance: tf.keep(variance) });
    }
    const normed = tf.batchNorm(z, mean, variance, layer.beta.variable, layer.gamma.variable, BN_EPS) as tf.Tensor2D;
    h = l + 1 < mlp.layers.length ? (steSign(normed) as tf.Tensor2D) : normed;
  });
  return h;
}

function updateRunningStats(mlp: BinaryMlp, stats: { mean: tf.Tensor; variance: tf.Tensor }[]): void {
  mlp.layers.forEach((layer, l) => {
    const { mean, variance } = stats[l]!;
    const m = tf.tidy(() => layer.runningMean.mul(BN_MOMENTUM).add(mean.mul(1 - BN_MOMENTUM)) as tf.Tensor1D);
    const v = tf.tidy(() => layer.runningVar.mul(BN_MOMENTUM).add(variance.mul(1 - BN_MOMENTUM)) as tf.Tensor1D);
    layer.runningMean.dispose();
    layer.runningVar.dispose();
    layer.runningMean = tf.keep(m);
    layer.runningVar = tf.keep(v);
  });
}

export function disposeBinaryMlp(mlp: BinaryMlp): void {
  for (const layer of mlp.layers) {
    layer.runningMean.dispose();
    layer.runningVar.dispose();
  }
  for (const p of mlp.params) p.variable.dispose();
}

export interface TrainBnnOptions {
  epochs: number;
  batchSize: number;
  /** The training loss whose first crossing counts as convergence (running mean of recent batches). */
  targetLoss: number;
  /** Batches in the running mean of the training loss. */
  lossWindow: number;
  seed: number;
  /** Names the run in a non-finite-loss error. */
  label?: string;
  /** Called once per finished epoch (1-based) with its mean training loss. */
  onEpoch?: (record: { epoch: number; loss: number }) => void;
}

export interface BnnTrainingResult {
  testAccuracy: number;
  finalTrainLoss: number;
  /** First step at which the running training loss ≤ targetLoss; null if never. */
  stepsToTarget: number | null;
  steps: number;
}

function flatBatch(set: ImageSet, indices: number[]): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const size = set.height * set.width * set.channels;
  const x = new Float32Array(indices.length * size);
  const y = new Float32Array(indices.length * set.classes);
  indices.forEach((j, i) => {
    x.set(set.images.subarray(j * size, (j + 1) * size), i * size);
    y[i * set.classes + set.labels[j]!] = 1;
  });
  return { x: tf.tensor2d(x, [indices.length, size]), y: tf.tensor2d(y, [indices.length, set.classes]) };
}

export async function accuracy(mlp: BinaryMlp, set: ImageSet, batchSize = 500): Promise<number> {
  let correct = 0;
  for (let start = 0; start < set.count; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, set.count - start) }, (_, i) => start + i);
    const { x, y } = flatBatch(set, indices);
    const hits = tf.tidy(() => tf.sum(tf.equal(tf.argMax(forward(mlp, x, false), 1), tf.argMax(y, 1))));
    correct += (await hits.data())[0]!;
    tf.dispose([x, y, hits]);
  }
  return correct / set.count;
}

/** Mini-batch training with softmax cross-entropy; a non-finite loss stops the run naming the step. */
export async function trainBinaryMlp(mlp: BinaryMlp, train: ImageSet, test: ImageSet, options: TrainBnnOptions): Promise<BnnTrainingResult> {
  const rng = createRng(options.seed);
  const variables = mlp.params.map((p) => p.variable);
  const recent: number[] = [];
  let stepsToTarget: number | null = null;
  let step = 0;
  let epochLoss = 0;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const order = rng.shuffle(Array.from({ length: train.count }, (_, i) => i));
    let sum = 0;
    let batches = 0;
    for (let start = 0; start + options.batchSize <= train.count; start += options.batchSize) {
      step++;
      const { x, y } = flatBatch(train, order.slice(start, start + options.batchSize));
      const stats: { mean: tf.Tensor; variance: tf.Tensor }[] = [];
      const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, forward(mlp, x, true, stats)) as tf.Scalar, variables);
      const loss = assertFiniteLoss((await value.data())[0]!, step, options.label);
      await applyGradients(mlp.params, grads);
      updateRunningStats(mlp, stats);
      tf.dispose([x, y, value, ...Object.values(grads), ...stats.flatMap((s) => [s.mean, s.variance])]);
      sum += loss;
      batches++;
      recent.push(loss);
      if (recent.length > options.lossWindow) recent.shift();
      if (stepsToTarget === null && recent.length === options.lossWindow && mean(recent) <= options.targetLoss) stepsToTarget = step;
    }
    epochLoss = sum / batches;
    options.onEpoch?.({ epoch: epoch + 1, loss: epochLoss });
  }
  return { testAccuracy: await accuracy(mlp, test), finalTrainLoss: epochLoss, stepsToTarget, steps: step };
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}
