// Training of a face recogniser, shared by sface and lrfr, on an in-memory identity dataset or a stream:
// backbone + head, SGD with momentum 0.9, weight decay 5e-4 and step learning rate (docs/papers/sface.md
// "Training recipe", scaled down), random horizontal flips. The batch loss can be replaced (lrfr adds a
// resolution branch and a metric).
import { loadCheckpoint, saveCheckpoint, type CheckpointFaults } from '../../engine/checkpoint.js';
import { assertFiniteLoss } from '../../engine/guards.js';
import { tf } from '../../engine/tf.js';
import type { FaceImageStream } from '../../data/face-stream.js';
import { createRng, type Rng } from '../../core/rng.js';
import { createFaceNet, mirrorImages, normalizeInput, type FaceNet, type FaceNetConfig } from '../../nets/face/index.js';
import { createHead, type ClassificationHead, type HeadConfig } from '../heads/index.js';

/** Aligned square face images with identity labels (NHWC, values in [0, 1]). */
export interface FaceDataset {
  images: Float32Array;
  labels: Int32Array;
  count: number;
  size: number;
  channels: number;
  /** Number of identities; labels are 0..classes-1. */
  classes: number;
}

export interface BatchContext {
  net: FaceNet;
  head: ClassificationHead;
  /** The batch's raw images (after flip augmentation), NHWC in [0, 1]. */
  raw: Float32Array;
  /** The same, normalised, as a tensor. */
  x: tf.Tensor4D;
  labels: Int32Array;
  rng: Rng;
}

export interface FaceTrainOptions {
  net: FaceNetConfig;
  head: HeadConfig;
  epochs: number;
  batchSize: number;
  /** Initial learning rate (0.1 in the card), divided by 10 at each fraction of the run in lrSteps. */
  lr: number;
  lrSteps?: number[];
  momentum?: number;
  /** L2 weight decay on conv/FC/proxy weights (not BN, not PReLU), 5e-4 in the card. */
  weightDecay?: number;
  /** Random horizontal flip of training images (the card's only augmentation). */
  flip?: boolean;
  seed: number;
  /** The loss of one batch; default head.loss(net.forward(x)). */
  batchLoss?: (ctx: BatchContext) => tf.Scalar;
  /** Save the training state at each epoch's end in `dir` and resume from it (`key` names the run; `faults`: tests crash saves). */
  checkpoint?: { dir: string; key: string; faults?: CheckpointFaults };
  /** Names the run in a non-finite-loss error. */
  label?: string;
  /** Called once before the first step: where the run starts (after a resumed checkpoint, not at 0). */
  onStart?: (start: FaceRunStart) => void;
  /** Called after every step: paper-scale epochs last hours, so a caller may show progress per step. */
  onStep?: (record: FaceStepRecord) => void;
  /** Called once per finished epoch, after its checkpoint is saved. */
  onEpoch?: (record: FaceEpochRecord) => void;
}

/** Where a run starts: `step` steps of `totalSteps` are done (0 unless resumed after `resumedEpoch`). */
export interface FaceRunStart {
  totalSteps: number;
  step: number;
  resumedEpoch: number | null;
}

export interface FaceStepRecord {
  /** 1-based: the epoch this step belongs to. */
  epoch: number;
  /** 1-based: steps done, this one included. */
  step: number;
  totalSteps: number;
  loss: number;
}

export interface FaceEpochRecord {
  /** 1-based. */
  epoch: number;
  /** Mean loss of the epoch's steps. */
  loss: number;
  /** Steps done, this epoch's included. */
  step: number;
  totalSteps: number;
}

export interface TrainedFaceModel {
  net: FaceNet;
  head: ClassificationHead;
  /** Mean loss of each epoch. */
  epochLosses: number[];
  steps: number;
  seconds: number;
}

/** The images of a batch: copied from memory, or read from a stream (e.g. a RecordIO file). */
function batchReader(data: FaceDataset | FaceImageStream): (indices: number[]) => Promise<Float32Array> {
  if ('read' in data) return (indices) => data.read(indices);
  const per = data.size * data.size * data.channels;
  return async (indices) => {
    const out = new Float32Array(indices.length * per);
    indices.forEach((src, k) => out.set(data.images.subarray(src * per, (src + 1) * per), k * per));
    return out;
  };
}

