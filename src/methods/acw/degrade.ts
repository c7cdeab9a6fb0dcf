// Kinect-like depth degradation [recon] (docs/papers/acw.md "Depth synthesis": "optional: random
// occluder patches, Kinect-like noise/holes, down-sampling"; the issue's model: low resolution then
// up-sampling, Gaussian noise, quantisation, holes). Used twice: as augmentation of the virtual depth
// during pre-training (random strengths) and, at a fixed strength, as the virtual → "real" gap of the
// test and fusion-training depth.
//
// Depth maps follow src/data/synth3dmm: 0 = background / missing, face pixels in (0, 1], near = bright.
// Order: (1) area down-sampling to `lowRes` and bilinear up-sampling back (Kinect's coarse depth grid),
// applied to the face only (background stays 0, face pixels that would blend with it keep their value);
// (2) N(0, noiseStd²) on face pixels; (3) quantisation to multiples of `quantStep` (Kinect's disparity
// steps), at least one step; (4) holes: exactly round(holeFraction · #face) face pixels set to 0, as
// discs of radius 1..holeRadius at random centres (missing returns: dark hair, grazing angles).
import type { Rng } from '../../core/rng.js';
import { resizeArea, resizeBilinear } from '../../data/synth3dmm/index.js';

export interface KinectDegradation {
  /** Side of the coarse grid (≥ the map side disables it). */
  lowRes: number;
  /** Std of the Gaussian depth noise, depth units. */
  noiseStd: number;
  /** Quantisation step, depth units (0 disables it). */
  quantStep: number;
  /** Fraction of face pixels turned into holes, in [0, 1). */
  holeFraction: number;
  /** Largest hole radius in pixels. */
  holeRadius: number;
}

/** The fixed "real sensor" degradation of test and paired depth [recon: strengths not in the paper]. */
export const KINECT_TEST: KinectDegradation = { lowRes: 16, noiseStd: 0.01, quantStep: 1 / 64, holeFraction: 0.08, holeRadius: 3 };

/** Degrades a side×side depth map (returns a new array). */
export function degradeDepth(depth: Float32Array, side: number, o: KinectDegradation, rng: Rng): Float32Array {
  if (depth.length !== side * side) throw new RangeError(`degradeDepth: ${depth.length} values for a ${side}×${side} map`);
  if (!(o.holeFraction >= 0 && o.holeFraction < 1)) throw new RangeError(`degradeDepth: holeFraction ${o.holeFraction} outside [0, 1)`);
  const face = new Uint8Array(side * side);
  for (let i = 0; i < face.length; i++) face[i] = depth[i]! > 0 ? 1 : 0;
  const out = depth.slice();
  if (o.lowRes > 0 && o.lowRes < side) {
    // Mask-normalised resampling: (resample(d·m) / resample(m)) keeps edges from fading into the background.
    const coarse = (img: Float32Array) =>
      resizeBilinear(resizeArea({ data: img, width: side, height: side, channels: 1 }, o.lowRes, o.lowRes), side, side).data;
    const num = coarse(out);
    const den = coarse(Float32Array.from(face));
    for (let i = 0; i < out.length; i++) if (face[i]) out[i] = den[i]! > 1e-6 ? num[i]! / den[i]! : out[i]!;
  }
  for (let i = 0; i < out.length; i++) {
    if (!face[i]) continue;
    let v = out[i]! + (o.noiseStd > 0 ? o.noiseStd * rng.normal() : 0);
    if (o.quantStep > 0) v = Math.max(1, Math.round(v / o.quantStep)) * o.quantStep;
    out[i] = Math.min(1, Math.max(o.quantStep > 0 ? o.quantStep : 1e-3, v));
  }
  const faceCount = face.reduce((a, b) => a + b, 0);
  let toRemove = Math.round(o.holeFraction * faceCount);
  let guard = 0;
  while (toRemove > 0 && guard++ < 100_000) {
    const cx = rng.int(side);
    const cy = rng.int(side);
    const r = 1 + rng.int(Math.max(1, o.holeRadius));
    for (let y = Math.max(0, cy - r); y <= Math.min(side - 1, cy + r) && toRemove > 0; y++)
      for (let x = Math.max(0, cx - r); x <= Math.min(side - 1, cx + r) && toRemove > 0; x++) {
        const i = y * side + x;
        if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r && face[i] && out[i]! > 0) {
          out[i] = 0;
          toRemove--;
        }
      }
  }
  return out;
}

/** A random degradation for augmentation: each strength drawn uniformly in [0, `max`] (lowRes in [max.lowRes, side]). */
export function randomDegradation(max: KinectDegradation, side: number, rng: Rng): KinectDegradation {
  return {
    lowRes: Math.round(max.lowRes + rng.next() * (side - max.lowRes)),
    noiseStd: rng.next() * max.noiseStd,
    quantStep: rng.next() < 0.5 ? max.quantStep : 0,
    holeFraction: rng.next() * max.holeFraction,
    holeRadius: max.holeRadius,
  };
}

/** Fraction of face pixels (depth > 0 in `reference`) that are 0 in `degraded`. */
export function holeFractionOf(reference: Float32Array, degraded: Float32Array): number {
  let face = 0;
  let holes = 0;
  for (let i = 0; i < reference.length; i++) {
    if (reference[i]! > 0) {
      face++;
      if (degraded[i] === 0) holes++;
    }
  }
  return face === 0 ? 0 : holes / face;
}
