// LRFR training variants on the shared face trainer (docs/papers/lrfr.md "Framework" [recon]):
//   none:        L = L_arc(f(x_hr), y)
//   mra:         L = L_arc(f(MRA(x)), y)                     (MRA as a plain augmentation)
//   mra+metric:  L = ½[L_arc(f(x_hr), y) + L_arc(f(x_lr), y)] + λ·D(n(f(x_lr)), sg(n(f(x_hr)))),  x_lr = MRA(x)
// exactly the card's framework formula: n = L2 normalisation (whether the paper normalises is UNKNOWN),
// the HR embedding of the same network as a stop-gradient target (self-distillation; UNKNOWN vs a
// frozen copy). HR and LR images go through the network as one batch of 2N, so batch norm sees both.
import { tf } from '../../engine/tf.js';
import { insightfaceVerification, rocAuc, rocCurve, type TarAtFar, type VerificationResult } from '../../eval/index.js';
import { stopGradient } from '../heads/index.js';
import { trainFaceRecognizer, type BatchContext, type FaceDataset, type FaceTrainOptions, type ImagePair, type TrainedFaceModel } from '../face/index.js';
import { embedImages, mirrorImages, normalizeInput, type FaceNet } from '../../nets/face/index.js';
import { applyMra, degradeTo, DEFAULT_MRA, type MraOptions } from './mra.js';
import { metricLoss, type MetricKind, type MetricOptions } from './metric.js';

export type LrfrVariant =
  | { kind: 'none' }
  | { kind: 'mra'; mra: MraOptions }
  | { kind: 'mra+metric'; mra: MraOptions; metric: MetricKind; lambda: number; metricOptions?: MetricOptions };

export function lrfrBatchLoss(variant: LrfrVariant, size: number, channels: number): FaceTrainOptions['batchLoss'] {
  if (variant.kind === 'none') return undefined;
  return (c: BatchContext) => {
    const n = c.labels.length;
    const lr = applyMra(c.raw, n, size, channels, variant.mra, c.rng).images;
    const xLr = normalizeInput(tf.tensor4d(lr, [n, size, size, channels]));
    if (variant.kind === 'mra') return c.head.loss(c.net.forward(xLr, true), c.labels);
    const both = c.net.forward(tf.concat([c.x, xLr], 0) as tf.Tensor4D, true);
    const embHr = tf.slice(both, [0, 0], [n, -1]) as tf.Tensor2D;
    const embLr = tf.slice(both, [n, 0], [n, -1]) as tf.Tensor2D;
    const labels2 = new Int32Array(2 * n);
    labels2.set(c.labels);
    labels2.set(c.labels, n);
    // The mean over the 2N rows, (L_arc(hr) + L_arc(lr)) / 2 [recon]: the card writes the sum, but the
    // mean keeps the classification loss, hence the effective step size, equal to the other variants'
    // (the sum doubles it), so the comparison isolates augmentation + metric. Measured once with the
    // sum before this choice: lower accuracy at every resolution (benchmarks/face/measured.md).
    const arcBoth = c.head.loss(both, labels2);
    const metric = metricLoss(variant.metric, l2Normalize(embLr), stopGradient(l2Normalize(embHr)), variant.metricOptions);
    return tf.add(arcBoth, tf.mul(metric, variant.lambda)) as tf.Scalar;
  };
}

/** x / ‖x‖ per row (the card's n). */
function l2Normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.div(x, tf.norm(x, 'euclidean', 1, true)) as tf.Tensor2D;
}

export function trainLrfr(data: FaceDataset, options: Omit<FaceTrainOptions, 'batchLoss'>, variant: LrfrVariant): Promise<TrainedFaceModel> {
  return trainFaceRecognizer(data, { ...options, batchLoss: lrfrBatchLoss(variant, data.size, data.channels) });
}

/** Every image of a set down-sampled to r×r and back (area down, bicubic up, as the test protocol). */
export function degradeSet(data: FaceDataset, r: number): Float32Array {
  const per = data.size * data.size * data.channels;
  const out = new Float32Array(data.images.length);
  for (let n = 0; n < data.count; n++)
    out.set(degradeTo(data.images.subarray(n * per, (n + 1) * per), data.size, data.channels, r, 'area', 'bicubic'), n * per);
  return out;
}

export interface CrossResolutionResult {
  r: number;
  verification: VerificationResult;
  auc: number;
  /** The ROC of the same cosine similarities at ROC_FARS. */
  roc: TarAtFar[];
}

/**
 * Cross-resolution verification: the first image of each pair at HR, the second down-sampled to r
 * (r ≥ the image size = HR), InsightFace 10-fold protocol on flip-summed embeddings.
 */
export async function crossResolutionVerification(
  net: FaceNet,
  data: FaceDataset,
  pairs: ImagePair[],
  resolutions: number[],
): Promise<CrossResolutionResult[]> {
  const dim = net.config.embeddingDim;
  const embed = async (images: Float32Array) => {
    const e = await embedImages(net, images, data.count);
    const f = await embedImages(net, mirrorImages(images, data.count, data.size, data.channels), data.count);
    return { e, f };
  };
  const hr = await embed(data.images);
  const results: CrossResolutionResult[] = [];
  for (const r of resolutions) {
    const lr = r >= data.size ? hr : await embed(degradeSet(data, r));
    const rows = new Float32Array(pairs.length * 2 * dim);
    const flipped = new Float32Array(pairs.length * 2 * dim);
    pairs.forEach((p, k) => {
      rows.set(hr.e.subarray(p.a * dim, (p.a + 1) * dim), 2 * k * dim);
      flipped.set(hr.f.subarray(p.a * dim, (p.a + 1) * dim), 2 * k * dim);
      rows.set(lr.e.subarray(p.b * dim, (p.b + 1) * dim), (2 * k + 1) * dim);
      flipped.set(lr.f.subarray(p.b * dim, (p.b + 1) * dim), (2 * k + 1) * dim);
    });
    const issame = pairs.map((p) => p.same);
    const n = pairs.length * 2;
    const verification = insightfaceVerification({ embeddings: { data: rows, n, dim }, flipped: { data: flipped, n, dim }, issame });
    const similarity = Array.from(verification.scores, (d) => 1 - d / 2); // cos on unit vectors
    results.push({ r, verification, auc: rocAuc(similarity, issame), roc: rocCurve(similarity, issame) });
  }
  return results;
}

export { DEFAULT_MRA };
