// A procedural 3D Morphable Model on MediaPipe's canonical mesh [recon].
//
// The ACW card (docs/papers/acw.md "Depth synthesis") uses BFM 2019, which is licensed; this model keeps its
// structure, S = S̄ + A_id·α_id + A_exp·α_exp, with bases made here from a seed instead of PCA:
// - S̄: the canonical mesh (mesh.ts).
// - A_id: 3 global scale bases (width, height, depth) and smooth radial-basis displacement fields,
//   mirror-symmetric except a few small asymmetric ones; coefficient k has std ID_STD[k] (cm).
// - A_exp: six hand-made expression fields (jaw open, smile, brow raise, frown, pucker, squint).
// - Appearance groups (neutral names group-a..group-d) differ in skin, brow, iris and hair colour
//   distributions and in a group mean of α_id: the groups the bias paper (docs/papers/gabn.md) needs.
// Albedo is a per-identity texture in the mesh's UV space (skin with blotches, moles, brows, lips,
// eyes, hairline); the eye openings and the mouth interior are triangle materials.
import { createRng, type Rng } from '../../core/rng.js';
import { noiseStream } from './noise.js';
import { FEATURE_LOOPS, LANDMARK, loadCanonicalMesh, type CanonicalMesh } from './mesh.js';

export const GROUP_NAMES = ['group-a', 'group-b', 'group-c', 'group-d'] as const;
export type GroupName = (typeof GROUP_NAMES)[number];

/** Colour distributions of one appearance group, sRGB 0-255. */
export interface GroupAppearance {
  name: GroupName;
  skin: readonly [number, number, number];
  /** Relative std of skin lightness between identities of the group. */
  skinSpread: number;
  brow: readonly [number, number, number];
  hair: readonly (readonly [number, number, number])[];
  iris: readonly (readonly [number, number, number])[];
}

/** The four groups: skin tones from light (a) to dark (d); names are neutral on purpose. */
export const GROUPS: readonly GroupAppearance[] = [
  {
    name: 'group-a',
    skin: [236, 196, 176],
    skinSpread: 0.06,
    brow: [120, 90, 65],
    hair: [
      [150, 110, 70],
      [200, 170, 110],
      [90, 60, 40],
    ],
    iris: [
      [70, 110, 150],
      [90, 120, 80],
      [110, 75, 45],
    ],
  },
  {
    name: 'group-b',
    skin: [214, 168, 128],
    skinSpread: 0.07,
    brow: [60, 45, 35],
    hair: [
      [40, 30, 25],
      [70, 50, 35],
    ],
    iris: [
      [80, 55, 35],
      [60, 40, 30],
    ],
  },
  {
    name: 'group-c',
    skin: [170, 118, 84],
    skinSpread: 0.08,
    brow: [40, 30, 25],
    hair: [
      [30, 22, 18],
      [50, 35, 25],
    ],
    iris: [
      [55, 38, 25],
      [40, 28, 20],
    ],
  },
  {
    name: 'group-d',
    skin: [112, 74, 52],
    skinSpread: 0.09,
    brow: [25, 20, 18],
    hair: [
      [20, 16, 14],
      [35, 26, 20],
    ],
    iris: [
      [35, 25, 18],
      [28, 20, 15],
    ],
  },
];

export const EXPRESSION_NAMES = ['jawOpen', 'smile', 'browRaise', 'frown', 'pucker', 'squint'] as const;

/** Number of identity coefficients: 3 global scales, 36 symmetric and 6 asymmetric fields. */
const ID_GLOBAL = 3;
const ID_SYMMETRIC = 36;
const ID_ASYMMETRIC = 6;
export const ID_DIM = ID_GLOBAL + ID_SYMMETRIC + ID_ASYMMETRIC;
export const EXP_DIM = EXPRESSION_NAMES.length;
/** Side of the per-identity albedo texture (UV space). */
export const TEXTURE_SIZE = 128;
/** Default seed of the bases (the "model"); identities and samples have their own seeds. */
export const DEFAULT_MODEL_SEED = 3_000_001;

export const MATERIAL = { skin: 0, eye: 1, mouth: 2 } as const;

