// Fairness metrics of the RFW papers (docs/papers/gabn.md "Experimental protocol"): per-group
// verification accuracy (%), their mean, STD (population std, ddof 0, as the card computes the RFW
// fixture; ddof 1 on request) and SER, the skewed error ratio
//   SER = max_g(100 − Acc_g) / min_g(100 − Acc_g) = (100 − min Acc) / (100 − max Acc).
export interface GroupFairness {
  mean: number;
  std: number;
  /** Infinity when the best group has no error. */
  ser: number;
  min: number;
  max: number;
  /** max − min accuracy (points). */
  gap: number;
}

export function fairnessOf(accuracies: readonly number[], ddof: 0 | 1 = 0): GroupFairness {
  const n = accuracies.length;
  if (n < 1 + ddof) throw new RangeError(`fairnessOf: ${n} groups cannot give a std with ddof ${ddof}`);
  for (const a of accuracies) if (!(a >= 0 && a <= 100)) throw new RangeError(`fairnessOf: accuracy ${a} is not a percentage`);
  const mean = accuracies.reduce((s, a) => s + a, 0) / n;
  const std = Math.sqrt(accuracies.reduce((s, a) => s + (a - mean) ** 2, 0) / (n - ddof));
  const min = Math.min(...accuracies);
  const max = Math.max(...accuracies);
  return { mean, std, ser: (100 - min) / (100 - max), min, max, gap: max - min };
}

/**
 * The RFW paper's verification accuracies (%) of four commercial APIs (docs/papers/gabn.md "RFW
 * reference table"): the fixture whose STD and SER the card computes (Microsoft: STD ≈ 4.32, SER ≈ 1.95).
 */
export const RFW_COMMERCIAL_APIS = {
  Microsoft: { LFW: 98.22, Caucasian: 87.6, Indian: 82.83, Asian: 79.67, African: 75.83 },
  'Face++': { LFW: 97.03, Caucasian: 93.9, Indian: 88.55, Asian: 92.47, African: 87.5 },
  Baidu: { LFW: 98.67, Caucasian: 89.13, Indian: 86.53, Asian: 90.27, African: 77.97 },
  Amazon: { LFW: 98.5, Caucasian: 90.45, Indian: 87.2, Asian: 84.87, African: 86.27 },
} as const;
