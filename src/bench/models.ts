// The two reference models of docs/DESIGN.md "Engine facts", written with plain tfjs ops so that the same
// architecture can be written line for line in PyTorch (benchmarks/peers/engine_peer.py):
//   small: 4 convolutions at 32x32x3, batch 64;  large: 8 convolutions at 112x112x3, batch 32.
// Each conv is 3x3 'same' + bias + ReLU; a residual add joins equal-shaped pairs; then global average
// pooling and a dense softmax classifier trained with SGD (momentum 0.9) on cross-entropy.
import { tf } from '../engine/tf.js';
import { createRng } from '../core/rng.js';

type Tensor4D = ReturnType<typeof tf.tensor4d>;
type Variable = ReturnType<typeof tf.variable>;

export interface BenchConvSpec {
  /** Output channels. */
  filters: number;
  stride: 1 | 2;
  /** Adds the block's input to its output (only when shapes agree). */
  residual: boolean;
}

export interface BenchModelSpec {
  name: 'small' | 'large';
  inputSize: number;
  batch: number;
  classes: number;
  convs: BenchConvSpec[];
}

export const BENCH_MODELS: Record<'small' | 'large', BenchModelSpec> = {
  small: {
    name: 'small',
    inputSize: 32,
    batch: 64,
    classes: 10,
    convs: [
      { filters: 32, stride: 1, residual: false },
      { filters: 32, stride: 1, residual: true },
      { filters: 64, stride: 2, residual: false },
      { filters: 64, stride: 1, residual: true },
    ],
  },
  large: {
    name: 'large',
    inputSize: 112,
    batch: 32,
    classes: 10,
    convs: [
      { filters: 32, stride: 2, residual: false },
      { filters: 32, stride: 1, residual: true },
      { filters: 64, stride: 2, residual: false },
      { filters: 64, stride: 1, residual: true },
      { filters: 128, stride: 2, residual: false },
      { filters: 128, stride: 1, residual: true },
      { filters: 256, stride: 2, residual: false },
      { filters: 256, stride: 1, residual: true },
    ],
  },
};

export interface BenchModel {
  spec: BenchModelSpec;
  variables: Variable[];
  /** Logits for a batch (N, H, W, 3). */
  forward(x: Tensor4D): ReturnType<typeof tf.tensor2d>;
}

/** He-normal weights from a seed (rng.ts), zero biases. */
export function buildBenchModel(spec: BenchModelSpec, seed: number): BenchModel {
  const rng = createRng(seed);
  const normal = (shape: number[], std: number) => {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    for (let i = 0; i < size; i++) values[i] = rng.normal() * std;
    return tf.variable(tf.tensor(values, shape));
  };
  const weights: Variable[] = [];
  const biases: Variable[] = [];
  let channels = 3;
  for (const conv of spec.convs) {
    weights.push(normal([3, 3, channels, conv.filters], Math.sqrt(2 / (9 * channels))));
    biases.push(tf.variable(tf.zeros([conv.filters])));
    channels = conv.filters;
  }
  const dense = normal([channels, spec.classes], Math.sqrt(1 / channels));
  const denseBias = tf.variable(tf.zeros([spec.classes]));
  return {
    spec,
    variables: [...weights, ...biases, dense, denseBias],
    forward(x) {
      let h: Tensor4D = x;
      spec.convs.forEach((conv, i) => {
        const y = tf.fused.conv2d({ x: h, filter: weights[i] as never, bias: biases[i], strides: conv.stride, pad: 'same', activation: 'relu' });
        h = conv.residual ? tf.add(y, h) : y;
      });
      const pooled = tf.mean(h, [1, 2]) as ReturnType<typeof tf.tensor2d>;
      return tf.add(tf.matMul(pooled, dense as never), denseBias);
    },
  };
}

/** A fixed synthetic batch (inputs normal(0,1), labels uniform) for throughput runs. */
export function benchBatch(spec: BenchModelSpec, seed: number): { x: Tensor4D; y: ReturnType<typeof tf.tensor2d> } {
  const rng = createRng(seed);
  const size = spec.batch * spec.inputSize * spec.inputSize * 3;
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = rng.normal();
  const labels = Array.from({ length: spec.batch }, () => rng.int(spec.classes));
  return {
    x: tf.tensor4d(values, [spec.batch, spec.inputSize, spec.inputSize, 3]),
    y: tf.oneHot(tf.tensor1d(labels, 'int32'), spec.classes).toFloat() as ReturnType<typeof tf.tensor2d>,
  };
}

/** One SGD step; returns the loss before the update (read asynchronously: webgpu has no sync read in Node). */
export async function trainStep(
  model: BenchModel,
  optimizer: ReturnType<typeof tf.train.momentum>,
  batch: { x: Tensor4D; y: ReturnType<typeof tf.tensor2d> },
): Promise<number> {
  const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(batch.y, model.forward(batch.x)) as never, true, model.variables);
  const value = (await loss!.data())[0]!;
  loss!.dispose();
  return value;
}
