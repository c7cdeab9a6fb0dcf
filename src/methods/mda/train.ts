// Training loops of Standard CE, Co-teaching, JoCoR and MDA (docs/papers/mda.md
// "Algorithm as the official code runs it" and "Baselines"). One call trains one method on one noisy training set and records
// test accuracy and the label precision of the selection after every epoch.
import { tf } from '../../engine/tf.js';
import type { ImageSet } from '../../data/mnist.js';
import { createRng, type Rng } from '../../core/rng.js';
import { TorchAdam } from './adam.js';
import { hflipImages } from './flip.js';
import { crossEntropy, jointLoss, logits as asLogits, mdaLoss } from './losses.js';
import { buildNet, type Net, type MdaNetSpec, type TrainPass } from './nets.js';
import { adamPlan, forgetRateSchedule } from './schedule.js';
import { labelPrecision, selectSmallLoss } from './selection.js';

export const MDA_METHODS = ['standard', 'coteaching', 'jocor', 'mda'] as const;
export type MethodId = (typeof MDA_METHODS)[number];

/** Images NHWC in [0,1] with labels. */
export type LabelledImages = ImageSet;

export interface NoisyTrainingData {
  /** Training images; `train.labels` are the true labels (used only to measure label precision). */
  train: LabelledImages;
  /** The noisy labels the methods train on. */
  noisyLabels: Int32Array;
  /** 1 where the noisy label is the true one (`noise_or_not`). */
  clean: Uint8Array;
  test: LabelledImages;
}

export interface MethodConfig {
  method: MethodId;
  net: MdaNetSpec;
  /** Schedule length n_epoch; epochs 1..n_epoch−1 are trained, as `for epoch in range(1, n_epoch)`. */
  nEpoch: number;
  batchSize: number;
  lr: number;
  /** First epoch of the linear lr decay (and of the beta1 switch). */
  decayStart: number;
  /** τ: the final forget rate. */
  forgetRate: number;
  /** Tk: epochs of the linear forget-rate ramp. */
  numGradual: number;
  exponent: number;
  /** λ: JoCoR's co-regularisation weight in training; in MDA only in the selection score. */
  coLambda: number;
  /** MDA: the selection is recomputed while epoch < freezeEpoch, then frozen (100 in the code). */
  freezeEpoch: number;
  /** beta1 from decayStart on: 0.1 in Co-teaching/JoCoR (and here Standard), 0.9 in MDA (`mom2 = 0.9`). */
  beta1AfterDecay?: number;
  /** Seed of weights and batch order. */
  seed: number;
  /** MDA: score the selection on horizontally flipped images (the method; default) or, as an ablation
   *  that is not in the official code, on the original images. */
  flipSelection?: boolean;
  /** MDA diagnostic: also select on the original images and record that selection's label precision. */
  scoreOriginals?: boolean;
  evalBatchSize?: number;
}

export interface EpochRecord {
  epoch: number;
  /** Test accuracy (%) by the method's own rule: Standard net 1; Co-teaching and JoCoR the mean of both
   *  networks (JoCoR's main.py); MDA the logit-sum ensemble (MDA's evaluate). */
  testAcc: number;
  testAccNet1: number;
  /** NaN for Standard (one network). */
  testAccNet2: number;
  /** Accuracy (%) of argmax(z1 + z2); equals net 1 for Standard. */
  testAccEnsemble: number;
  /** Label precision (%) of the samples the update used this epoch (mean over batches for per-batch selection). */
  labelPrecision: number;
  /** MDA with scoreOriginals: label precision (%) of the same-size selection scored on original images. */
  labelPrecisionOriginal?: number;
  /** Samples selected this epoch (MDA: the size of the global set). */
  selected: number;
  trainLoss: number;
}

export function defaultBeta1AfterDecay(method: MethodId): number {
  return method === 'mda' ? 0.9 : 0.1;
}

/** Copies the samples at `indices` into an NHWC tensor (optionally flipped) and a label tensor. */
function batchTensors(set: LabelledImages, labels: Int32Array, indices: ArrayLike<number>, flip: boolean): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const size = set.height * set.width * set.channels;
  let pixels: Float32Array = new Float32Array(indices.length * size);
  const ys = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i]!;
    pixels.set(set.images.subarray(j * size, (j + 1) * size), i * size);
    ys[i] = labels[j]!;
  }
  if (flip) pixels = hflipImages(pixels, indices.length, set.height, set.width, set.channels);
  return {
    x: tf.tensor4d(pixels, [indices.length, set.height, set.width, set.channels]),
    y: tf.tensor1d(ys, 'int32'),
  };
}

