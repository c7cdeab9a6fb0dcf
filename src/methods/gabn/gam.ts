// Gradient attention maps (docs/papers/gabn.md "GAM", all [recon]): Grad-CAM on the last convolutional
// map A ∈ R^{N×H×W×C} of a face network,
//   w_c = (1/HW) Σ_{h,w} ∂z/∂A_{h,w,c},   GAM = ReLU(Σ_c w_c A_c),   GAM ← GAM / (max GAM + 1e-8),
// pooled to a G×G grid of cells when H ≠ G. z is a per-image target: the class cosine cos θ_y in
// training, or, for an embedding network without class logits (test identities, a frozen pretrained
// model), the cosine of the embedding to a reference embedding of the same identity (pytorch-grad-cam's
// SimilarityToConceptTarget, the card's "GAM" last bullet). `weights: 'detached'` holds w_c constant so
// that gradients reach the network through A only (the card's cheap variant); 'full' keeps w_c on the
// tape (second-order gradients, PyTorch's create_graph=True).
import { tf } from '../../engine/tf.js';
import { stopGradient } from '../heads/index.js';

type Tensor1D = tf.Tensor1D;
type Tensor2D = tf.Tensor2D;
type Tensor3D = tf.Tensor3D;
type Tensor4D = tf.Tensor4D;

export type GamWeights = 'detached' | 'full';

/** Grad-CAM of feature maps `a` (N×H×W×C) for the per-image targets `target(a)` (N): ReLU(Σ_c w_c A_c), N×H×W, not normalised. */
export function gradCam(a: Tensor4D, target: (a: Tensor4D) => Tensor1D, weights: GamWeights = 'detached'): Tensor3D {
  const dz = tf.grad((x) => tf.sum(target(x as Tensor4D)))(a);
  const w = tf.mean(dz, [1, 2], true);
  return tf.relu(tf.sum(tf.mul(weights === 'detached' ? stopGradient(w) : w, a), 3)) as Tensor3D;
}

/** Each map divided by its maximum + 1e-8 (the card's max-normalisation to [0, 1]). */
export function normalizeMaps(maps: Tensor3D, eps = 1e-8): Tensor3D {
  return tf.div(maps, tf.add(tf.max(maps, [1, 2], true), eps)) as Tensor3D;
}

/** Average-pools N×H×W maps into N×G×G cells (H and W multiples of G); identity when H = G. */
export function poolToGrid(maps: Tensor3D, grid: number): Tensor3D {
  const [n, h, w] = maps.shape;
  if (h === grid && w === grid) return maps;
  if (h % grid !== 0 || w % grid !== 0) throw new RangeError(`poolToGrid: a ${h}×${w} map does not split into ${grid}×${grid} cells`);
  const pooled = tf.avgPool(tf.reshape(maps, [n, h, w, 1]) as Tensor4D, [h / grid, w / grid], [h / grid, w / grid], 'valid');
  return tf.reshape(pooled, [n, grid, grid]) as Tensor3D;
}

/** The GAM of the card: Grad-CAM, pooled to G×G, normalised to max 1. */
export function gradientAttentionMaps(a: Tensor4D, target: (a: Tensor4D) => Tensor1D, grid: number, weights: GamWeights = 'detached'): Tensor3D {
  return normalizeMaps(poolToGrid(gradCam(a, target, weights), grid));
}

/**
 * Input-gradient attention (docs/papers/gabn.md "Suggested quick profile" (a)): |∂z/∂x| summed over
 * colour channels, pooled into G×G cells, normalised to max 1. For networks whose intermediate maps
 * are not exposed (the pretrained face-api forward).
 */
export function inputGradientMaps(x: Tensor4D, target: (x: Tensor4D) => Tensor1D, grid: number): Tensor3D {
  const g = tf.grad((input) => tf.sum(target(input as Tensor4D)))(x);
  return normalizeMaps(poolToGrid(tf.sum(tf.abs(g), 3) as Tensor3D, grid));
}

/** cos(e_i, r_i) row by row: the similarity target for embedding networks (N×d each → N). */
export function cosineToReference(embeddings: Tensor2D, references: Tensor2D): Tensor1D {
  const e = tf.div(embeddings, tf.add(tf.norm(embeddings, 'euclidean', 1, true), 1e-12));
  const r = tf.div(references, tf.add(tf.norm(references, 'euclidean', 1, true), 1e-12));
  return tf.sum(tf.mul(e, r), 1) as Tensor1D;
}

/**
 * Leave-one-out reference embeddings: for image i, the mean of the L2-normalised embeddings of the
 * other images with the same label (its own when it is alone). n×dim → n×dim.
 */
export function leaveOneOutReferences(embeddings: Float32Array, dim: number, labels: ArrayLike<number>): Float32Array {
  const n = labels.length;
  const unit = new Float64Array(n * dim);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += embeddings[i * dim + d]! ** 2;
    const norm = Math.sqrt(s) || 1;
    for (let d = 0; d < dim; d++) unit[i * dim + d] = embeddings[i * dim + d]! / norm;
  }
  const sums = new Map<number, { sum: Float64Array; count: number }>();
  for (let i = 0; i < n; i++) {
    const entry = sums.get(labels[i]!) ?? { sum: new Float64Array(dim), count: 0 };
    for (let d = 0; d < dim; d++) entry.sum[d]! += unit[i * dim + d]!;
    entry.count++;
    sums.set(labels[i]!, entry);
  }
  const out = new Float32Array(n * dim);
  for (let i = 0; i < n; i++) {
    const { sum, count } = sums.get(labels[i]!)!;
    for (let d = 0; d < dim; d++) out[i * dim + d] = count > 1 ? (sum[d]! - unit[i * dim + d]!) / (count - 1) : unit[i * dim + d]!;
  }
  return out;
}

/** Share of the cells of each map above `threshold` (the card's attention "area", > 0.5 after normalisation). */
export function attentionArea(maps: Float32Array, count: number, cells: number, threshold = 0.5): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    let above = 0;
    for (let c = 0; c < cells; c++) if (maps[i * cells + c]! > threshold) above++;
    out[i] = above / cells;
  }
  return out;
}
