// Face verification metrics on embedding pairs, in plain typed-array code.
//
// `insightfaceVerification` is InsightFace's `verification.py` (`test` → `evaluate` → `calculate_roc`):
//   1. embedding = f(image) + f(mirrored image)       (flip-summed, when both are given)
//   2. each embedding L2-normalised                    (sklearn.preprocessing.normalize)
//   3. dist = ||e1 - e2||² for each pair               (squared L2, in [0, 4])
//   4. 10 contiguous folds (sklearn KFold, shuffle=False: the first n % 10 folds get one extra pair)
//   5. per fold, threshold = the first (np.argmax) value of np.arange(0, 4, 0.01) that maximises the
//      accuracy of "same iff dist < threshold" on the nine other folds; accuracy on the held-out fold
//   6. report mean and population std (np.std, ddof = 0) of the ten fold accuracies.
// `cosineVerification` is the cosine-similarity variant (XQLFW's code: cosine distance thresholds; or
// Youden's J = TPR − FPR instead of accuracy as the threshold criterion).

/** Names a CSV can carry in its note, so every accuracy says how it was computed. */
export const VERIFICATION_PROTOCOLS = {
  insightface: 'insightface-10fold: flip-summed L2-normalised embeddings, squared L2, thresholds 0:0.01:4 on 9 folds',
  insightfaceNoFlip: 'insightface-10fold-noflip: L2-normalised embeddings, squared L2, thresholds 0:0.01:4 on 9 folds',
  cosineAccuracy: 'cosine-10fold-accuracy: cosine similarity, threshold maximising accuracy on 9 folds',
  cosineYouden: 'cosine-10fold-youden: cosine similarity, threshold maximising TPR-FPR on 9 folds',
} as const;
export type VerificationProtocol = keyof typeof VERIFICATION_PROTOCOLS;

/** Embeddings of n items, row-major (n × dim). */
export interface EmbeddingMatrix {
  data: Float32Array | Float64Array;
  n: number;
  dim: number;
}

export interface FoldResult {
  /** Accuracy on each held-out fold, in fold order. */
  foldAccuracies: number[];
  /** Threshold chosen on the other nine folds, per fold. */
  thresholds: number[];
  /** Mean of the fold accuracies. */
  accuracy: number;
  /** Population standard deviation (ddof = 0) of the fold accuracies, as np.std. */
  std: number;
}

/** np.arange(0, 4, 0.01): start + i·step, as numpy computes it (400 values). */
export function thresholdGrid(start: number, stop: number, step: number): Float64Array {
  const count = Math.ceil((stop - start) / step);
  const grid = new Float64Array(count);
  for (let i = 0; i < count; i++) grid[i] = start + i * step;
  return grid;
}

export const INSIGHTFACE_THRESHOLDS = thresholdGrid(0, 4, 0.01);

/** sklearn KFold(n_splits, shuffle=False): contiguous folds, the first n % k one longer. */
export function kFoldRanges(n: number, folds: number): [number, number][] {
  if (n < folds) throw new Error(`kFoldRanges: ${n} pairs cannot make ${folds} folds`);
  const ranges: [number, number][] = [];
  let start = 0;
  for (let f = 0; f < folds; f++) {
    const size = Math.floor(n / folds) + (f < n % folds ? 1 : 0);
    ranges.push([start, start + size]);
    start += size;
  }
  return ranges;
}

/** e / ||e|| per row (sklearn.preprocessing.normalize; a zero row stays zero). */
export function l2NormalizeRows(m: EmbeddingMatrix): Float64Array {
  const out = new Float64Array(m.n * m.dim);
  for (let i = 0; i < m.n; i++) {
    let sq = 0;
    for (let d = 0; d < m.dim; d++) sq += m.data[i * m.dim + d]! ** 2;
    const norm = Math.sqrt(sq);
    for (let d = 0; d < m.dim; d++) out[i * m.dim + d] = norm > 0 ? m.data[i * m.dim + d]! / norm : 0;
  }
  return out;
}

/** f(x) + f(flip(x)), row by row (InsightFace `embeddings_list[0] + embeddings_list[1]`). */
export function flipSum(a: EmbeddingMatrix, b: EmbeddingMatrix): EmbeddingMatrix {
  if (a.n !== b.n || a.dim !== b.dim) throw new Error('flipSum: the two embedding matrices differ in shape');
  const data = new Float64Array(a.n * a.dim);
  for (let i = 0; i < data.length; i++) data[i] = a.data[i]! + b.data[i]!;
  return { data, n: a.n, dim: a.dim };
}

/** Squared L2 distance between rows 2i and 2i+1 of a normalised matrix (pairs interleaved). */
export function interleavedPairSquaredL2(normalized: Float64Array, n: number, dim: number): Float64Array {
  const pairs = n / 2;
  const dist = new Float64Array(pairs);
  for (let p = 0; p < pairs; p++) {
    let s = 0;
    for (let d = 0; d < dim; d++) s += (normalized[2 * p * dim + d]! - normalized[(2 * p + 1) * dim + d]!) ** 2;
    dist[p] = s;
  }
  return dist;
}

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** Counts for "same iff score is on the accepting side of the threshold" over the given pair indices. */
function confusion(
  scores: ArrayLike<number>,
  issame: ArrayLike<boolean>,
  threshold: number,
  lowerIsSame: boolean,
  from: number,
  to: number,
  skipFrom = 0,
  skipTo = 0,
): Confusion {
  const c = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = from; i < to; i++) {
    if (i >= skipFrom && i < skipTo) continue;
    const predicted = lowerIsSame ? scores[i]! < threshold : scores[i]! > threshold;
    if (predicted) {
      if (issame[i]) c.tp++;
      else c.fp++;
    } else if (issame[i]) c.fn++;
    else c.tn++;
  }
  return c;
}

