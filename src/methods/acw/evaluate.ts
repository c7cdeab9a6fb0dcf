// Identification and verification on a probes × gallery score matrix (docs/papers/acw.md
// "Experimental protocol": closed-set rank-1 with one gallery enrolment per subject; the second
// metric: TAR at FAR 1e-3 over all probe–gallery pairs). Ties count against the probe (src/eval).
import { cmcFromRanks, identificationRanks, tarAtFar } from '../../eval/index.js';

/** Rank-1 accuracy in [0, 1] of probes (rows) against the gallery (columns). */
export function rank1(scores: ArrayLike<number>, probeLabels: ArrayLike<number>, galleryLabels: ArrayLike<number>): number {
  return cmcFromRanks(identificationRanks(scores, probeLabels, galleryLabels), [1]).cmc[0]!.accuracy;
}

/** TAR at `far` with every probe–gallery pair as a trial (genuine iff same label). */
export function tarAtFarMatrix(scores: ArrayLike<number>, probeLabels: ArrayLike<number>, galleryLabels: ArrayLike<number>, far: number): number {
  const G = galleryLabels.length;
  const same = Array.from({ length: scores.length }, (_, k) => probeLabels[Math.floor(k / G)] === galleryLabels[k % G]);
  return tarAtFar(scores, same, far).tar;
}

/** Rows `rows` of a P × G matrix (a probe subset). */
export function selectRows(m: Float64Array, G: number, rows: readonly number[]): Float64Array {
  const out = new Float64Array(rows.length * G);
  rows.forEach((r, k) => out.set(m.subarray(r * G, (r + 1) * G), k * G));
  return out;
}

/** Mean and population std. */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { mean, std: Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length) };
}