function range(start: number, end: number): number[] {
  return Array.from({ length: end - start }, (_, i) => start + i);
}

/** Accuracy (%) of net 1, net 2 and the logit-sum ensemble on the whole test set (no drop_last). */
export async function evaluate(nets: Net[], test: LabelledImages, batchSize = 1000): Promise<{ net1: number; net2: number; ensemble: number }> {
  const correct = [0, 0, 0];
  for (let start = 0; start < test.count; start += batchSize) {
    const idx = range(start, Math.min(test.count, start + batchSize));
    const { x, y } = batchTensors(test, test.labels, idx, false);
    const predTensors = tf.tidy(() => {
      const logits = nets.map((n) => n.apply(x, false));
      const sum = logits.length > 1 ? tf.add(logits[0]!, logits[1]!) : logits[0]!;
      return [...logits, sum].map((l) => tf.argMax(l, 1));
    });
    const preds = await Promise.all(predTensors.map((p) => p.data()));
    tf.dispose(predTensors);
    const truth = await y.data();
    const outputs = nets.length > 1 ? preds : [preds[0]!, preds[0]!, preds[1]!];
    outputs.forEach((p, k) => {
      for (let i = 0; i < truth.length; i++) if (p[i] === truth[i]) correct[k]!++;
    });
    x.dispose();
    y.dispose();
  }
  const pct = (c: number) => (100 * c) / test.count;
  return { net1: pct(correct[0]!), net2: nets.length > 1 ? pct(correct[1]!) : Number.NaN, ensemble: pct(correct[2]!) };
}

/**
 * MDA's global selection score: the joint loss ℓ_sel of every training sample, both networks in eval
 * mode, on the flipped (or, for the diagnostic, original) images. Every sample is scored: the code's
 * drop_last leaves 336 CIFAR samples at loss 0 each epoch (docs/papers/mda.md "Quirks" 1); that artefact is not kept.
 */
export async function scoreTrainingSet(nets: [Net, Net], data: NoisyTrainingData, coLambda: number, flip: boolean, batchSize = 1000): Promise<Float32Array> {
  const scores = new Float32Array(data.train.count);
  for (let start = 0; start < data.train.count; start += batchSize) {
    const idx = range(start, Math.min(data.train.count, start + batchSize));
    const { x, y } = batchTensors(data.train, data.noisyLabels, idx, flip);
    const logits = nets.map((net) => net.apply(x, false));
    const [z1, z2] = await Promise.all(logits.map((z) => z.data()));
    tf.dispose(logits);
    const labels = data.noisyLabels.subarray(start, start + idx.length);
    const classes = data.train.classes;
    scores.set(jointLoss(asLogits(z1!, idx.length, classes), asLogits(z2!, idx.length, classes), labels, coLambda).loss, start);
    x.dispose();
    y.dispose();
  }
  return scores;
}

interface StepResult {
  loss: number;
  /** Label precision (fraction) of this batch's selection, or null when the method selects nothing here. */
  precision: number | null;
  selected: number;
}

/** Per-network logit gradients of one batch, row-major [B × K]. */
type LogitGrads = ArrayLike<number>[];

/**
 * One optimiser step: training forward of every network, `lossFn` computes the loss and its logit
 * gradients from the logits (plain JS), the networks backpropagate them, then Adam.
 */
async function optimiserStep(
  nets: Net[],
  optimizer: TorchAdam,
  x: tf.Tensor4D,
  classes: number,
  lossFn: (z: ReturnType<typeof asLogits>[]) => { loss: number; grads: LogitGrads },
): Promise<number> {
  const passes: TrainPass[] = [];
  try {
    for (const net of nets) passes.push(await net.trainForward(x));
    const batch = x.shape[0];
    const { loss, grads } = lossFn(passes.map((p) => asLogits(p.logits, batch, classes)));
    const paramGrads = passes.flatMap((p, k) => p.backward(grads[k]!));
    optimizer.apply(paramGrads);
    tf.dispose(paramGrads);
    for (const n of nets) n.commitBatchStats();
    return loss;
  } finally {
    for (const p of passes) p.dispose();
  }
}

