// Training of the baseline and of GABN on one identity set with group labels (docs/papers/gabn.md "Total
// objective", [recon]):
//   L = L_arc(x) + λ_m · L_arc(x_mask) + CE(D(GRL_λadv(GAM(x))), group)
// The gradient-reversal layer turns the discriminator's cross-entropy into −λ_adv·CE for the network
// (the card's L_adv = −CE) while D itself minimises CE. The baseline is the same loop with λ_adv = 0 (D
// still learns on the detached maps, so its accuracy can be read, and the network never sees it) and no
// erasing. SGD with momentum 0.9, weight decay 5e-4 on weights, LR /10 at 60 % and 85 % of the steps,
// random flips (the face papers' recipe, src/methods/face/train.ts, scaled down).
import { assertFiniteLoss } from '../../engine/guards.js';
import { tf } from '../../engine/tf.js';
import { createRng } from '../../core/rng.js';
import { normalizeInput } from '../../nets/face/index.js';
import { flipSomeInPlace, type FaceTrainOptions } from '../face/train.js';
import { cosineLogits, createHead, oneHotLabels, stopGradient, type ClassificationHead } from '../heads/index.js';
import { correctCount, createGroupDiscriminator, type GroupDiscriminator } from './discriminator.js';
import { eraseCells, topNCellMask, type EraseFill } from './erase.js';
import { gradientAttentionMaps, type GamWeights } from './gam.js';
import { gradientReversal } from './grl.js';
import { createGabnNet, type FaceImageData, type GabnNet, type GabnNetConfig } from './net.js';

type Tensor1D = tf.Tensor1D;
type Tensor4D = tf.Tensor4D;
type Scalar = tf.Scalar;

/** An identity training set with a group per image (NHWC RGB in [0, 1]). */
export interface GroupedFaceSet {
  /** Floats in [0, 1] or 8-bit pixels. */
  images: FaceImageData;
  labels: Int32Array;
  groups: Int32Array;
  count: number;
  size: number;
  /** Identities; labels are 0..classes-1. */
  classes: number;
}

export interface TopNErasing {
  /** N: cells erased per image. */
  cells: number;
  /** λ_m of the extra margin-softmax term on x_mask. */
  weight: number;
  fill: EraseFill;
  /** Groups whose images are erased ('all' [recon]; the card leaves it open). */
  groups: number[] | 'all';
}

export interface GabnMethod {
  /** λ_adv of the gradient-reversal layer; 0 = the network gets no gradient from D (baseline). */
  adversarial: number;
  /** Top-N erasing, or null. */
  erase: TopNErasing | null;
}

/** The face papers' recipe (src/methods/face/train.ts) with the net, discriminator and method of GABN. */
export interface GabnTrainOptions extends Pick<
  FaceTrainOptions,
  'head' | 'epochs' | 'batchSize' | 'lr' | 'lrSteps' | 'momentum' | 'weightDecay' | 'flip' | 'seed' | 'label'
> {
  net: GabnNetConfig;
  /** Number of groups the discriminator predicts. */
  groups: number;
  discriminatorHidden: number;
  gamWeights: GamWeights;
  method: GabnMethod;
  onStep?: (step: number, totalSteps: number, loss: number) => void;
}

export interface TrainedGabn {
  net: GabnNet;
  head: ClassificationHead;
  discriminator: GroupDiscriminator;
  epochLosses: number[];
  /** Training-batch accuracy (%) of the discriminator on the GAMs, per epoch. */
  discriminatorAccuracy: number[];
  steps: number;
  seconds: number;
  dispose(): void;
}

/**
 * The training target of the GAM: cos θ_y of each image to its class proxy, through the embedding layer
 * in inference mode (running BN statistics, so that each image's target depends on its own map only) [recon].
 */
function classCosineTarget(net: GabnNet, head: ClassificationHead, labels: Int32Array): (a: Tensor4D) => Tensor1D {
  return (a) =>
    tf.sum(tf.mul(cosineLogits(net.embed(a, false), head.weight as unknown as tf.Tensor2D), oneHotLabels(labels, head.weight.shape[0]!)), 1) as Tensor1D;
}