export interface Face3dmm {
  mesh: CanonicalMesh;
  modelSeed: number;
  /** Identity bases, [ID_DIM][vertexCount*3], already multiplied by their std (cm per unit coefficient). */
  idBases: Float32Array;
  /** Expression bases, [EXP_DIM][vertexCount*3], cm per unit coefficient. */
  expBases: Float32Array;
  /** Group means of α_id, [groups][ID_DIM]. */
  groupShapeMeans: Float32Array;
  /** Per triangle: MATERIAL.skin, .eye or .mouth. */
  triangleMaterial: Uint8Array;
  /** Feature masks in UV space, TEXTURE_SIZE², values in [0, 1]. */
  masks: { lips: Float32Array; brows: Float32Array; eyes: Float32Array };
  /** UV centres of the right and left eye (iris centres). */
  eyeCentres: [number, number, number, number];
}

/** Identity: shape coefficients and albedo texture. */
export interface IdentityParams {
  group: number;
  alpha: Float32Array;
  /** Linear-RGB albedo texture, TEXTURE_SIZE² × 3. */
  texture: Float32Array;
  /** Linear-RGB colours of the eye (sclera/iris mix is in the texture) and mouth interior materials. */
  mouthColour: [number, number, number];
}

/** sRGB 0-255 to linear [0, 1]. */
export function srgbToLinear(c: number): number {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
}

function gaussianField(out: Float32Array, mesh: CanonicalMesh, anchors: number[][], radius: number, mirror: boolean): void {
  // out[v] += Σ_a exp(-|p_v - c_a|² / 2r²) · d_a, with p_v = (|x|, y, z) and x mirrored when `mirror`.
  const p = mesh.positions;
  const inv = 1 / (2 * radius * radius);
  for (let v = 0; v < mesh.vertexCount; v++) {
    const x = p[3 * v]!;
    const px = mirror ? Math.abs(x) : x;
    const sx = mirror ? Math.sign(x) : 1;
    for (const [cx, cy, cz, dx, dy, dz] of anchors as [number, number, number, number, number, number][]) {
      const d2 = (px - cx) ** 2 + (p[3 * v + 1]! - cy) ** 2 + (p[3 * v + 2]! - cz) ** 2;
      const w = Math.exp(-d2 * inv);
      out[3 * v] += sx * w * dx;
      out[3 * v + 1] += w * dy;
      out[3 * v + 2] += w * dz;
    }
  }
}

function normaliseRms(field: Float32Array, target: number): void {
  let sum = 0;
  for (let i = 0; i < field.length; i++) sum += field[i]! ** 2;
  const rms = Math.sqrt(sum / (field.length / 3));
  if (rms > 0) for (let i = 0; i < field.length; i++) field[i] = (field[i]! * target) / rms;
}

function vertex(mesh: CanonicalMesh, i: number): [number, number, number] {
  return [mesh.positions[3 * i]!, mesh.positions[3 * i + 1]!, mesh.positions[3 * i + 2]!];
}

/** Identity bases: global scales then RBF fields, std decaying with k. */
function buildIdentityBases(mesh: CanonicalMesh, rng: Rng): Float32Array {
  const n = mesh.vertexCount * 3;
  const bases = new Float32Array(ID_DIM * n);
  const p = mesh.positions;
  // Global width/height/depth: 5 % std of each coordinate.
  for (let axis = 0; axis < 3; axis++) {
    const b = bases.subarray(axis * n, (axis + 1) * n);
    for (let v = 0; v < mesh.vertexCount; v++) b[3 * v + axis] = 0.05 * p[3 * v + axis]!;
  }
  const rightHalf: number[] = [];
  for (let v = 0; v < mesh.vertexCount; v++) if (p[3 * v]! >= 0) rightHalf.push(v);
  for (let k = 0; k < ID_SYMMETRIC + ID_ASYMMETRIC; k++) {
    const symmetric = k < ID_SYMMETRIC;
    const b = bases.subarray((ID_GLOBAL + k) * n, (ID_GLOBAL + k + 1) * n);
    const anchors: number[][] = [];
    const count = 1 + rng.int(3);
    for (let a = 0; a < count; a++) {
      const c = symmetric ? vertex(mesh, rightHalf[rng.int(rightHalf.length)]!) : vertex(mesh, rng.int(mesh.vertexCount));
      anchors.push([...c, rng.normal(), rng.normal(), 0.7 * rng.normal()]);
    }
    gaussianField(b, mesh, anchors, 1.2 + 2.8 * rng.next(), symmetric);
    // Std of coefficient k in cm of RMS displacement: large smooth changes first.
    normaliseRms(b, symmetric ? 0.32 * Math.pow(0.95, k) : 0.08);
  }
  return bases;
}