/** Trains one method and returns one record per trained epoch (1..nEpoch−1). */
export async function trainMethod(data: NoisyTrainingData, config: MethodConfig, onEpoch?: (record: EpochRecord) => void): Promise<EpochRecord[]> {
  const rng: Rng = createRng(config.seed);
  const input = { height: data.train.height, width: data.train.width, channels: data.train.channels };
  const netCount = config.method === 'standard' ? 1 : 2;
  const nets: Net[] = Array.from({ length: netCount }, () => buildNet(config.net, input, data.train.classes, createRng(rng.seed())));
  // Co-teaching has one Adam per network; Adam is per-parameter and both share hyper-parameters and step
  // counts, so one optimiser over both parameter lists performs the identical update.
  const optimizer = new TorchAdam(
    nets.flatMap((n) => n.params),
    { lr: config.lr },
  );
  const plan = adamPlan(config.nEpoch, config.lr, config.decayStart, config.beta1AfterDecay ?? defaultBeta1AfterDecay(config.method));
  const rates = forgetRateSchedule(config.nEpoch, config.forgetRate, config.numGradual, config.exponent);
  const orderRng = createRng(rng.seed());
  const n = data.train.count;
  const batchesPerEpoch = Math.max(1, Math.floor(n / config.batchSize)); // drop_last=True
  const records: EpochRecord[] = [];
  let mdaSelected: Uint8Array | null = null;
  let mdaPrecision = Number.NaN;
  let mdaPrecisionOriginal: number | undefined;
  let mdaCount = 0;

  try {
    for (let epoch = 1; epoch < config.nEpoch; epoch++) {
      const forgetRate = rates[epoch]!;
      if (config.method === 'mda' && epoch < config.freezeEpoch) {
        // Global selection on flipped images at the start of the epoch; frozen from freezeEpoch on.
        const scores = await scoreTrainingSet(nets as [Net, Net], data, config.coLambda, config.flipSelection ?? true, config.evalBatchSize);
        const update = selectSmallLoss(scores, forgetRate);
        mdaSelected = new Uint8Array(n);
        for (const i of update) mdaSelected[i] = 1;
        mdaCount = update.length;
        mdaPrecision = 100 * labelPrecision(update, data.clean);
        if (config.scoreOriginals) {
          const original = selectSmallLoss(await scoreTrainingSet(nets as [Net, Net], data, config.coLambda, false, config.evalBatchSize), forgetRate);
          mdaPrecisionOriginal = 100 * labelPrecision(original, data.clean);
        }
      }
      optimizer.lr = plan.lr[epoch]!;
      optimizer.beta1 = plan.beta1[epoch]!;
      const order = orderRng.shuffle(range(0, n));
      let lossSum = 0;
      let precisionSum = 0;
      let precisionCount = 0;
      let selectedSum = 0;
      for (let b = 0; b < batchesPerEpoch; b++) {
        const idx = order.slice(b * config.batchSize, Math.min(n, (b + 1) * config.batchSize));
        const { x, y } = batchTensors(data.train, data.noisyLabels, idx, false);
        const labels = Int32Array.from(idx, (i) => data.noisyLabels[i]!);
        y.dispose();
        const step = await trainStep(config, nets, optimizer, x, labels, idx, data.clean, forgetRate, mdaSelected, data.train.classes);
        x.dispose();
        lossSum += step.loss;
        selectedSum += step.selected;
        if (step.precision !== null) {
          precisionSum += step.precision;
          precisionCount++;
        }
      }
      const acc = await evaluate(nets, data.test, config.evalBatchSize);
      const record: EpochRecord = {
        epoch,
        testAcc: config.method === 'standard' ? acc.net1 : config.method === 'mda' ? acc.ensemble : (acc.net1 + acc.net2) / 2,
        testAccNet1: acc.net1,
        testAccNet2: acc.net2,
        testAccEnsemble: acc.ensemble,
        labelPrecision: config.method === 'mda' ? mdaPrecision : (100 * precisionSum) / Math.max(1, precisionCount),
        selected: config.method === 'mda' ? mdaCount : selectedSum,
        trainLoss: lossSum / batchesPerEpoch,
      };
      if (config.method === 'mda' && config.scoreOriginals) record.labelPrecisionOriginal = mdaPrecisionOriginal;
      records.push(record);
      onEpoch?.(record);
    }
  } finally {
    optimizer.dispose();
    for (const net of nets) net.dispose();
  }
  return records;
}

