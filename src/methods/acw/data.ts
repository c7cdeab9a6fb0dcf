// Synthetic RGB-D benchmark in the spirit of Lock3DFace [recon] (docs/papers/acw.md "Harness substitute"
// and "Suggested quick profile"): identities of src/data/synth3dmm rendered as aligned RGB (for the
// frozen RGB model) and depth (area-resampled to the depth net's side, then degraded by the fixed
// Kinect model = the virtual → "real" gap). Conditions:
//   GA  gallery: frontal, neutral, clean (Lock3DFace: first frame of the first NU session)
//   NU  near-frontal neutral probes (the clean reference of the RGB-weight claim)
//   FE  expression (coefficients ×1.5);  PS  yaw up to ±45° (|yaw| ≥ 20° by rejection)
//   OC  1–2 occluders on RGB and depth;   TM  changed appearance: colour cast, gamma, ageing-like
//       blotchy texture (Lock3DFace TM = time lapse; lighting is random in every render)
//   LQ  low-quality RGB: dark (×0.25, gamma 1.5), blurred (σ = 1.5 px), noisy; depth unchanged
// Virtual pre-training depth: other identities, yaw ±60°, pitch ±30° (the card's virtual cameras),
// expressions, occluders with probability 0.3, each map degraded by a random Kinect strength.
import { createRng, type Rng } from '../../core/rng.js';
import { createFaceGenerator, gaussianBlur, mixSeed, resizeArea, type FaceGeneratorOptions, type FaceSample } from '../../data/synth3dmm/index.js';
import { degradeDepth, randomDegradation, type KinectDegradation } from './degrade.js';

export const PROBE_SUBSETS = ['NU', 'FE', 'PS', 'OC', 'TM', 'LQ'] as const;
export type ProbeSubset = (typeof PROBE_SUBSETS)[number];
export type Condition = 'GA' | ProbeSubset;
export const CONDITIONS: readonly Condition[] = ['GA', ...PROBE_SUBSETS];

const SMALL_POSE = { yaw: 8, pitch: 5, roll: 3 };

/** Generator options of each condition (before the image-space changes of TM and LQ). */
export function conditionOptions(c: Condition, seed: number, size: number): FaceGeneratorOptions {
  const base: FaceGeneratorOptions = { seed, size, pose: SMALL_POSE, expression: 0.2 };
  switch (c) {
    case 'GA':
      return { ...base, pose: { yaw: 0, pitch: 0, roll: 0 }, expression: 0, alignJitter: 0 };
    case 'NU':
    case 'LQ':
      return base;
    case 'FE':
      return { ...base, expression: 1.5 };
    case 'PS':
      return { ...base, pose: { yaw: 45, pitch: 10, roll: 5 } };
    case 'OC':
      return { ...base, occlusion: { probability: 1, maxPatches: 2, inDepth: true } };
    case 'TM':
      return { ...base, expression: 0.5 };
  }
}

/** Paired RGB-D samples: RGB n × rgbSize² × 3 in [0, 1], depth n × depthSize² in [0, 1]. */
export interface RgbdFaces {
  rgb: Float32Array;
  depth: Float32Array;
  labels: Int32Array;
  conditions: Condition[];
  count: number;
  rgbSize: number;
  depthSize: number;
  classes: number;
}

/** TM-like appearance change in place: colour cast, gamma, low-frequency multiplicative blotches. */
export function ageingAppearance(rgb: Float32Array, size: number, rng: Rng): void {
  const cast = [1 + 0.2 * (rng.next() - 0.5), 1 + 0.2 * (rng.next() - 0.5), 1 + 0.2 * (rng.next() - 0.5)];
  const gamma = 0.7 + 0.7 * rng.next();
  const field = new Float32Array(size * size);
  for (let i = 0; i < field.length; i++) field[i] = rng.normal();
  const smooth = gaussianBlur({ data: field, width: size, height: size, channels: 1 }, size / 20).data;
  let sd = 0;
  for (const v of smooth) sd += v * v;
  sd = Math.sqrt(sd / smooth.length) || 1;
  for (let p = 0; p < size * size; p++) {
    const blotch = 1 + 0.15 * (smooth[p]! / sd) + 0.03 * rng.normal();
    for (let c = 0; c < 3; c++) rgb[p * 3 + c] = Math.min(1, Math.max(0, (rgb[p * 3 + c]! * cast[c]!) ** gamma * blotch));
  }
}

/** Low-quality RGB in place: darkening, blur, sensor noise. */
export function lowQualityRgb(rgb: Float32Array, size: number, rng: Rng): void {
  const blurred = gaussianBlur({ data: rgb, width: size, height: size, channels: 3 }, 1.5).data;
  for (let i = 0; i < rgb.length; i++) rgb[i] = Math.min(1, Math.max(0, 0.25 * blurred[i]! ** 1.5 + 0.02 * rng.normal()));
}

