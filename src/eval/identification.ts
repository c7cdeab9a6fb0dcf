// Closed-set face identification (1:N): every probe is compared with every gallery image by the
// cosine similarity of L2-normalised embeddings; the gallery images are ranked by similarity and
// rank-k accuracy (the CMC curve at k) is the fraction of probes with an image of their own identity
// among the first k. This is `DIR_FAR(..., FARs=[1.0])` of Probabilistic-Face-Embeddings / AdaFace's
// TinyFace evaluation (score = inner product of normalised features, label matrix probe == gallery,
// success at rank k iff any mate is among the top k) with one difference, the tie rule below.
//
// Ties, deterministically: a mate at similarity s counts at rank 1 + #{non-mates with similarity ≥ s}.
// A non-mate scoring exactly as high as the best mate is ranked ahead of it (ties go against the
// probe), so the result does not depend on the order of the gallery, and a degenerate embedder
// (e.g. constant) gets the worst rank rather than a lucky one. (numpy's argsort would order exact
// ties by its sort algorithm instead; they only differ on exact ties.)
//
// Distractors are gallery images with label DISTRACTOR_LABEL (−1): they never match a probe.
// Probes without any mate in the gallery are left out of the accuracies (DIR_FAR's closed-set
// `match_indices`) and counted in `unmatedProbes`.
import { l2NormalizeRows, type EmbeddingMatrix } from './verification.js';

/** Gallery label of an image no probe matches (TinyFace Gallery_Distractor). */
export const DISTRACTOR_LABEL = -1;

/** Rank value of a probe without a mate in the gallery. */
export const NO_MATE = 0;

/** Σ_d a[aAt + d]·b[bAt + d], four partial sums (about twice as fast as one in V8). */
function dot(a: Float64Array, aAt: number, b: Float64Array, bAt: number, dim: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let d = 0;
  for (; d + 3 < dim; d += 4) {
    s0 += a[aAt + d]! * b[bAt + d]!;
    s1 += a[aAt + d + 1]! * b[bAt + d + 1]!;
    s2 += a[aAt + d + 2]! * b[bAt + d + 2]!;
    s3 += a[aAt + d + 3]! * b[bAt + d + 3]!;
  }
  for (; d < dim; d++) s0 += a[aAt + d]! * b[bAt + d]!;
  return s0 + s1 + (s2 + s3);
}

/** probes × gallery cosine similarities (rows L2-normalised first), row-major, float64. */
export function cosineSimilarityMatrix(probes: EmbeddingMatrix, gallery: EmbeddingMatrix): Float64Array {
  if (probes.dim !== gallery.dim) throw new Error(`cosineSimilarityMatrix: probe dim ${probes.dim} but gallery dim ${gallery.dim}`);
  const p = l2NormalizeRows(probes);
  const g = l2NormalizeRows(gallery);
  const dim = probes.dim;
  const out = new Float64Array(probes.n * gallery.n);
  for (let i = 0; i < probes.n; i++) {
    for (let j = 0; j < gallery.n; j++) {
      out[i * gallery.n + j] = dot(p, i * dim, g, j * dim, dim);
    }
  }
  return out;
}

function checkLabels(probeLabels: ArrayLike<number>, galleryLabels: ArrayLike<number>, probes: number, gallery: number): void {
  if (probeLabels.length !== probes) throw new Error(`identification: ${probes} probes but ${probeLabels.length} probe labels`);
  if (galleryLabels.length !== gallery) throw new Error(`identification: ${gallery} gallery images but ${galleryLabels.length} gallery labels`);
  for (let i = 0; i < probeLabels.length; i++) {
    if (!(probeLabels[i]! >= 0)) throw new Error(`identification: probe ${i} has label ${probeLabels[i]}; probe labels must be ≥ 0`);
  }
}

/**
 * The 1-based rank of the best mate of every probe, from a probes × gallery similarity matrix
 * (ties against the probe, see the header); NO_MATE (0) for a probe without a mate.
 */
export function identificationRanks(scores: ArrayLike<number>, probeLabels: ArrayLike<number>, galleryLabels: ArrayLike<number>): Int32Array {
  const nP = probeLabels.length;
  const nG = galleryLabels.length;
  if (scores.length !== nP * nG) throw new Error(`identificationRanks: ${scores.length} scores for ${nP} probes × ${nG} gallery images`);
  checkLabels(probeLabels, galleryLabels, nP, nG);
  const ranks = new Int32Array(nP);
  for (let i = 0; i < nP; i++) {
    let best = -Infinity;
    let mated = false;
    for (let j = 0; j < nG; j++) {
      if (galleryLabels[j] === probeLabels[i]) {
        mated = true;
        if (scores[i * nG + j]! > best) best = scores[i * nG + j]!;
      }
    }
    if (!mated) continue; // NO_MATE
    let ahead = 0;
    for (let j = 0; j < nG; j++) if (galleryLabels[j] !== probeLabels[i] && scores[i * nG + j]! >= best) ahead++;
    ranks[i] = 1 + ahead;
  }
  return ranks;
}

export interface RankAccuracy {
  k: number;
  /** Fraction of the mated probes whose best mate is at rank ≤ k. */
  accuracy: number;
}