async function trainStep(
  config: MethodConfig,
  nets: Net[],
  optimizer: TorchAdam,
  x: tf.Tensor4D,
  labels: Int32Array,
  idx: number[],
  clean: Uint8Array,
  forgetRate: number,
  mdaSelected: Uint8Array | null,
  classes: number,
): Promise<StepResult> {
  const datasetIndices = (positions: number[]) => positions.map((p) => idx[p]!);
  const batch = idx.length;
  switch (config.method) {
    case 'standard': {
      // Plain CE on every sample; its "selection" is the whole batch.
      const loss = await optimiserStep(nets, optimizer, x, classes, ([z1]) => {
        const ce = crossEntropy(z1!, labels);
        return { loss: mean(ce.loss), grads: [scale(ce.grad, 1 / batch)] };
      });
      return { loss, precision: labelPrecision(idx, clean), selected: batch };
    }
    case 'coteaching': {
      // loss_coteaching: each network ranks the batch by its own CE and keeps its small-loss samples;
      // network 1 is updated on network 2's selection and vice versa.
      let precision = 0;
      let selected = 0;
      const loss = await optimiserStep(nets, optimizer, x, classes, ([z1, z2]) => {
        const ce1 = crossEntropy(z1!, labels);
        const ce2 = crossEntropy(z2!, labels);
        const keep1 = selectSmallLoss(ce1.loss, forgetRate);
        const keep2 = selectSmallLoss(ce2.loss, forgetRate);
        precision = (labelPrecision(datasetIndices(keep1), clean) + labelPrecision(datasetIndices(keep2), clean)) / 2;
        selected = keep1.length;
        // Code quirk kept: F.cross_entropy already averages over the kept samples and the code divides
        // by num_remember again. With Adam a constant loss scale changes almost nothing (only vs eps).
        const m = keep1.length;
        const part = (ce: typeof ce1, keep: number[]) => {
          const grad = new Float64Array(ce.grad.length);
          let value = 0;
          for (const i of keep) {
            value += ce.loss[i]! / keep.length / m;
            for (let k = 0; k < classes; k++) grad[i * classes + k] = ce.grad[i * classes + k]! / keep.length / m;
          }
          return { value, grad };
        };
        const l1 = part(ce1, keep2);
        const l2 = part(ce2, keep1);
        return { loss: l1.value + l2.value, grads: [l1.grad, l2.grad] };
      });
      return { loss, precision, selected };
    }
    case 'jocor': {
      // loss_jocor: joint loss per sample, keep the small-loss ones, mean over them; one joint optimiser.
      let precision = 0;
      let selected = 0;
      const loss = await optimiserStep(nets, optimizer, x, classes, ([z1, z2]) => {
        const joint = jointLoss(z1!, z2!, labels, config.coLambda);
        const keep = selectSmallLoss(joint.loss, forgetRate);
        precision = labelPrecision(datasetIndices(keep), clean);
        selected = keep.length;
        const g1 = new Float64Array(joint.grad1.length);
        const g2 = new Float64Array(joint.grad2.length);
        let value = 0;
        for (const i of keep) {
          value += joint.loss[i]! / keep.length;
          for (let k = 0; k < classes; k++) {
            g1[i * classes + k] = joint.grad1[i * classes + k]! / keep.length;
            g2[i * classes + k] = joint.grad2[i * classes + k]! / keep.length;
          }
        }
        return { loss: value, grads: [g1, g2] };
      });
      return { loss, precision, selected };
    }
    case 'mda': {
      // CE on the globally selected samples of the batch + the mean-point MSE on every sample.
      const mask = new Uint8Array(batch);
      let selected = 0;
      idx.forEach((i, k) => {
        if (mdaSelected?.[i]) {
          mask[k] = 1;
          selected++;
        }
      });
      const loss = await optimiserStep(nets, optimizer, x, classes, ([z1, z2]) => {
        const l = mdaLoss(z1!, z2!, labels, mask);
        return { loss: l.value, grads: [l.grad1, l.grad2] };
      });
      return { loss, precision: null, selected };
    }
  }
}

function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return values.length ? sum / values.length : Number.NaN;
}

function scale(values: Float64Array, factor: number): Float64Array {
  return values.map((v) => v * factor);
}
