// Training and verification of a face recogniser on an in-memory identity dataset: backbone + head,
// SGD with momentum 0.9, weight decay 5e-4 and step learning rate (the SFace card's recipe, scaled down),
// random horizontal flips. The batch loss can be replaced (lrfr adds a resolution branch and a metric).
import { loadCheckpoint, saveCheckpoint } from '../../engine/checkpoint.js';
import { assertFiniteLoss } from '../../engine/guards.js';
import { tf } from '../../engine/tf.js';
import { insightfaceVerification, rocAuc, tarAtFar, type VerificationResult } from '../../eval/index.js';
import type { FaceImageStream } from '../../data/face-stream.js';
import { createRng, type Rng } from '../../core/rng.js';
import type { Progress } from '../../core/progress.js';
import { createFaceNet, embedImages, mirrorImages, normalizeInput, type FaceNet, type FaceNetConfig } from '../../nets/face/index.js';
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
  /** Save the training state at each epoch's end in `dir` and resume from it (`key` names the run). */
  checkpoint?: { dir: string; key: string };
  progress?: Progress;
  label?: string;
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
function flipSomeInPlace(raw: Float32Array, count: number, size: number, channels: number, rng: Rng): void {
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
  o.progress?.start(o.label ?? 'train', totalSteps - step);
  if (resumed) o.progress?.log(`${o.label ?? 'train'}: resumed after epoch ${resumed.epoch} from ${o.checkpoint!.dir}`);
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
      o.progress?.tick(`loss ${value.toFixed(3)}`);
    }
    epochLosses.push(sum / stepsPerEpoch);
    if (o.checkpoint) await saveCheckpoint(o.checkpoint.dir, o.checkpoint.key, { epoch: epoch + 1, step, epochLosses, seconds: (performance.now() - t0) / 1000 }, state);
  }
  optimizer.dispose();
  return { net, head, epochLosses, steps: step, seconds: (performance.now() - t0) / 1000 };
}

/** A verification pair: indices of two images of a dataset. */
export interface ImagePair {
  a: number;
  b: number;
  same: boolean;
}

/**
 * LFW-style pairs on a labelled set: 10 folds with disjoint identities (identity mod folds), per fold
 * `perFold` same-identity then `perFold` different-identity pairs, drawn without repeats.
 */
export function makeVerificationPairs(labels: Int32Array, classes: number, perFold: number, folds: number, seed: number): ImagePair[] {
  const rng = createRng(seed);
  const byId: number[][] = Array.from({ length: classes }, () => []);
  labels.forEach((l, i) => byId[l]!.push(i));
  const pairs: ImagePair[] = [];
  for (let f = 0; f < folds; f++) {
    const ids = byId.map((_, i) => i).filter((i) => i % folds === f && byId[i]!.length > 0);
    const same: ImagePair[] = [];
    for (const i of ids) {
      const m = byId[i]!;
      for (let p = 0; p < m.length; p++) for (let q = p + 1; q < m.length; q++) same.push({ a: m[p]!, b: m[q]!, same: true });
    }
    if (same.length < perFold || ids.length < 2) throw new RangeError(`fold ${f}: not enough images for ${perFold} same and different pairs`);
    pairs.push(...rng.shuffle(same).slice(0, perFold));
    const seen = new Set<string>();
    let guard = 0;
    while (pairs.length < (f + 1) * 2 * perFold) {
      if (++guard > 1e6) throw new RangeError(`fold ${f}: cannot draw ${perFold} distinct different-identity pairs`);
      const i1 = ids[rng.int(ids.length)]!;
      const i2 = ids[rng.int(ids.length)]!;
      if (i1 === i2) continue;
      const a = byId[i1]![rng.int(byId[i1]!.length)]!;
      const b = byId[i2]![rng.int(byId[i2]!.length)]!;
      const key = a < b ? `${a},${b}` : `${b},${a}`;
      if (seen.has(key)) continue;
      seen.add(key);
      pairs.push({ a, b, same: false });
    }
  }
  return pairs;
}

/** Interleaves the rows of a (count × dim) embedding matrix by pair: rows 2p, 2p+1 = pair p. */
export function interleavePairs(embeddings: Float32Array, dim: number, pairs: ImagePair[]): Float32Array {
  const out = new Float32Array(pairs.length * 2 * dim);
  pairs.forEach((p, k) => {
    out.set(embeddings.subarray(p.a * dim, (p.a + 1) * dim), 2 * k * dim);
    out.set(embeddings.subarray(p.b * dim, (p.b + 1) * dim), (2 * k + 1) * dim);
  });
  return out;
}

export interface VerificationReport {
  /** InsightFace 10-fold accuracy (flip-summed embeddings, squared L2). */
  verification: VerificationResult;
  /** ROC AUC of the cosine similarities of the flip-summed embeddings (2 − d²)/2. */
  auc: number;
  /** TAR at FAR = 1e-2 on the same scores. */
  tarAtFar1e2: number;
}

/** Embeds a test set (and its mirror) and runs the InsightFace protocol on the pairs. */
export async function verifyOnPairs(net: FaceNet, data: FaceDataset, pairs: ImagePair[], folds = 10): Promise<VerificationReport> {
  const dim = net.config.embeddingDim;
  const emb = await embedImages(net, data.images, data.count);
  const flipped = await embedImages(net, mirrorImages(data.images, data.count, data.size, data.channels), data.count);
  const n = pairs.length * 2;
  const verification = insightfaceVerification(
    {
      embeddings: { data: interleavePairs(emb, dim, pairs), n, dim },
      flipped: { data: interleavePairs(flipped, dim, pairs), n, dim },
      issame: pairs.map((p) => p.same),
    },
    folds,
  );
  // cos = 1 − d²/2 on unit vectors: similarity for the threshold-free metrics
  const similarity = Array.from(verification.scores, (d) => 1 - d / 2);
  const issame = pairs.map((p) => p.same);
  return { verification, auc: rocAuc(similarity, issame), tarAtFar1e2: tarAtFar(similarity, issame, 1e-2).tar };
}
