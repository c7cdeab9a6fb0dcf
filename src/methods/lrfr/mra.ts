// Multi-Resolution Augmentation (docs/papers/lrfr.md "MRA" [recon]): LR samples in three difficulty levels by
// resolution, all mixed into training. The paper's bin edges and probabilities are UNKNOWN; the card's
// placeholders are the defaults: hard r ∈ [8, 16), medium [16, 32), easy [32, 64], each level equally
// likely, and the HR image kept with probability p_hr = 0.5. A sample is down-sampled to r×r (area,
// bilinear or bicubic chosen at random) and up-sampled back with bicubic.
import { degradeImage, type ResampleMethod } from '../../data/synth3dmm/index.js';
import type { Rng } from '../../core/rng.js';

export interface ResolutionLevel {
  name: string;
  /** Inclusive lower bound of r (pixels). */
  min: number;
  /** Exclusive upper bound of r, except for the last level where it is inclusive. */
  max: number;
}

export interface MraOptions {
  levels: ResolutionLevel[];
  /** Probability of each level (normalised); default equal. */
  levelWeights?: number[];
  /** Probability of keeping the HR image. */
  pHr: number;
  downMethods: ResampleMethod[];
  upMethod: ResampleMethod;
}

export const MRA_LEVELS: ResolutionLevel[] = [
  { name: 'hard', min: 8, max: 16 },
  { name: 'medium', min: 16, max: 32 },
  { name: 'easy', min: 32, max: 64 },
];

export const DEFAULT_MRA: MraOptions = { levels: MRA_LEVELS, pHr: 0.5, downMethods: ['bicubic', 'bilinear', 'area'], upMethod: 'bicubic' };

/** One draw of the augmentation: null = keep HR, else the resolution r and down-sampling method. */
export function sampleResolution(o: MraOptions, rng: Rng): { level: string; r: number; down: ResampleMethod } | null {
  if (rng.next() < o.pHr) return null;
  const weights = o.levelWeights ?? o.levels.map(() => 1);
  const total = weights.reduce((a, b) => a + b, 0);
  let u = rng.next() * total;
  let index = 0;
  while (index < o.levels.length - 1 && u >= weights[index]!) u -= weights[index++]!;
  const level = o.levels[index]!;
  const last = index === o.levels.length - 1;
  const r = level.min + rng.int(level.max - level.min + (last ? 1 : 0));
  return { level: level.name, r, down: o.downMethods[rng.int(o.downMethods.length)]! };
}

/** Down-samples one HWC image to r×r and back to its size (r ≥ size leaves it unchanged). */
export function degradeTo(image: Float32Array, size: number, channels: number, r: number, down: ResampleMethod, up: ResampleMethod): Float32Array {
  if (r >= size) return image.slice();
  return degradeImage({ data: image, width: size, height: size, channels }, { size: r, upsampleTo: size, downMethod: down, upMethod: up }).data;
}

/** Applies MRA to every image of an NHWC batch; returns the new batch and the level of each image. */
export function applyMra(
  batch: Float32Array,
  count: number,
  size: number,
  channels: number,
  o: MraOptions,
  rng: Rng,
): { images: Float32Array; levels: string[] } {
  const per = size * size * channels;
  const images = new Float32Array(batch.length);
  const levels: string[] = [];
  for (let n = 0; n < count; n++) {
    const image = batch.subarray(n * per, (n + 1) * per);
    const draw = sampleResolution(o, rng);
    levels.push(draw ? draw.level : 'hr');
    images.set(draw ? degradeTo(image, size, channels, draw.r, draw.down, o.upMethod) : image, n * per);
  }
  return { images, levels };
}