/** Depth of a render at `side` (area resampling). */
export function depthAt(face: FaceSample, side: number): Float32Array {
  if (face.size === side) return face.depth.slice();
  return resizeArea({ data: face.depth, width: face.size, height: face.size, channels: 1 }, side, side).data;
}

export interface RgbdSetOptions {
  seed: number;
  firstId: number;
  ids: number;
  /** Samples per identity per condition (in this order). */
  perCondition: Partial<Record<Condition, number>>;
  rgbSize: number;
  depthSize: number;
  kinect: KinectDegradation;
}

/** Renders a paired RGB-D set: identity-major, conditions in CONDITIONS order. */
export function renderRgbdSet(o: RgbdSetOptions): RgbdFaces {
  const conds = CONDITIONS.filter((c) => (o.perCondition[c] ?? 0) > 0);
  const gens = new Map(conds.map((c) => [c, createFaceGenerator(conditionOptions(c, o.seed, o.rgbSize))]));
  const per = conds.reduce((a, c) => a + o.perCondition[c]!, 0);
  const count = o.ids * per;
  const rgbPer = o.rgbSize * o.rgbSize * 3;
  const dPer = o.depthSize * o.depthSize;
  const rgb = new Float32Array(count * rgbPer);
  const depth = new Float32Array(count * dPer);
  const labels = new Int32Array(count);
  const conditions: Condition[] = [];
  let j = 0;
  for (let i = 0; i < o.ids; i++) {
    const id = o.firstId + i;
    conds.forEach((c, ci) => {
      const who = gens.get(c)!.identity(id);
      for (let k = 0; k < o.perCondition[c]!; k++, j++) {
        const post = createRng(mixSeed(o.seed, 11, id, ci, k));
        let face = who.render(mixSeed(o.seed, 12, id, ci, k));
        // PS: reject renders with |yaw| < 20° (deterministic retries).
        for (let t = 1; c === 'PS' && Math.abs(face.params.yaw) < 20 && t < 50; t++) face = who.render(mixSeed(o.seed, 12, id, ci, k, t));
        const img = Float32Array.from(face.rgb, (v) => v / 255);
        if (c === 'TM') ageingAppearance(img, o.rgbSize, post);
        if (c === 'LQ') lowQualityRgb(img, o.rgbSize, post);
        rgb.set(img, j * rgbPer);
        depth.set(degradeDepth(depthAt(face, o.depthSize), o.depthSize, o.kinect, post), j * dPer);
        labels[j] = i;
        conditions.push(c);
      }
    });
  }
  return { rgb, depth, labels, conditions, count, rgbSize: o.rgbSize, depthSize: o.depthSize, classes: o.ids };
}

export interface VirtualDepthOptions {
  seed: number;
  firstId: number;
  ids: number;
  perId: number;
  /** Render side (then area-resampled to depthSize). */
  renderSize: number;
  depthSize: number;
  /** Upper strengths of the random augmentation. */
  augment: KinectDegradation;
}

/** Virtual depth for pre-training (depth only, no RGB kept): n × depthSize² and labels. */
export function renderVirtualDepth(o: VirtualDepthOptions): { depth: Float32Array; labels: Int32Array; count: number; classes: number } {
  const gen = createFaceGenerator({
    seed: o.seed,
    size: o.renderSize,
    pose: { yaw: 60, pitch: 30, roll: 8 },
    expression: 1,
    occlusion: { probability: 0.3, maxPatches: 2, inDepth: true },
  });
  const count = o.ids * o.perId;
  const dPer = o.depthSize * o.depthSize;
  const depth = new Float32Array(count * dPer);
  const labels = new Int32Array(count);
  let j = 0;
  for (let i = 0; i < o.ids; i++) {
    const who = gen.identity(o.firstId + i);
    for (let k = 0; k < o.perId; k++, j++) {
      const rng = createRng(mixSeed(o.seed, 21, o.firstId + i, k));
      const face = who.render(mixSeed(o.seed, 22, o.firstId + i, k));
      depth.set(degradeDepth(depthAt(face, o.depthSize), o.depthSize, randomDegradation(o.augment, o.depthSize, rng), rng), j * dPer);
      labels[j] = i;
    }
  }
  return { depth, labels, count, classes: o.ids };
}

/** Rows of a set whose condition is `c` (indices). */
export function indicesOf(set: RgbdFaces, c: Condition): number[] {
  const out: number[] = [];
  set.conditions.forEach((x, i) => x === c && out.push(i));
  return out;
}