export type ThresholdCriterion = 'accuracy' | 'youden';

/** The criterion value of a confusion (InsightFace `calculate_accuracy`: tpr/fpr are 0 when undefined). */
function criterion(c: Confusion, kind: ThresholdCriterion): number {
  if (kind === 'accuracy') return (c.tp + c.tn) / (c.tp + c.fp + c.tn + c.fn);
  const tpr = c.tp + c.fn === 0 ? 0 : c.tp / (c.tp + c.fn);
  const fpr = c.fp + c.tn === 0 ? 0 : c.fp / (c.fp + c.tn);
  return tpr - fpr;
}

export interface FoldOptions {
  thresholds: ArrayLike<number>;
  /** true for distances (same iff d < t), false for similarities (same iff s > t). */
  lowerIsSame: boolean;
  folds?: number;
  criterion?: ThresholdCriterion;
}

/**
 * The k-fold protocol on precomputed pair scores (InsightFace `calculate_roc`): for each fold the
 * first threshold maximising the criterion on the other folds, then accuracy on the fold.
 */
export function kFoldThresholdAccuracy(scores: ArrayLike<number>, issame: ArrayLike<boolean>, options: FoldOptions): FoldResult {
  if (scores.length !== issame.length) throw new Error(`kFoldThresholdAccuracy: ${scores.length} scores but ${issame.length} labels`);
  const folds = options.folds ?? 10;
  const kind = options.criterion ?? 'accuracy';
  const n = scores.length;
  const foldAccuracies: number[] = [];
  const thresholds: number[] = [];
  for (const [from, to] of kFoldRanges(n, folds)) {
    let best = -Infinity;
    let bestIndex = 0;
    for (let t = 0; t < options.thresholds.length; t++) {
      const value = criterion(confusion(scores, issame, options.thresholds[t]!, options.lowerIsSame, 0, n, from, to), kind);
      if (value > best) {
        best = value; // strict >: the first maximum wins, as np.argmax
        bestIndex = t;
      }
    }
    const threshold = options.thresholds[bestIndex]!;
    thresholds.push(threshold);
    foldAccuracies.push(criterion(confusion(scores, issame, threshold, options.lowerIsSame, from, to), 'accuracy'));
  }
  const accuracy = foldAccuracies.reduce((a, b) => a + b, 0) / folds;
  const std = Math.sqrt(foldAccuracies.reduce((a, b) => a + (b - accuracy) ** 2, 0) / folds);
  return { foldAccuracies, thresholds, accuracy, std };
}

export interface PairEmbeddings {
  /** Embeddings of the 2·P images, pairs interleaved (rows 2i, 2i+1 form pair i), as in `.bin` files. */
  embeddings: EmbeddingMatrix;
  /** Embeddings of the mirrored images, same order; omit to skip flip-summing. */
  flipped?: EmbeddingMatrix;
  issame: ArrayLike<boolean>;
}

export interface VerificationResult extends FoldResult {
  protocol: VerificationProtocol;
  /** The per-pair score the thresholds were applied to (squared L2 distance or cosine similarity). */
  scores: Float64Array;
}

/** InsightFace 10-fold verification accuracy (steps 1–6 in the header). */
export function insightfaceVerification(input: PairEmbeddings, folds = 10): VerificationResult {
  const summed = input.flipped ? flipSum(input.embeddings, input.flipped) : input.embeddings;
  const normalized = l2NormalizeRows(summed);
  const scores = interleavedPairSquaredL2(normalized, summed.n, summed.dim);
  const result = kFoldThresholdAccuracy(scores, input.issame, { thresholds: INSIGHTFACE_THRESHOLDS, lowerIsSame: true, folds });
  return { ...result, protocol: input.flipped ? 'insightface' : 'insightfaceNoFlip', scores };
}

/** Cosine similarity of each interleaved pair (flip-summed first when mirrored embeddings are given). */
export function pairCosineSimilarity(input: PairEmbeddings): Float64Array {
  const summed = input.flipped ? flipSum(input.embeddings, input.flipped) : input.embeddings;
  const normalized = l2NormalizeRows(summed);
  const pairs = summed.n / 2;
  const out = new Float64Array(pairs);
  for (let p = 0; p < pairs; p++) {
    let s = 0;
    for (let d = 0; d < summed.dim; d++) s += normalized[2 * p * summed.dim + d]! * normalized[(2 * p + 1) * summed.dim + d]!;
    out[p] = s;
  }
  return out;
}

/**
 * The cosine variant: thresholds on cosine similarity in [-1, 1] (step 0.001, the XQLFW grid of
 * arange(0, 2, 0.001) on cosine distance 1 − cos), chosen on nine folds by accuracy or Youden's J.
 */
export function cosineVerification(input: PairEmbeddings, criterionKind: ThresholdCriterion = 'youden', folds = 10): VerificationResult {
  const scores = pairCosineSimilarity(input);
  const grid = thresholdGrid(0, 2, 0.001).map((d) => 1 - d);
  const result = kFoldThresholdAccuracy(scores, input.issame, { thresholds: grid, lowerIsSame: false, folds, criterion: criterionKind });
  return { ...result, protocol: criterionKind === 'youden' ? 'cosineYouden' : 'cosineAccuracy', scores };
}
