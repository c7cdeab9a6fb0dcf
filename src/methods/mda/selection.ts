// Small-loss selection (Co-teaching / JoCoR / MDA): keep the int((1−r)·n) samples of smallest loss.

/** Indices sorted by ascending loss; ties keep index order (a stable argsort). */
export function argsortAscending(losses: ArrayLike<number>): number[] {
  const order = Array.from({ length: losses.length }, (_, i) => i);
  order.sort((a, b) => losses[a]! - losses[b]! || a - b);
  return order;
}

/** num_remember = int((1 − forgetRate)·n), as the code computes it. */
export function numRemember(n: number, forgetRate: number): number {
  return Math.trunc((1 - forgetRate) * n);
}

/** Positions of the int((1−r)·n) smallest losses, in ascending loss order. */
export function selectSmallLoss(losses: ArrayLike<number>, forgetRate: number): number[] {
  return argsortAscending(losses).slice(0, numRemember(losses.length, forgetRate));
}

/**
 * Label precision ("pure ratio") of a selection: the fraction of selected samples whose noisy label is
 * the true one. `indices` are dataset indices into `clean`. NaN for an empty selection.
 */
export function labelPrecision(indices: ArrayLike<number>, clean: ArrayLike<number>): number {
  if (indices.length === 0) return Number.NaN;
  let hits = 0;
  for (let i = 0; i < indices.length; i++) hits += clean[indices[i]!]! ? 1 : 0;
  return hits / indices.length;
}
