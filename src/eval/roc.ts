// Threshold-free verification metrics on similarity scores (higher = more likely the same person),
// and plain classification accuracy.

/** Splits scores into genuine (same identity) and impostor lists. */
export function splitScores(scores: ArrayLike<number>, issame: ArrayLike<boolean>): { genuine: number[]; impostor: number[] } {
  if (scores.length !== issame.length) throw new Error(`splitScores: ${scores.length} scores but ${issame.length} labels`);
  const genuine: number[] = [];
  const impostor: number[] = [];
  for (let i = 0; i < scores.length; i++) (issame[i] ? genuine : impostor).push(scores[i]!);
  return { genuine, impostor };
}

export interface TarAtFar {
  /** The target false accept rate. */
  far: number;
  /** Threshold: accept iff score > threshold. */
  threshold: number;
  /** False accept rate actually reached (≤ far). */
  achievedFar: number;
  /** True accept rate at that threshold. */
  tar: number;
}

/**
 * TAR at FAR: the lowest threshold t among the impostor scores with #{impostor > t} ≤ far·N_imp, i.e.
 * the (k+1)-th largest impostor score with k = floor(far·N_imp); TAR = #{genuine > t} / N_gen.
 * (The IJB-C practice of reading the ROC at the first point with FPR ≤ far.)
 */
export function tarAtFar(scores: ArrayLike<number>, issame: ArrayLike<boolean>, far: number): TarAtFar {
  return rocCurve(scores, issame, [far])[0]!;
}

/** FARs of a verification ROC on a log axis: ten per decade from 1e-3 to 1. */
export const ROC_FARS: readonly number[] = Array.from({ length: 31 }, (_, i) => Number((10 ** (-3 + i / 10)).toPrecision(3)));

/** The ROC read at each of `fars` as tarAtFar reads it at one (scores sorted once). */
export function rocCurve(scores: ArrayLike<number>, issame: ArrayLike<boolean>, fars: readonly number[] = ROC_FARS): TarAtFar[] {
  const { genuine, impostor } = splitScores(scores, issame);
  if (genuine.length === 0 || impostor.length === 0) throw new Error('rocCurve: needs genuine and impostor pairs');
  const impostorDesc = impostor.sort((a, b) => b - a);
  const genuineDesc = genuine.sort((a, b) => b - a);
  return fars.map((far) => {
    const k = Math.floor(far * impostorDesc.length + 1e-9);
    const threshold = k >= impostorDesc.length ? -Infinity : impostorDesc[k]!;
    return {
      far,
      threshold,
      achievedFar: countAbove(impostorDesc, threshold) / impostorDesc.length,
      tar: countAbove(genuineDesc, threshold) / genuineDesc.length,
    };
  });
}

/** How many of the descending scores exceed t (binary search). */
function countAbove(descending: readonly number[], t: number): number {
  let lo = 0;
  let hi = descending.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (descending[mid]! > t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Area under the ROC curve: the Mann–Whitney probability that a genuine score exceeds an impostor
 * score, ties counted one half (equals the trapezoidal area under the full ROC).
 */
export function rocAuc(scores: ArrayLike<number>, issame: ArrayLike<boolean>): number {
  const { genuine, impostor } = splitScores(scores, issame);
  if (genuine.length === 0 || impostor.length === 0) throw new Error('rocAuc: needs genuine and impostor pairs');
  // Rank-sum with average ranks for ties: O(n log n).
  const all = [...genuine.map((s) => ({ s, g: true })), ...impostor.map((s) => ({ s, g: false }))].sort((a, b) => a.s - b.s);
  let rankSumGenuine = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j < all.length && all[j]!.s === all[i]!.s) j++;
    const averageRank = (i + 1 + j) / 2; // ranks i+1 … j
    for (let t = i; t < j; t++) if (all[t]!.g) rankSumGenuine += averageRank;
    i = j;
  }
  const nG = genuine.length;
  return (rankSumGenuine - (nG * (nG + 1)) / 2) / (nG * impostor.length);
}

/** Fraction of predictions equal to the labels. */
export function classificationAccuracy(predicted: ArrayLike<number>, labels: ArrayLike<number>): number {
  if (predicted.length !== labels.length || labels.length === 0) throw new Error('classificationAccuracy: lengths differ or are zero');
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
  return correct / labels.length;
}

/** Row-wise argmax of an n × c score matrix. */
export function argmaxRows(scores: ArrayLike<number>, n: number, c: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (scores[i * c + j]! > scores[i * c + best]!) best = j;
    out[i] = best;
  }
  return out;
}
