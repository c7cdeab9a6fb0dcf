// Label noise for identity labels (docs/papers/sface.md "Claims testable at small scale" 1): a given fraction
// of the training samples is corrupted, chosen uniformly without replacement from a seeded rng.
//   closed-set noise: the sample keeps its image, its label is flipped to another training identity
//                     (symmetric: uniform over the other C − 1 identities);
//   open-set noise:   the sample keeps its label, its image is replaced by one of an identity that is
//                     not in the training set (an outlier).
import { createRng, type Rng } from '../../core/rng.js';

/** Exactly round(rate·n) distinct indices, uniformly chosen. */
export function chooseNoisyIndices(n: number, rate: number, rng: Rng): Int32Array {
  if (!(rate >= 0 && rate <= 1)) throw new RangeError(`noise rate must be in [0, 1], got ${rate}`);
  const count = Math.round(rate * n);
  const order = rng.shuffle(Array.from({ length: n }, (_, i) => i));
  return Int32Array.from(order.slice(0, count)).sort();
}

export interface ClosedSetNoise {
  /** The noisy labels (a copy; the input is not modified). */
  labels: Int32Array;
  /** 1 where the label was flipped. */
  flipped: Uint8Array;
  count: number;
}

/** Symmetric closed-set flips: round(rate·n) labels each replaced by a uniform other class. */
export function flipLabelsClosedSet(labels: Int32Array, classes: number, rate: number, seed: number): ClosedSetNoise {
  if (classes < 2 && rate > 0) throw new RangeError('closed-set label flips need at least 2 classes');
  const rng = createRng(seed);
  const out = Int32Array.from(labels);
  const flipped = new Uint8Array(labels.length);
  const indices = chooseNoisyIndices(labels.length, rate, rng);
  for (const i of indices) {
    const offset = 1 + rng.int(classes - 1); // 1 … C−1: never the true class
    out[i] = (labels[i]! + offset) % classes;
    flipped[i] = 1;
  }
  return { labels: out, flipped, count: indices.length };
}

export interface OpenSetNoise {
  /** Indices of the training samples whose image is replaced, ascending. */
  indices: Int32Array;
  /** For each replaced sample, the index of the outlier image that replaces it. */
  sources: Int32Array;
  /** 1 where the image was replaced. */
  replaced: Uint8Array;
  count: number;
}

/** Open-set outliers: round(rate·n) samples get an image drawn uniformly from a pool of outsiders. */
export function chooseOpenSetOutliers(n: number, rate: number, poolSize: number, seed: number): OpenSetNoise {
  const rng = createRng(seed);
  const indices = chooseNoisyIndices(n, rate, rng);
  if (indices.length > 0 && poolSize < 1) throw new RangeError('open-set noise needs a non-empty pool of outlier images');
  const sources = Int32Array.from(indices, () => rng.int(poolSize));
  const replaced = new Uint8Array(n);
  for (const i of indices) replaced[i] = 1;
  return { indices, sources, replaced, count: indices.length };
}

/** Copies outlier images into the chosen slots of an NHWC image array (one image = `imageSize` floats). */
export function applyOpenSetOutliers(images: Float32Array, imageSize: number, noise: OpenSetNoise, pool: Float32Array): Float32Array {
  const out = Float32Array.from(images);
  noise.indices.forEach((target, k) => {
    const src = noise.sources[k]!;
    out.set(pool.subarray(src * imageSize, (src + 1) * imageSize), target * imageSize);
  });
  return out;
}