/** Random horizontal flips in place, one coin per image (the card's only augmentation). */
export function flipSomeInPlace(raw: Float32Array, count: number, size: number, channels: number, rng: Rng): void {
  const per = size * size * channels;
  for (let k = 0; k < count; k++) {
    if (rng.next() < 0.5) raw.set(mirrorImages(raw.subarray(k * per, (k + 1) * per), 1, size, channels), k * per);
  }
}

/**
 * Trains backbone + head on an in-memory set or a stream. With a stream, the next batch is read
 * while the current step runs.
 */
export async function trainFaceRecognizer(data: FaceDataset | FaceImageStream, o: FaceTrainOptions): Promise<TrainedFaceModel> {
  if (data.size !== o.net.inputSize) throw new RangeError(`dataset images are ${data.size}px, the net expects ${o.net.inputSize}px`);
  const rng = createRng(o.seed);
  const net = createFaceNet(o.net, rng.seed());
  const head = createHead(o.head, o.net.embeddingDim, data.classes, rng.seed());
  const trainable = [...net.variables, ...head.variables];
  const decayed = trainable.filter((v) => v.rank >= 2);
  const weightDecay = o.weightDecay ?? 5e-4;
  const optimizer = tf.train.momentum(o.lr, o.momentum ?? 0.9);
  const stepsPerEpoch = Math.floor(data.count / o.batchSize);
  if (stepsPerEpoch < 1) throw new RangeError(`batch size ${o.batchSize} exceeds the ${data.count} training images`);
  const totalSteps = stepsPerEpoch * o.epochs;
  const boundaries = (o.lrSteps ?? [0.6, 0.85]).map((f) => Math.round(f * totalSteps));
  const batchLoss = o.batchLoss ?? ((c: BatchContext) => c.head.loss(c.net.forward(c.x, true), c.labels));
  const read = batchReader(data);
  const state = { variables: [...trainable, ...net.state], optimizer, rngs: [rng, net.rng] };
  const resumed = o.checkpoint ? await loadCheckpoint(o.checkpoint.dir, o.checkpoint.key, state) : null;
  const epochLosses: number[] = resumed?.epochLosses ?? [];
  const t0 = performance.now() - 1000 * (resumed?.seconds ?? 0);
  let step = resumed?.step ?? 0;
  o.onStart?.({ totalSteps, step, resumedEpoch: resumed ? resumed.epoch : null });
  for (let epoch = resumed?.epoch ?? 0; epoch < o.epochs; epoch++) {
    const order = rng.shuffle(Array.from({ length: data.count }, (_, i) => i));
    const batchIndices = (b: number) => order.slice(b * o.batchSize, (b + 1) * o.batchSize);
    let next = read(batchIndices(0));
    let sum = 0;
    for (let b = 0; b < stepsPerEpoch; b++, step++) {
      const lr = o.lr * 0.1 ** boundaries.filter((s) => step >= s).length;
      optimizer.setLearningRate(lr);
      const indices = batchIndices(b);
      const raw = await next;
      if (b + 1 < stepsPerEpoch) next = read(batchIndices(b + 1));
      if (o.flip ?? true) flipSomeInPlace(raw, indices.length, data.size, data.channels, rng);
      const labels = Int32Array.from(indices, (i) => data.labels[i]!);
      const loss = optimizer.minimize(
        () =>
          tf.tidy(() => {
            const x = normalizeInput(tf.tensor4d(raw, [indices.length, data.size, data.size, data.channels]));
            const task = batchLoss({ net, head, raw, x, labels, rng });
            if (weightDecay === 0) return task;
            const l2 = tf.addN(decayed.map((v) => tf.sum(tf.square(v))));
            return tf.add(task, tf.mul(l2, weightDecay / 2)) as tf.Scalar;
          }),
        true,
        trainable,
      )!;
      const value = assertFiniteLoss((await loss.data())[0]!, step, o.label);
      loss.dispose();
      sum += value;
      o.onStep?.({ epoch: epoch + 1, step: step + 1, totalSteps, loss: value });
    }
    epochLosses.push(sum / stepsPerEpoch);
    if (o.checkpoint)
      await saveCheckpoint(
        o.checkpoint.dir,
        o.checkpoint.key,
        { epoch: epoch + 1, step, epochLosses, seconds: (performance.now() - t0) / 1000 },
        state,
        o.checkpoint.faults,
      );
    o.onEpoch?.({ epoch: epoch + 1, loss: epochLosses.at(-1)!, step, totalSteps });
  }
  optimizer.dispose();
  return { net, head, epochLosses, steps: step, seconds: (performance.now() - t0) / 1000 };
}