export interface IdentificationResult {
  /** Rank-k accuracy (CMC) for each requested k, in the order asked. */
  cmc: RankAccuracy[];
  /** Probes with a mate in the gallery (the denominator of the accuracies). */
  probes: number;
  /** Probes without a mate in the gallery (left out). */
  unmatedProbes: number;
  galleryImages: number;
  /** 1-based rank of each probe's best mate; NO_MATE (0) when it has none; maxRank + 1 means "beyond maxRank" when streamed. */
  ranks: Int32Array;
}

/** CMC at each k from per-probe ranks (NO_MATE probes excluded from the denominator). */
export function cmcFromRanks(ranks: ArrayLike<number>, ks: readonly number[]): { cmc: RankAccuracy[]; probes: number; unmatedProbes: number } {
  for (const k of ks) if (!Number.isInteger(k) || k < 1) throw new Error(`cmcFromRanks: rank ${k} is not a positive integer`);
  let probes = 0;
  for (let i = 0; i < ranks.length; i++) if (ranks[i] !== NO_MATE) probes++;
  const cmc = ks.map((k) => {
    let hits = 0;
    for (let i = 0; i < ranks.length; i++) if (ranks[i] !== NO_MATE && ranks[i]! <= k) hits++;
    return { k, accuracy: probes === 0 ? 0 : hits / probes };
  });
  return { cmc, probes, unmatedProbes: ranks.length - probes };
}

/** Closed-set identification of probes against a gallery held in memory (cosine of normalised embeddings). */
export function closedSetIdentification(
  probes: EmbeddingMatrix,
  probeLabels: ArrayLike<number>,
  gallery: EmbeddingMatrix,
  galleryLabels: ArrayLike<number>,
  ks: readonly number[] = [1, 5, 20],
): IdentificationResult {
  const ranks = identificationRanks(cosineSimilarityMatrix(probes, gallery), probeLabels, galleryLabels);
  return { ...cmcFromRanks(ranks, ks), galleryImages: gallery.n, ranks };
}

/**
 * The same identification with the gallery streamed in chunks (TinyFace: 153K distractors need not
 * be held at once). Per probe it keeps the best mate similarity and the `maxRank` highest non-mate
 * similarities; at the end rank = 1 + #{kept non-mates ≥ best mate}, which equals the exact rank
 * whenever that is ≤ maxRank (and is maxRank + 1 otherwise). Same tie rule as identificationRanks.
 */
export class StreamingIdentification {
  private readonly probes: Float64Array;
  private readonly nProbes: number;
  private readonly dim: number;
  private readonly bestMate: Float64Array;
  private readonly mated: Uint8Array;
  /** Per probe, the top non-mate similarities, descending, `maxRank` slots (−Infinity = empty). */
  private readonly topNonMates: Float64Array;
  private galleryImages = 0;

  constructor(
    probes: EmbeddingMatrix,
    private readonly probeLabels: ArrayLike<number>,
    readonly maxRank: number,
  ) {
    if (!Number.isInteger(maxRank) || maxRank < 1) throw new Error(`StreamingIdentification: maxRank ${maxRank} is not a positive integer`);
    checkLabels(probeLabels, [], probes.n, 0);
    this.probes = l2NormalizeRows(probes);
    this.nProbes = probes.n;
    this.dim = probes.dim;
    this.bestMate = new Float64Array(probes.n).fill(-Infinity);
    this.mated = new Uint8Array(probes.n);
    this.topNonMates = new Float64Array(probes.n * maxRank).fill(-Infinity);
  }

  /** Adds gallery images (any order, any chunking) with their labels (DISTRACTOR_LABEL for distractors). */
  add(gallery: EmbeddingMatrix, labels: ArrayLike<number>): void {
    if (gallery.dim !== this.dim) throw new Error(`StreamingIdentification: gallery dim ${gallery.dim} but probe dim ${this.dim}`);
    if (labels.length !== gallery.n) throw new Error(`StreamingIdentification: ${gallery.n} gallery images but ${labels.length} labels`);
    const g = l2NormalizeRows(gallery);
    const { dim, maxRank } = this;
    for (let i = 0; i < this.nProbes; i++) {
      const label = this.probeLabels[i];
      const top = i * maxRank;
      for (let j = 0; j < gallery.n; j++) {
        const s = dot(this.probes, i * dim, g, j * dim, dim);
        if (labels[j] === label) {
          this.mated[i] = 1;
          if (s > this.bestMate[i]!) this.bestMate[i] = s;
        } else if (s > this.topNonMates[top + maxRank - 1]!) {
          // insert into the descending top list (ties: equal values are all kept up to maxRank)
          let at = maxRank - 1;
          while (at > 0 && this.topNonMates[top + at - 1]! < s) {
            this.topNonMates[top + at] = this.topNonMates[top + at - 1]!;
            at--;
          }
          this.topNonMates[top + at] = s;
        }
      }
    }
    this.galleryImages += gallery.n;
  }

  /** Ranks and CMC at each k ≤ maxRank. */
  result(ks: readonly number[]): IdentificationResult {
    for (const k of ks) if (k > this.maxRank) throw new Error(`StreamingIdentification: rank ${k} > maxRank ${this.maxRank}`);
    const ranks = new Int32Array(this.nProbes);
    for (let i = 0; i < this.nProbes; i++) {
      if (!this.mated[i]) continue;
      let ahead = 0;
      for (let r = 0; r < this.maxRank; r++) if (this.topNonMates[i * this.maxRank + r]! >= this.bestMate[i]!) ahead++;
      ranks[i] = 1 + ahead;
    }
    return { ...cmcFromRanks(ranks, ks), galleryImages: this.galleryImages, ranks };
  }
}