/** Expression fields; coefficient 1 is a strong expression. */
function buildExpressionBases(mesh: CanonicalMesh): Float32Array {
  const n = mesh.vertexCount * 3;
  const bases = new Float32Array(EXP_DIM * n);
  const p = mesh.positions;
  const base = (k: number) => bases.subarray(k * n, (k + 1) * n);
  // jawOpen: everything below the lip line drops and moves back, fading sideways.
  const lipLine = (p[3 * LANDMARK.upperLipInner + 1]! + p[3 * LANDMARK.lowerLipInner + 1]!) / 2;
  const jaw = base(0);
  for (let v = 0; v < mesh.vertexCount; v++) {
    const below = Math.min(1, Math.max(0, (lipLine - p[3 * v + 1]!) / 0.5));
    const side = Math.exp(-(p[3 * v]! ** 2) / (2 * 4.5 * 4.5));
    jaw[3 * v + 1] = -1.3 * below * side;
    jaw[3 * v + 2] = -0.35 * below * side;
  }
  const [mx, my, mz] = vertex(mesh, LANDMARK.mouthLeft);
  gaussianField(base(1), mesh, [[mx, my, mz, 0.35, 0.45, -0.2]], 1.1, true);
  const brows = [FEATURE_LOOPS.leftBrow[2], FEATURE_LOOPS.leftBrow[7]].map((i) => vertex(mesh, i));
  gaussianField(
    base(2),
    mesh,
    brows.map((c) => [...c, 0, 0.5, 0.05]),
    1.4,
    true,
  );
  const inner = vertex(mesh, FEATURE_LOOPS.leftBrow[4]);
  gaussianField(base(3), mesh, [[...inner, -0.3, -0.3, 0.05]], 1.0, true);
  const pucker = base(4);
  const mouthCentre = vertex(mesh, LANDMARK.upperLipInner);
  for (let v = 0; v < mesh.vertexCount; v++) {
    const d2 = (p[3 * v]! - mouthCentre[0]) ** 2 + (p[3 * v + 1]! - mouthCentre[1]) ** 2;
    const w = Math.exp(-d2 / (2 * 1.4 * 1.4));
    pucker[3 * v] = -0.35 * w * p[3 * v]!;
    pucker[3 * v + 2] = 0.45 * w;
  }
  const lowerLid = vertex(mesh, 374);
  gaussianField(base(5), mesh, [[...lowerLid, 0, 0.25, 0.05]], 0.9, true);
  return bases;
}

/** Rasterises a closed polygon (UV loop) into a mask, with a softened edge of `soft` texels. */
function polygonMask(mesh: CanonicalMesh, loop: readonly number[], out: Float32Array, soft: number): void {
  const s = TEXTURE_SIZE;
  const xs = loop.map((i) => mesh.uvs[2 * i]! * s);
  const ys = loop.map((i) => mesh.uvs[2 * i + 1]! * s);
  for (let ty = 0; ty < s; ty++) {
    for (let tx = 0; tx < s; tx++) {
      const px = tx + 0.5;
      const py = ty + 0.5;
      let inside = false;
      let minD2 = Infinity;
      for (let i = 0, j = loop.length - 1; i < loop.length; j = i++) {
        const xi = xs[i]!,
          yi = ys[i]!,
          xj = xs[j]!,
          yj = ys[j]!;
        if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
        const ex = xj - xi,
          ey = yj - yi;
        const t = Math.max(0, Math.min(1, ((px - xi) * ex + (py - yi) * ey) / (ex * ex + ey * ey || 1)));
        minD2 = Math.min(minD2, (px - xi - t * ex) ** 2 + (py - yi - t * ey) ** 2);
      }
      const d = Math.sqrt(minD2);
      const value = inside ? Math.min(1, 0.5 + d / (2 * soft)) : Math.max(0, 0.5 - d / (2 * soft));
      out[ty * s + tx] = Math.max(out[ty * s + tx]!, value);
    }
  }
}

function triangleMaterials(mesh: CanonicalMesh): Uint8Array {
  const material = new Uint8Array(mesh.triangleCount);
  const eyes = new Set<number>([...FEATURE_LOOPS.rightEye, ...FEATURE_LOOPS.leftEye]);
  const mouth = new Set<number>(FEATURE_LOOPS.innerLips);
  for (let t = 0; t < mesh.triangleCount; t++) {
    const v = [mesh.triangles[3 * t]!, mesh.triangles[3 * t + 1]!, mesh.triangles[3 * t + 2]!];
    if (v.every((i) => eyes.has(i))) material[t] = MATERIAL.eye;
    else if (v.every((i) => mouth.has(i))) material[t] = MATERIAL.mouth;
  }
  return material;
}