export async function trainGabn(data: GroupedFaceSet, o: GabnTrainOptions): Promise<TrainedGabn> {
  if (data.size !== o.net.inputSize) throw new RangeError(`images are ${data.size}px, the net expects ${o.net.inputSize}px`);
  const rng = createRng(o.seed);
  const net = createGabnNet(o.net, rng.seed());
  const head = createHead(o.head, o.net.embeddingDim, data.classes, rng.seed());
  const cells = net.grid * net.grid;
  const discriminator = createGroupDiscriminator(cells, o.discriminatorHidden, o.groups, rng.seed());
  const trainable = [...net.variables, ...head.variables, ...discriminator.variables];
  const decayed = trainable.filter((v) => v.rank >= 2);
  const weightDecay = o.weightDecay ?? 5e-4;
  const optimizer = tf.train.momentum(o.lr, o.momentum ?? 0.9);
  const stepsPerEpoch = Math.floor(data.count / o.batchSize);
  if (stepsPerEpoch < 1) throw new RangeError(`batch size ${o.batchSize} exceeds the ${data.count} training images`);
  const totalSteps = stepsPerEpoch * o.epochs;
  const boundaries = (o.lrSteps ?? [0.6, 0.85]).map((f) => Math.round(f * totalSteps));
  const per = data.size * data.size * 3;
  const erase = o.method.erase;
  const erased = (g: number) => erase !== null && erase.cells > 0 && (erase.groups === 'all' || erase.groups.includes(g));
  const epochLosses: number[] = [];
  const discriminatorAccuracy: number[] = [];
  const t0 = performance.now();
  let step = 0;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    const order = rng.shuffle(Array.from({ length: data.count }, (_, i) => i));
    let sum = 0;
    let correct = 0;
    for (let b = 0; b < stepsPerEpoch; b++, step++) {
      optimizer.setLearningRate(o.lr * 0.1 ** boundaries.filter((s) => step >= s).length);
      const indices = order.slice(b * o.batchSize, (b + 1) * o.batchSize);
      const n = indices.length;
      const raw = new Float32Array(n * per);
      indices.forEach((src, k) => {
        const image = data.images.subarray(src * per, (src + 1) * per);
        if (image instanceof Float32Array) raw.set(image, k * per);
        else for (let q = 0; q < per; q++) raw[k * per + q] = image[q]! / 255;
      });
      if (o.flip ?? true) flipSomeInPlace(raw, n, data.size, 3, rng);
      const labels = Int32Array.from(indices, (i) => data.labels[i]!);
      const groups = Int32Array.from(indices, (i) => data.groups[i]!);
      const maskRows = indices.map((i, k) => (erased(data.groups[i]!) ? k : -1)).filter((k) => k >= 0);
      let hits: Scalar | null = null;
      const loss = optimizer.minimize(
        () =>
          tf.tidy(() => {
            const rawT = tf.tensor4d(raw, [n, data.size, data.size, 3]);
            const a = net.features(normalizeInput(rawT), true);
            let total = head.loss(net.embed(a, true), labels);
            const maps = gradientAttentionMaps(a, classCosineTarget(net, head, labels), net.grid, o.gamWeights);
            const flat = tf.reshape(maps, [n, cells]) as tf.Tensor2D;
            const dIn = o.method.adversarial > 0 ? gradientReversal(flat, o.method.adversarial) : stopGradient(flat);
            const dLogits = discriminator.logits(dIn);
            hits = tf.keep(correctCount(dLogits, groups));
            total = tf.add(total, discriminator.loss(dIn, groups)) as Scalar;
            if (erase && maskRows.length > 0) {
              const rows = tf.tensor1d(Int32Array.from(maskRows), 'int32');
              const mask = topNCellMask(stopGradient(tf.gather(maps, rows)) as tf.Tensor3D, erase.cells);
              const xMask = eraseCells(tf.gather(rawT, rows) as Tensor4D, mask, erase.fill);
              const maskLabels = Int32Array.from(maskRows, (k) => labels[k]!);
              const maskLoss = head.loss(net.embed(net.features(normalizeInput(xMask), true), true), maskLabels);
              total = tf.add(total, tf.mul(maskLoss, erase.weight)) as Scalar;
            }
            if (weightDecay === 0) return total;
            return tf.add(total, tf.mul(tf.addN(decayed.map((v) => tf.sum(tf.square(v)))), weightDecay / 2)) as Scalar;
          }),
        true,
        trainable,
      )!;
      const value = assertFiniteLoss((await loss.data())[0]!, step, o.label);
      loss.dispose();
      const h = hits as Scalar | null;
      if (h) {
        correct += (await h.data())[0]!;
        h.dispose();
      }
      sum += value;
      o.onStep?.(step + 1, totalSteps, value);
    }
    epochLosses.push(sum / stepsPerEpoch);
    discriminatorAccuracy.push((100 * correct) / (stepsPerEpoch * o.batchSize));
  }
  optimizer.dispose();
  return {
    net,
    head,
    discriminator,
    epochLosses,
    discriminatorAccuracy,
    steps: totalSteps,
    seconds: (performance.now() - t0) / 1000,
    dispose() {
      net.dispose();
      head.dispose();
      discriminator.dispose();
    },
  };
}
