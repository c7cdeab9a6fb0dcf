// Label noise from a row-stochastic transition matrix P (docs/papers/mda.md "Label-noise generators", from the
// shared data/utils.py of the MDA, JoCoR and Co-teaching repositories).
import { createRng } from '../../core/rng.js';

export const NOISE_TYPES = ['symmetric', 'pairflip', 'asymmetric'] as const;
export type NoiseType = (typeof NOISE_TYPES)[number];

/** Datasets with a known asymmetric mapping. */
export type AsymmetricDataset = 'mnist' | 'cifar10' | 'cifar100';

/** A K×K transition matrix, row-major: P[i*K + j] = Pr(noisy = j | clean = i). */
export interface TransitionMatrix {
  classes: number;
  p: Float64Array;
}

function identity(classes: number): TransitionMatrix {
  const p = new Float64Array(classes * classes);
  for (let i = 0; i < classes; i++) p[i * classes + i] = 1;
  return { classes, p };
}

function checkRate(rate: number): void {
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`noise rate must be in [0, 1], got ${rate}`);
}

/** symmetric(n): P[i,i] = 1-n, P[i,j] = n/(K-1) for j ≠ i (the true class is excluded from the noise). */
export function symmetricMatrix(classes: number, rate: number): TransitionMatrix {
  checkRate(rate);
  const p = new Float64Array(classes * classes).fill(rate / (classes - 1));
  for (let i = 0; i < classes; i++) p[i * classes + i] = 1 - rate;
  return { classes, p };
}

/** pairflip(n): P[i,i] = 1-n, P[i,(i+1) mod K] = n. */
export function pairflipMatrix(classes: number, rate: number): TransitionMatrix {
  checkRate(rate);
  const m = identity(classes);
  for (let i = 0; i < classes; i++) {
    m.p[i * classes + i] = 1 - rate;
    m.p[i * classes + ((i + 1) % classes)] = rate;
  }
  return m;
}

/** Source → target class pairs of the asymmetric noise, each flipped with probability n. */
export const ASYMMETRIC_PAIRS: Record<'mnist' | 'cifar10', [number, number][]> = {
  // noisify_mnist_asymmetric: 7→1, 2→7, 5↔6, 3→8 [ext: hongxin001/JoCoR data/utils.py]
  mnist: [
    [7, 1],
    [2, 7],
    [5, 6],
    [6, 5],
    [3, 8],
  ],
  // noisify_cifar10_asymmetric: truck→automobile, bird→airplane, cat↔dog, deer→horse
  cifar10: [
    [9, 1],
    [2, 0],
    [3, 5],
    [5, 3],
    [4, 7],
  ],
};

/**
 * Asymmetric noise. MNIST and CIFAR-10: the fixed pairs above. CIFAR-100: 20 blocks of 5 consecutive
 * class indices, inside each block i → next (cyclic) with probability n (index blocks, not the
 * official coarse labels, as in the code).
 */
export function asymmetricMatrix(dataset: AsymmetricDataset, rate: number): TransitionMatrix {
  checkRate(rate);
  if (dataset === 'cifar100') {
    const m = identity(100);
    for (let block = 0; block < 20; block++) {
      for (let k = 0; k < 5; k++) {
        const i = block * 5 + k;
        const j = block * 5 + ((k + 1) % 5);
        m.p[i * 100 + i] = 1 - rate;
        m.p[i * 100 + j] = rate;
      }
    }
    return m;
  }
  const m = identity(10);
  for (const [source, target] of ASYMMETRIC_PAIRS[dataset]) {
    m.p[source * 10 + source] = 1 - rate;
    m.p[source * 10 + target] = rate;
  }
  return m;
}

export function transitionMatrix(type: NoiseType, rate: number, classes: number, dataset?: AsymmetricDataset): TransitionMatrix {
  if (type === 'symmetric') return symmetricMatrix(classes, rate);
  if (type === 'pairflip') return pairflipMatrix(classes, rate);
  if (!dataset) throw new Error('asymmetric noise needs a dataset (mnist, cifar10 or cifar100)');
  const m = asymmetricMatrix(dataset, rate);
  if (m.classes !== classes) throw new Error(`asymmetric ${dataset} noise has ${m.classes} classes, data has ${classes}`);
  return m;
}

/** Largest |row sum − 1| and whether every entry is ≥ 0. */
export function rowStochasticError(m: TransitionMatrix): { maxRowError: number; nonNegative: boolean } {
  let maxRowError = 0;
  let nonNegative = true;
  for (let i = 0; i < m.classes; i++) {
    let sum = 0;
    for (let j = 0; j < m.classes; j++) {
      const v = m.p[i * m.classes + j]!;
      if (v < 0) nonNegative = false;
      sum += v;
    }
    maxRowError = Math.max(maxRowError, Math.abs(sum - 1));
  }
  return { maxRowError, nonNegative };
}

export interface NoisyLabels {
  noisy: Int32Array;
  /** clean[i] = 1 where the noisy label equals the true one (the code's `noise_or_not`). */
  clean: Uint8Array;
  /** Fraction of labels that were changed (the code's `actual_noise`). */
  actualRate: number;
}

/**
 * Draws each noisy label from row P[y] with a seeded generator, sample by sample in dataset order
 * (multiclass_noisify). The draws differ from numpy's RandomState(0) (docs/papers/mda.md "Quirks" 4): same statistics,
 * different labels.
 */
export function noisifyLabels(labels: ArrayLike<number>, m: TransitionMatrix, seed: number): NoisyLabels {
  const rng = createRng(seed);
  const n = labels.length;
  const noisy = new Int32Array(n);
  const clean = new Uint8Array(n);
  let changed = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    if (y < 0 || y >= m.classes) throw new RangeError(`label ${y} at ${i} outside 0..${m.classes - 1}`);
    const u = rng.next();
    let acc = 0;
    let drawn = y;
    for (let j = 0; j < m.classes; j++) {
      const pj = m.p[y * m.classes + j]!;
      if (pj <= 0) continue;
      acc += pj;
      drawn = j;
      if (u < acc) break;
    }
    noisy[i] = drawn;
    clean[i] = drawn === y ? 1 : 0;
    if (drawn !== y) changed++;
  }
  return { noisy, clean, actualRate: n === 0 ? 0 : changed / n };
}