const modelCache = new Map<number, Face3dmm>();

/** Builds (once per seed) the model: bases, group means, materials and feature masks. */
export function createFace3dmm(modelSeed: number = DEFAULT_MODEL_SEED): Face3dmm {
  const hit = modelCache.get(modelSeed);
  if (hit) return hit;
  const mesh = loadCanonicalMesh();
  const rng = createRng(modelSeed);
  const idBases = buildIdentityBases(mesh, rng);
  const expBases = buildExpressionBases(mesh);
  const groupShapeMeans = new Float32Array(GROUPS.length * ID_DIM);
  for (let i = 0; i < groupShapeMeans.length; i++) groupShapeMeans[i] = 0.6 * rng.normal();
  const area = TEXTURE_SIZE * TEXTURE_SIZE;
  const masks = { lips: new Float32Array(area), brows: new Float32Array(area), eyes: new Float32Array(area) };
  polygonMask(mesh, FEATURE_LOOPS.outerLips, masks.lips, 1.5);
  polygonMask(mesh, FEATURE_LOOPS.rightBrow, masks.brows, 2);
  polygonMask(mesh, FEATURE_LOOPS.leftBrow, masks.brows, 2);
  polygonMask(mesh, FEATURE_LOOPS.rightEye, masks.eyes, 0.75);
  polygonMask(mesh, FEATURE_LOOPS.leftEye, masks.eyes, 0.75);
  const centre = (loop: readonly number[]): [number, number] => [
    loop.reduce((s, i) => s + mesh.uvs[2 * i]!, 0) / loop.length,
    loop.reduce((s, i) => s + mesh.uvs[2 * i + 1]!, 0) / loop.length,
  ];
  const [rx, ry] = centre(FEATURE_LOOPS.rightEye);
  const [lx, ly] = centre(FEATURE_LOOPS.leftEye);
  const model: Face3dmm = {
    mesh,
    modelSeed,
    idBases,
    expBases,
    groupShapeMeans,
    triangleMaterial: triangleMaterials(mesh),
    masks,
    eyeCentres: [rx, ry, lx, ly],
  };
  modelCache.set(modelSeed, model);
  return model;
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[rng.int(items.length)]!;
}

function linearColour(c: readonly [number, number, number], gain = 1): [number, number, number] {
  return [srgbToLinear(c[0]) * gain, srgbToLinear(c[1]) * gain, srgbToLinear(c[2]) * gain];
}

