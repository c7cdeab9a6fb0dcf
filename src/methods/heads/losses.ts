// The heads of the SFace comparison as plain loss functions of (embeddings, proxies, labels).
// cos θ_j = Ŵ_jᵀ x̂ (common.ts); equations from docs/papers/sface.md "Baselines" and "Method".
import { tf } from '../../engine/tf.js';
import { cosineLogits, meanCrossEntropy, stopGradient, type Scalar, type Tensor1D, type Tensor2D } from './common.js';

/** Softmax: logits = x Wᵀ + b (no normalisation); loss = CE. */
export function softmaxLogits(x: Tensor2D, weight: Tensor2D, bias?: Tensor1D): Tensor2D {
  const logits = tf.matMul(x, weight, false, true) as Tensor2D;
  return bias ? (tf.add(logits, bias) as Tensor2D) : logits;
}

export function softmaxLoss(x: Tensor2D, weight: Tensor2D, oneHot: Tensor2D, bias?: Tensor1D): Scalar {
  return meanCrossEntropy(softmaxLogits(x, weight, bias), oneHot);
}

export interface NormFaceParams {
  s: number;
}

/** NormFace (normalised softmax, Wang et al. 2017): logit_j = s·cos θ_j, no margin; loss = CE. CosFace with m = 0. */
export function normfaceLogits(x: Tensor2D, weight: Tensor2D, p: NormFaceParams): Tensor2D {
  return tf.mul(cosineLogits(x, weight), p.s);
}

export function normfaceLoss(x: Tensor2D, weight: Tensor2D, oneHot: Tensor2D, p: NormFaceParams): Scalar {
  return meanCrossEntropy(normfaceLogits(x, weight, p), oneHot);
}

export interface CosFaceParams {
  s: number;
  m: number;
}

/** CosFace (LMCL): logit_y = s(cos θ_y − m), logit_j = s·cos θ_j; loss = CE. Code default s = 64, m = 0.35. */
export function cosfaceLogits(x: Tensor2D, weight: Tensor2D, oneHot: Tensor2D, p: CosFaceParams): Tensor2D {
  const cos = cosineLogits(x, weight);
  return tf.mul(tf.sub(cos, tf.mul(oneHot, p.m)), p.s);
}

export function cosfaceLoss(x: Tensor2D, weight: Tensor2D, oneHot: Tensor2D, p: CosFaceParams): Scalar {
  return meanCrossEntropy(cosfaceLogits(x, weight, oneHot, p), oneHot);
}

export interface ArcFaceParams {
  s: number;
  m: number;
}

/**
 * ArcFace (face.evoLVe `ArcFace`, easy_margin = False): logit_y = s·cos(θ_y + m) when
 * cos θ_y > cos(π − m), else s·(cos θ_y − sin(π − m)·m); logit_j = s·cos θ_j. Default s = 64, m = 0.5.
 * cos(θ+m) = cos θ cos m − sin θ sin m with sin θ = sqrt(1 − cos² θ); 1 − cos² is clamped at 1e-9 so
 * the gradient stays finite at θ = 0 (the PyTorch code takes the raw sqrt).
 */
export function arcfaceLogits(x: Tensor2D, weight: Tensor2D, oneHot: Tensor2D, p: ArcFaceParams): Tensor2D {
  const cos = cosineLogits(x, weight);
  const sin = tf.sqrt(tf.clipByValue(tf.sub(1, tf.square(cos)), 1e-9, 1));
  const phi = tf.sub(tf.mul(cos, Math.cos(p.m)), tf.mul(sin, Math.sin(p.m)));
  const th = Math.cos(Math.PI - p.m);
  const mm = Math.sin(Math.PI - p.m) * p.m;
  // tf.step(cos − th) is the branch mask (1 where cos θ > th); unlike tf.greater it has a (zero) gradient.
  const inMarginBranch = tf.step(tf.sub(cos, th));
  const target = tf.add(tf.mul(inMarginBranch, phi), tf.mul(tf.sub(1, inMarginBranch), tf.sub(cos, mm)));
  const mixed = tf.add(tf.mul(oneHot, target), tf.mul(tf.sub(1, oneHot), cos));
  return tf.mul(mixed, p.s);
}

export function arcfaceLoss(x: Tensor2D, weight: Tensor2D, oneHot: Tensor2D, p: ArcFaceParams): Scalar {
  return meanCrossEntropy(arcfaceLogits(x, weight, oneHot, p), oneHot);
}

export interface SFaceParams {
  /** scale */
  s: number;
  /** sigmoid slope (both sigmoids) */
  k: number;
  /** intra intersection point θ_intra (rad), r_intra(a) = s/2 */
  a: number;
  /** inter intersection point θ_inter (rad), r_inter(b) = s/2 */
  b: number;
}

/** r_intra(θ) = s / (1 + exp(−k(θ − a))): rises from 0 to s as θ passes a (docs/papers/sface.md "Method"). */
export function sfaceIntraWeight(theta: number, p: SFaceParams): number {
  return p.s / (1 + Math.exp(-p.k * (theta - p.a)));
}

/** r_inter(θ) = s / (1 + exp(k(θ − b))): falls from s to 0 as θ passes b. */
export function sfaceInterWeight(theta: number, p: SFaceParams): number {
  return p.s / (1 + Math.exp(p.k * (theta - p.b)));
}

export interface SFaceLossParts {
  loss: Scalar;
  /** mean_i L_intra_i */
  intra: Scalar;
  /** mean_i L_inter_i */
  inter: Scalar;
}

/**
 * SFace (official SFaceLoss.forward, docs/papers/sface.md "Method"):
 *   L_intra = −[r_intra(θ_y)]_b · cos θ_y,   L_inter = Σ_{j≠y} [r_inter(θ_j)]_b · cos θ_j,
 *   loss = mean_i L_intra + mean_i L_inter, r = s·sigmoid(·) under a block-gradient.
 * θ = arccos(cos θ) is taken on values clamped to [−1+1e-7, 1−1e-7] inside the block-gradient only.
 */
export function sfaceLoss(x: Tensor2D, weight: Tensor2D, oneHot: Tensor2D, p: SFaceParams): SFaceLossParts {
  const cos = cosineLogits(x, weight);
  const theta = stopGradient(tf.acos(tf.clipByValue(cos, -1 + 1e-7, 1 - 1e-7)));
  const rIntra = tf.mul(tf.sigmoid(tf.mul(tf.sub(theta, p.a), p.k)), p.s);
  const rInter = tf.mul(tf.sigmoid(tf.mul(tf.sub(theta, p.b), -p.k)), p.s);
  const intraPerSample = tf.neg(tf.sum(tf.mul(oneHot, tf.mul(rIntra, cos)), 1));
  const interPerSample = tf.sum(tf.mul(tf.sub(1, oneHot), tf.mul(rInter, cos)), 1);
  const intra = tf.mean(intraPerSample) as Scalar;
  const inter = tf.mean(interPerSample) as Scalar;
  return { loss: tf.add(intra, inter) as Scalar, intra, inter };
}