/** Draws one identity of `group`: α_id ~ N(μ_group, I) and an albedo texture. */
export function sampleIdentity(model: Face3dmm, group: number, rng: Rng): IdentityParams {
  const g = GROUPS[group]!;
  const alpha = new Float32Array(ID_DIM);
  for (let k = 0; k < ID_DIM; k++) alpha[k] = model.groupShapeMeans[group * ID_DIM + k]! + rng.normal();
  const s = TEXTURE_SIZE;
  const texture = new Float32Array(s * s * 3);
  // Skin tone: group colour with identity lightness and redness.
  const gain = Math.max(0.5, 1 + g.skinSpread * rng.normal());
  const skin = linearColour(g.skin, gain * gain);
  const redness = 1 + 0.06 * rng.normal();
  skin[0] *= redness;
  skin[2] /= redness;
  const brow = linearColour(g.brow, 0.7 + 0.6 * rng.next());
  const browDensity = 0.6 + 0.4 * rng.next();
  const hair = linearColour(pick(rng, g.hair), 0.7 + 0.6 * rng.next());
  const iris = linearColour(pick(rng, g.iris));
  const lip = [skin[0] * (1.05 + 0.1 * rng.next()), skin[1] * (0.62 + 0.1 * rng.next()), skin[2] * (0.7 + 0.1 * rng.next())];
  const sclera = linearColour([225, 220, 210]);
  // Blotches (low-frequency albedo), moles, and a wavy hairline.
  const blotches = Array.from({ length: 6 }, () => [rng.next(), rng.next(), 0.04 + 0.14 * rng.next(), 0.1 * rng.normal(), 0.05 * rng.normal()]);
  const moles = Array.from({ length: rng.int(4) }, () => [0.2 + 0.6 * rng.next(), 0.2 + 0.7 * rng.next(), 0.006 + 0.01 * rng.next()]);
  const hairline = 0.03 + 0.12 * rng.next();
  const hairWave = [0.02 * rng.normal(), 0.02 * rng.normal(), 2 + 4 * rng.next()];
  const [rx, ry, lx, ly] = model.eyeCentres;
  const irisRadius = 0.018 + 0.004 * rng.next();
  // Separable Gaussian blotches: exp(-(du²+dv²)/2r²) = gu(u)·gv(v), tabulated per axis.
  const blotchU = blotches.map(([bu, , br]) => Float32Array.from({ length: s }, (_, t) => Math.exp(-(((t + 0.5) / s - bu!) ** 2) / (2 * br! * br!))));
  const blotchV = blotches.map(([, bv, br]) => Float32Array.from({ length: s }, (_, t) => Math.exp(-(((t + 0.5) / s - bv!) ** 2) / (2 * br! * br!))));
  const grain = noiseStream(rng);
  for (let ty = 0; ty < s; ty++) {
    const v = (ty + 0.5) / s;
    for (let tx = 0; tx < s; tx++) {
      const u = (tx + 0.5) / s;
      let light = 1;
      let red = 1;
      for (let k = 0; k < blotches.length; k++) {
        const w = blotchU[k]![tx]! * blotchV[k]![ty]!;
        light += blotches[k]![3]! * w;
        red += blotches[k]![4]! * w;
      }
      light *= 1 + 0.012 * grain();
      let r = skin[0] * light * red;
      let gg = skin[1] * light;
      let b = (skin[2] * light) / red;
      for (const [mu, mv, mr] of moles as number[][]) {
        if ((u - mu!) ** 2 + (v - mv!) ** 2 < mr! * mr!) {
          r *= 0.45;
          gg *= 0.4;
          b *= 0.4;
        }
      }
      const i = ty * s + tx;
      const lipW = model.masks.lips[i]!;
      r += (lip[0]! - r) * lipW;
      gg += (lip[1]! - gg) * lipW;
      b += (lip[2]! - b) * lipW;
      const browW = model.masks.brows[i]! * browDensity;
      r += (brow[0] - r) * browW;
      gg += (brow[1] - gg) * browW;
      b += (brow[2] - b) * browW;
      const eyeW = model.masks.eyes[i]!;
      if (eyeW > 0) {
        const dr = Math.min(Math.hypot(u - rx, (v - ry) * 1.6), Math.hypot(u - lx, (v - ly) * 1.6));
        const e = dr < irisRadius * 0.45 ? [0.01, 0.01, 0.01] : dr < irisRadius ? iris : sclera;
        r += (e[0]! - r) * eyeW;
        gg += (e[1]! - gg) * eyeW;
        b += (e[2]! - b) * eyeW;
      }
      const hairEdge = hairline + hairWave[0]! * Math.sin(u * hairWave[2]! * Math.PI) + hairWave[1]! * Math.cos(u * 7);
      if (v < hairEdge) {
        const w = Math.min(1, (hairEdge - v) / 0.015);
        r += (hair[0] - r) * w;
        gg += (hair[1] - gg) * w;
        b += (hair[2] - b) * w;
      }
      texture[3 * i] = r;
      texture[3 * i + 1] = gg;
      texture[3 * i + 2] = b;
    }
  }
  const mouthColour: [number, number, number] = [0.05 + 0.03 * rng.next(), 0.012, 0.015];
  return { group, alpha, texture, mouthColour };
}

/** S = S̄ + A_id·α + A_exp·β, written into `out` (vertexCount*3). */
export function composeShape(model: Face3dmm, alpha: Float32Array, beta: ArrayLike<number>, out: Float32Array): Float32Array {
  const n = model.mesh.vertexCount * 3;
  out.set(model.mesh.positions);
  for (let k = 0; k < ID_DIM; k++) {
    const a = alpha[k]!;
    if (a === 0) continue;
    const b = model.idBases.subarray(k * n, (k + 1) * n);
    for (let i = 0; i < n; i++) out[i] += a * b[i]!;
  }
  for (let k = 0; k < EXP_DIM; k++) {
    const a = beta[k]!;
    if (a === 0) continue;
    const b = model.expBases.subarray(k * n, (k + 1) * n);
    for (let i = 0; i < n; i++) out[i] += a * b[i]!;
  }
  return out;
}
