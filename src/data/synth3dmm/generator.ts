// Synthetic 3DMM RGB-D faces: the embedded default of every face paper [recon].
//
// API (what the face papers call)
// -------------------------------
//   const gen = createFaceGenerator({ seed: 7 });          // size 112, default pose/light/expression ranges
//   const who = gen.identity(42);                          // identity 42: shape α_id, albedo, group
//   const face = who.render(sampleSeed);                   // one aligned RGB-D face
//     face.rgb    Uint8Array  size·size·3, HWC, sRGB 0-255
//     face.depth  Float32Array size·size, 0 = background, face in (0, 1]: 1 = nearest point,
//                 1 − (z_near − z)/(DEPTH_SPAN·size/112) (near = bright, as docs/papers/acw.md "Depth synthesis" normalises depth)
//     face.mask   Uint8Array  size·size, 1 where the face surface is visible
//     face.landmarks Float32Array(10): eye R, eye L, nose, mouth R, mouth L (x, y) after alignment
//   generateFaceSet({ ids: 100, perId: 10, seed: 7 })      // tensor-ready arrays:
//     images Float32Array [count, size, size, 3] in [0, 1]; depth Float32Array [count, size, size, 1];
//     labels Int32Array (identity 0..ids-1); groups Int32Array (index into GROUP_NAMES); groupNames.
//     (RGB + depth are 50,176 floats = 200 kB per 112² face: 10,000 faces take 2 GB; stream larger
//     sets through gen.identity(i).render(sampleSeedOf(seed, i, k)) instead, which gives the same faces.)
//     Disjoint train/test identities: firstId (e.g. train 0..999, test firstId 1000).
//   Options (FaceGeneratorOptions): size; pose {yaw, pitch, roll} max degrees (default 25/15/8);
//     expression scale (0 = neutral); occlusion {probability, maxPatches, inDepth}; noiseStd;
//     depthNoiseStd; alignJitter; groupOf(identity) → group (default identity mod 4); modelSeed.
//   Low resolution (lrfr): degradeImage(toFloatImage(face), { size: 16, blurSigma: 1, noiseStd: 0.01,
//     rng, upsampleTo: 112, downMethod: 'area' | 'bilinear' | 'bicubic', upMethod: ... }) — blur,
//     down-sampling, noise, up-sampling back to 112 (defaults: area down, bilinear up).
//   Depth as an image: depthImage(face); appearance groups: GROUPS / GROUP_NAMES (group-a..group-d).
//
// Determinism: identity i depends only on (seed, modelSeed, i); face (i, sampleSeed) only on those
// and the options; every random draw comes from createRng. Alignment: a similarity transform maps
// the five projected landmarks onto the ArcFace 112×112 template (scaled to `size`), as real
// aligned face crops are made; `alignJitter` adds landmark-detector noise.
import { createRng, type Rng } from '../../core/rng.js';
import { FEATURE_LOOPS, LANDMARK } from './mesh.js';
import {
  EXP_DIM,
  GROUP_NAMES,
  GROUPS,
  MATERIAL,
  TEXTURE_SIZE,
  composeShape,
  createFace3dmm,
  sampleIdentity,
  srgbToLinear,
  type Face3dmm,
  type GroupName,
  type IdentityParams,
} from './model.js';
import { noiseStream } from './noise.js';
import { createRasterTarget, rasterize, type RasterTarget, type ScreenMesh } from './raster.js';
import type { FloatImage } from './resample.js';

/** ArcFace's five-point template for 112×112 crops (insightface), x, y. */
export const ARCFACE_TEMPLATE_112 = [38.2946, 51.6963, 73.5318, 51.5014, 56.0252, 71.7366, 41.5493, 92.3655, 70.7299, 92.2041] as const;
/** Depth values span this many pixels of z (at size 112) from the nearest point to 0. */
export const DEPTH_SPAN_112 = 64;
/** Smallest depth value of a face pixel, so that face and background (0) stay distinct. */
export const DEPTH_FLOOR = 0.01;

export interface PoseRange {
  /** Max |yaw|, |pitch|, |roll| in degrees; angles are N(0, (max/2)²) clipped to ±max. */
  yaw: number;
  pitch: number;
  roll: number;
}

export interface OcclusionOptions {
  /** Probability that a face gets occluding patches. */
  probability: number;
  /** 1..maxPatches rectangles, each 15–40 % of the side. */
  maxPatches: number;
  /** Whether an occluder also covers the depth map (as the nearest surface, depth 1). */
  inDepth: boolean;
}

export interface FaceGeneratorOptions {
  /** Seed of identities and samples. */
  seed: number;
  /** Output side in pixels (the template is scaled from 112). Default 112. */
  size?: number;
  /** Seed of the model's bases; default DEFAULT_MODEL_SEED. Keep it fixed across runs. */
  modelSeed?: number;
  pose?: Partial<PoseRange>;
  /** Scale of expression coefficients (0 = neutral faces). Default 1. */
  expression?: number;
  occlusion?: Partial<OcclusionOptions>;
  /** Std of Gaussian RGB noise in [0, 1] units. Default 0.01. */
  noiseStd?: number;
  /** Std of Gaussian depth noise on face pixels, in depth units. Default 0. */
  depthNoiseStd?: number;
  /** Std of landmark noise in pixels before alignment (at size 112). Default 1. */
  alignJitter?: number;
  /** Group of identity i; default i mod 4 (balanced). Must return 0..GROUPS.length-1. */
  groupOf?: (identity: number) => number;
}

export interface FaceSample {
  size: number;
  identity: number;
  group: number;
  groupName: GroupName;
  rgb: Uint8Array;
  depth: Float32Array;
  mask: Uint8Array;
  landmarks: Float32Array;
  /** The drawn nuisance parameters (degrees, coefficients) for analysis. */
  params: { yaw: number; pitch: number; roll: number; expression: Float32Array; occluders: number };
}

export interface FaceIdentity {
  index: number;
  group: number;
  groupName: GroupName;
  render(sampleSeed: number): FaceSample;
}

export interface FaceGenerator {
  size: number;
  model: Face3dmm;
  identity(index: number): FaceIdentity;
}

/** Derives a child seed from a seed and integers (splitmix-style hashing through createRng). */
export function mixSeed(seed: number, ...parts: number[]): number {
  let s = seed >>> 0;
  for (const p of parts) s = createRng((Math.imul(s ^ 0x5bd1e995, 0x9e3779b1) + Math.imul(p + 1, 0x85ebca6b)) >>> 0).seed();
  return s;
}

const GAMMA_LUT_SIZE = 4096;
/** round(255·sRGB(l)) for l = i / GAMMA_LUT_SIZE: linear [0, 1] → 8-bit sRGB. */
const SRGB8_LUT = new Uint8Array(GAMMA_LUT_SIZE + 1);
for (let i = 0; i <= GAMMA_LUT_SIZE; i++) {
  const l = i / GAMMA_LUT_SIZE;
  SRGB8_LUT[i] = Math.round(255 * (l <= 0.0031308 ? 12.92 * l : 1.055 * Math.pow(l, 1 / 2.4) - 0.055));
}

/** LUT index of a linear intensity (clamped to [0, 1]). */
function lutIndex(l: number): number {
  return l <= 0 ? 0 : l >= 1 ? GAMMA_LUT_SIZE : (l * GAMMA_LUT_SIZE + 0.5) | 0;
}

function clippedNormal(rng: Rng, max: number): number {
  if (max <= 0) return 0;
  return Math.max(-max, Math.min(max, (max / 2) * rng.normal()));
}

/** Rotation R = Rz(roll)·Rx(pitch)·Ry(yaw), row-major 3×3. */
export function rotationMatrix(yawDeg: number, pitchDeg: number, rollDeg: number): Float64Array {
  const [y, p, r] = [yawDeg, pitchDeg, rollDeg].map((d) => (d * Math.PI) / 180) as [number, number, number];
  const cy = Math.cos(y),
    sy = Math.sin(y),
    cp = Math.cos(p),
    sp = Math.sin(p),
    cr = Math.cos(r),
    sr = Math.sin(r);
  const ry = [cy, 0, sy, 0, 1, 0, -sy, 0, cy];
  const rx = [1, 0, 0, 0, cp, -sp, 0, sp, cp];
  const rz = [cr, -sr, 0, sr, cr, 0, 0, 0, 1];
  const mul = (a: number[], b: number[]) =>
    Array.from(
      { length: 9 },
      (_, i) => a[3 * Math.floor(i / 3)]! * b[i % 3]! + a[3 * Math.floor(i / 3) + 1]! * b[3 + (i % 3)]! + a[3 * Math.floor(i / 3) + 2]! * b[6 + (i % 3)]!,
    );
  return Float64Array.from(mul(rz, mul(rx, ry)));
}

/** Least-squares similarity (Umeyama, 2-D) from src to dst points: [a, b, tx, ty] with x' = a x − b y + tx. */
export function similarityTransform(src: ArrayLike<number>, dst: ArrayLike<number>): [number, number, number, number] {
  const n = src.length / 2;
  let msx = 0,
    msy = 0,
    mdx = 0,
    mdy = 0;
  for (let i = 0; i < n; i++) {
    msx += src[2 * i]! / n;
    msy += src[2 * i + 1]! / n;
    mdx += dst[2 * i]! / n;
    mdy += dst[2 * i + 1]! / n;
  }
  let num1 = 0,
    num2 = 0,
    den = 0;
  for (let i = 0; i < n; i++) {
    const sx = src[2 * i]! - msx,
      sy = src[2 * i + 1]! - msy;
    const dx = dst[2 * i]! - mdx,
      dy = dst[2 * i + 1]! - mdy;
    num1 += sx * dx + sy * dy;
    num2 += sx * dy - sy * dx;
    den += sx * sx + sy * sy;
  }
  const a = num1 / den;
  const b = num2 / den;
  return [a, b, mdx - a * msx + b * msy, mdy - b * msx - a * msy];
}

/** Area-weighted vertex normals of `shape` (unit length). */
function vertexNormals(shape: Float32Array, triangles: Uint16Array, out: Float32Array): Float32Array {
  out.fill(0);
  for (let t = 0; t < triangles.length; t += 3) {
    const a = 3 * triangles[t]!,
      b = 3 * triangles[t + 1]!,
      c = 3 * triangles[t + 2]!;
    const ux = shape[b]! - shape[a]!,
      uy = shape[b + 1]! - shape[a + 1]!,
      uz = shape[b + 2]! - shape[a + 2]!;
    const vx = shape[c]! - shape[a]!,
      vy = shape[c + 1]! - shape[a + 1]!,
      vz = shape[c + 2]! - shape[a + 2]!;
    const nx = uy * vz - uz * vy,
      ny = uz * vx - ux * vz,
      nz = ux * vy - uy * vx;
    out[a] += nx;
    out[a + 1] += ny;
    out[a + 2] += nz;
    out[b] += nx;
    out[b + 1] += ny;
    out[b + 2] += nz;
    out[c] += nx;
    out[c + 1] += ny;
    out[c + 2] += nz;
  }
  for (let i = 0; i < out.length; i += 3) {
    const len = Math.hypot(out[i]!, out[i + 1]!, out[i + 2]!) || 1;
    out[i] = out[i]! / len;
    out[i + 1] = out[i + 1]! / len;
    out[i + 2] = out[i + 2]! / len;
  }
  return out;
}

interface Workspace {
  shape: Float32Array;
  normals: Float32Array;
  screen: ScreenMesh;
  target: RasterTarget;
}

function createWorkspace(model: Face3dmm, size: number): Workspace {
  const n = model.mesh.vertexCount;
  return {
    shape: new Float32Array(3 * n),
    normals: new Float32Array(3 * n),
    screen: {
      sx: new Float32Array(n),
      sy: new Float32Array(n),
      sz: new Float32Array(n),
      uvs: model.mesh.uvs,
      lambert: new Float32Array(n),
      triangles: model.mesh.triangles,
      triangleMaterial: model.triangleMaterial,
    },
    target: createRasterTarget(size),
  };
}

const EYE_LOOPS = [FEATURE_LOOPS.rightEye, FEATURE_LOOPS.leftEye] as const;

/** The nuisance parameters of one rendering, drawn from the sample's generator in a fixed order. */
interface Nuisance {
  yaw: number;
  pitch: number;
  roll: number;
  /** Expression coefficients (EXP_DIM). */
  beta: Float32Array;
  /** Unit light direction. */
  light: number[];
  ambient: number;
  diffuse: number;
  tint: number[];
  bgTop: number[];
  bgBottom: number[];
  /** Offsets (px) of the ten template coordinates of the alignment. */
  jitter: number[];
}

function drawNuisance(rng: Rng, o: ResolvedOptions, scale112: number): Nuisance {
  const yaw = clippedNormal(rng, o.pose.yaw);
  const pitch = clippedNormal(rng, o.pose.pitch);
  const roll = clippedNormal(rng, o.pose.roll);
  const beta = new Float32Array(EXP_DIM);
  for (let k = 0; k < EXP_DIM; k++) beta[k] = o.expression * 0.4 * rng.normal();
  beta[0] = Math.abs(beta[0]!); // the jaw only opens
  const azimuth = ((rng.next() - 0.5) * 120 * Math.PI) / 180;
  const elevation = ((rng.next() * 70 - 20) * Math.PI) / 180;
  const light = [Math.sin(azimuth) * Math.cos(elevation), Math.sin(elevation), Math.cos(azimuth) * Math.cos(elevation)];
  const ambient = 0.25 + 0.3 * rng.next();
  const diffuse = 0.75 - ambient + 0.35 + 0.25 * rng.next();
  const tint = [1 + 0.05 * rng.normal(), 1, 1 + 0.05 * rng.normal()];
  const bgTop = [rng.next(), rng.next(), rng.next()];
  const bgBottom = bgTop.map((c) => Math.min(1, Math.max(0, c + 0.3 * rng.normal())));
  const jitter = Array.from({ length: 10 }, () => o.alignJitter * scale112 * rng.normal());
  return { yaw, pitch, roll, beta, light, ambient, diffuse, tint, bgTop, bgBottom, jitter };
}

/** Shape, normals and pose: the rotated vertices (image y down) and their Lambert terms, into ws.screen. */
function poseAndLight(model: Face3dmm, ws: Workspace, alpha: Float32Array, nu: Nuisance): void {
  const shape = composeShape(model, alpha, nu.beta, ws.shape);
  const normals = vertexNormals(shape, model.mesh.triangles, ws.normals);
  const R = rotationMatrix(nu.yaw, nu.pitch, nu.roll);
  const light = nu.light;
  const n = model.mesh.vertexCount;
  const { sx, sy, sz, lambert } = ws.screen;
  for (let v = 0; v < n; v++) {
    const x = shape[3 * v]!,
      y = shape[3 * v + 1]!,
      z = shape[3 * v + 2]!;
    sx[v] = R[0]! * x + R[1]! * y + R[2]! * z;
    sy[v] = -(R[3]! * x + R[4]! * y + R[5]! * z); // image y points down
    sz[v] = R[6]! * x + R[7]! * y + R[8]! * z;
    const nx = normals[3 * v]!,
      ny = normals[3 * v + 1]!,
      nz = normals[3 * v + 2]!;
    const rnx = R[0]! * nx + R[1]! * ny + R[2]! * nz;
    const rny = R[3]! * nx + R[4]! * ny + R[5]! * nz;
    const rnz = R[6]! * nx + R[7]! * ny + R[8]! * nz;
    lambert[v] = Math.max(0, rnx * light[0]! + rny * light[1]! + rnz * light[2]!);
  }
}

/**
 * Five landmarks → ArcFace template (similarity alignment, template coordinates offset by `jitter`):
 * moves the screen vertices in place and returns the aligned landmarks.
 */
function alignToTemplate(screen: ScreenMesh, n: number, jitter: number[], scale112: number): Float32Array {
  const { sx, sy, sz } = screen;
  const src = new Float64Array(10);
  EYE_LOOPS.forEach((loop, e) => {
    for (const i of loop) {
      src[2 * e] += sx[i]! / loop.length;
      src[2 * e + 1] += sy[i]! / loop.length;
    }
  });
  [LANDMARK.noseTip, LANDMARK.mouthRight, LANDMARK.mouthLeft].forEach((i, k) => {
    src[4 + 2 * k] = sx[i]!;
    src[5 + 2 * k] = sy[i]!;
  });
  const dst = ARCFACE_TEMPLATE_112.map((c, i) => c * scale112 + jitter[i]!);
  const [a, b, tx, ty] = similarityTransform(src, dst);
  const s = Math.hypot(a, b);
  for (let v = 0; v < n; v++) {
    const x = sx[v]!,
      y = sy[v]!;
    sx[v] = a * x - b * y + tx;
    sy[v] = b * x + a * y + ty;
    sz[v] = s * sz[v]!;
  }
  const landmarks = new Float32Array(10);
  for (let k = 0; k < 5; k++) {
    landmarks[2 * k] = a * src[2 * k]! - b * src[2 * k + 1]! + tx;
    landmarks[2 * k + 1] = b * src[2 * k]! + a * src[2 * k + 1]! + ty;
  }
  return landmarks;
}

/** Colour (texture or mouth × ambient + diffuse light, over a gradient background), depth and mask of the rasterised face. */
function shade(
  target: RasterTarget,
  who: IdentityParams,
  nu: Nuisance,
  size: number,
  scale112: number,
): { rgb: Uint8Array; depth: Float32Array; mask: Uint8Array } {
  const { zbuf, u, v: tv, lambert: lam, material } = target;
  const { tint, bgTop, bgBottom } = nu;
  const pixels = size * size;
  let zNear = -Infinity;
  for (let p = 0; p < pixels; p++) if (material[p]! > 0 && zbuf[p]! > zNear) zNear = zbuf[p]!;
  const rgb = new Uint8Array(pixels * 3);
  const depth = new Float32Array(pixels);
  const mask = new Uint8Array(pixels);
  const span = DEPTH_SPAN_112 * scale112;
  const tex = who.texture;
  const T = TEXTURE_SIZE;
  const amb = [nu.ambient * tint[0]!, nu.ambient * tint[1]!, nu.ambient * tint[2]!];
  const dif = [nu.diffuse * tint[0]!, nu.diffuse * tint[1]!, nu.diffuse * tint[2]!];
  for (let p = 0; p < pixels; p++) {
    const mat = material[p]!;
    let r: number, g: number, bl: number;
    if (mat === 0) {
      const t = Math.floor(p / size) / size;
      r = bgTop[0]! + (bgBottom[0]! - bgTop[0]!) * t;
      g = bgTop[1]! + (bgBottom[1]! - bgTop[1]!) * t;
      bl = bgTop[2]! + (bgBottom[2]! - bgTop[2]!) * t;
      r = r * r; // background colours are drawn in sRGB-ish space; square ≈ linearise
      g = g * g;
      bl = bl * bl;
    } else {
      mask[p] = 1;
      depth[p] = Math.max(DEPTH_FLOOR, 1 - (zNear - zbuf[p]!) / span);
      let ar: number, ag: number, ab: number;
      if (mat - 1 === MATERIAL.mouth) {
        ar = who.mouthColour[0];
        ag = who.mouthColour[1];
        ab = who.mouthColour[2];
      } else {
        const tx = Math.min(T - 1, Math.max(0, Math.floor(u[p]! * T)));
        const ty = Math.min(T - 1, Math.max(0, Math.floor(tv[p]! * T)));
        const ti = 3 * (ty * T + tx);
        ar = tex[ti]!;
        ag = tex[ti + 1]!;
        ab = tex[ti + 2]!;
      }
      const l = lam[p]!;
      r = ar * (amb[0]! + dif[0]! * l);
      g = ag * (amb[1]! + dif[1]! * l);
      bl = ab * (amb[2]! + dif[2]! * l);
    }
    rgb[3 * p] = SRGB8_LUT[lutIndex(r)]!;
    rgb[3 * p + 1] = SRGB8_LUT[lutIndex(g)]!;
    rgb[3 * p + 2] = SRGB8_LUT[lutIndex(bl)]!;
  }
  return { rgb, depth, mask };
}

/** Occluding patches (sunglasses, hands, scarves stand-ins): striped rectangles; returns how many. */
function drawOccluders(rgb: Uint8Array, depth: Float32Array, size: number, rng: Rng, o: ResolvedOptions): number {
  if (!(o.occlusion.probability > 0 && rng.next() < o.occlusion.probability)) return 0;
  const occluders = 1 + rng.int(Math.max(1, o.occlusion.maxPatches));
  for (let k = 0; k < occluders; k++) {
    const w = Math.max(1, Math.round(size * (0.15 + 0.25 * rng.next())));
    const h = Math.max(1, Math.round(size * (0.15 + 0.25 * rng.next())));
    const x0 = rng.int(size - w + 1);
    const y0 = rng.int(size - h + 1);
    const base = [rng.int(256), rng.int(256), rng.int(256)];
    const period = 2 + rng.int(8);
    for (let y = y0; y < y0 + h; y++)
      for (let x = x0; x < x0 + w; x++) {
        const p = y * size + x;
        const stripe = Math.floor((x + y) / period) % 2 === 0 ? 1 : 0.7;
        rgb[3 * p] = Math.round(base[0]! * stripe);
        rgb[3 * p + 1] = Math.round(base[1]! * stripe);
        rgb[3 * p + 2] = Math.round(base[2]! * stripe);
        if (o.occlusion.inDepth) depth[p] = 1;
      }
  }
  return occluders;
}

/** Sensor noise on the colours (8-bit, clipped) and on the face's depth. */
function addNoise(rgb: Uint8Array, depth: Float32Array, mask: Uint8Array, rng: Rng, o: ResolvedOptions): void {
  if (o.noiseStd > 0) {
    const sigma = 255 * o.noiseStd;
    const noise = noiseStream(rng);
    for (let i = 0; i < rgb.length; i++) rgb[i] = Math.min(255, Math.max(0, Math.round(rgb[i]! + sigma * noise())));
  }
  if (o.depthNoiseStd > 0) {
    const noise = noiseStream(rng);
    for (let p = 0; p < depth.length; p++) if (mask[p]) depth[p] = Math.min(1, Math.max(DEPTH_FLOOR, depth[p]! + o.depthNoiseStd * noise()));
  }
}

/** Renders identity `who` with the nuisance parameters drawn from `rng` (pose, expression, light, occluders, noise). */
function renderFace(model: Face3dmm, ws: Workspace, who: IdentityParams, rng: Rng, o: ResolvedOptions): Omit<FaceSample, 'identity' | 'group' | 'groupName'> {
  const size = o.size;
  const scale112 = size / 112;
  const nu = drawNuisance(rng, o, scale112);
  poseAndLight(model, ws, who.alpha, nu);
  const landmarks = alignToTemplate(ws.screen, model.mesh.vertexCount, nu.jitter, scale112);
  rasterize(ws.screen, ws.target);
  const { rgb, depth, mask } = shade(ws.target, who, nu, size, scale112);
  const occluders = drawOccluders(rgb, depth, size, rng, o);
  addNoise(rgb, depth, mask, rng, o);
  return { size, rgb, depth, mask, landmarks, params: { yaw: nu.yaw, pitch: nu.pitch, roll: nu.roll, expression: nu.beta, occluders } };
}

interface ResolvedOptions {
  seed: number;
  size: number;
  modelSeed: number | undefined;
  pose: PoseRange;
  expression: number;
  occlusion: OcclusionOptions;
  noiseStd: number;
  depthNoiseStd: number;
  alignJitter: number;
  groupOf: (identity: number) => number;
}

function resolveOptions(options: FaceGeneratorOptions): ResolvedOptions {
  const size = options.size ?? 112;
  if (!Number.isInteger(size) || size < 8) throw new RangeError(`face size must be an integer ≥ 8, got ${size}`);
  return {
    seed: options.seed >>> 0,
    size,
    modelSeed: options.modelSeed,
    pose: { yaw: 25, pitch: 15, roll: 8, ...options.pose },
    expression: options.expression ?? 1,
    occlusion: { probability: 0, maxPatches: 2, inDepth: true, ...options.occlusion },
    noiseStd: options.noiseStd ?? 0.01,
    depthNoiseStd: options.depthNoiseStd ?? 0,
    alignJitter: options.alignJitter ?? 1,
    groupOf: options.groupOf ?? ((i) => i % GROUPS.length),
  };
}

/** A deterministic face generator; identities are built lazily and cached (the 64 most recently created, ~0.45 MB each). */
export function createFaceGenerator(options: FaceGeneratorOptions): FaceGenerator {
  const o = resolveOptions(options);
  const model = createFace3dmm(o.modelSeed);
  const ws = createWorkspace(model, o.size);
  const cache = new Map<number, FaceIdentity>();
  const identity = (index: number): FaceIdentity => {
    if (!Number.isInteger(index) || index < 0) throw new RangeError(`identity index must be a non-negative integer, got ${index}`);
    const hit = cache.get(index);
    if (hit) return hit;
    const group = o.groupOf(index);
    if (!Number.isInteger(group) || group < 0 || group >= GROUPS.length) throw new RangeError(`groupOf(${index}) = ${group}, expected 0..${GROUPS.length - 1}`);
    const params = sampleIdentity(model, group, createRng(mixSeed(o.seed, 1, index)));
    const who: FaceIdentity = {
      index,
      group,
      groupName: GROUP_NAMES[group]!,
      render(sampleSeed: number): FaceSample {
        const face = renderFace(model, ws, params, createRng(mixSeed(o.seed, 2, index, sampleSeed >>> 0)), o);
        return { ...face, identity: index, group, groupName: GROUP_NAMES[group]! };
      },
    };
    if (cache.size >= 64) cache.delete(cache.keys().next().value!);
    cache.set(index, who);
    return who;
  };
  return { size: o.size, model, identity };
}

export interface FaceSetOptions extends FaceGeneratorOptions {
  ids: number;
  perId: number;
  /** Index of the first identity (disjoint train/test sets: use different ranges). Default 0. */
  firstId?: number;
}

export interface FaceSet {
  /** [count, size, size, 3] RGB in [0, 1]. */
  images: Float32Array;
  /** [count, size, size, 1] depth (see FaceSample.depth). */
  depth: Float32Array;
  /** Identity label 0..ids-1 (identity firstId + label). */
  labels: Int32Array;
  /** Appearance group per sample, index into groupNames. */
  groups: Int32Array;
  groupNames: readonly GroupName[];
  count: number;
  height: number;
  width: number;
  channels: 3;
  classes: number;
}

/** Sample seed of the k-th face of an identity in generateFaceSet and `repro data synth`. */
export function sampleSeedOf(seed: number, identity: number, k: number): number {
  return mixSeed(seed, 3, identity, k);
}

/** ids × perId faces, identity-major order (all faces of label 0 first). */
export function generateFaceSet(options: FaceSetOptions): FaceSet {
  const { ids, perId } = options;
  if (!Number.isInteger(ids) || ids < 1 || !Number.isInteger(perId) || perId < 1) {
    throw new RangeError(`generateFaceSet: ids and perId must be positive integers, got ${ids} and ${perId}`);
  }
  const gen = createFaceGenerator(options);
  const size = gen.size;
  const count = ids * perId;
  const pixels = size * size;
  const images = new Float32Array(count * pixels * 3);
  const depth = new Float32Array(count * pixels);
  const labels = new Int32Array(count);
  const groups = new Int32Array(count);
  const first = options.firstId ?? 0;
  let j = 0;
  for (let i = 0; i < ids; i++) {
    const who = gen.identity(first + i);
    for (let k = 0; k < perId; k++, j++) {
      const face = who.render(sampleSeedOf(options.seed, first + i, k));
      const off = j * pixels * 3;
      for (let q = 0; q < pixels * 3; q++) images[off + q] = face.rgb[q]! / 255;
      depth.set(face.depth, j * pixels);
      labels[j] = i;
      groups[j] = who.group;
    }
  }
  return { images, depth, labels, groups, groupNames: GROUP_NAMES, count, height: size, width: size, channels: 3, classes: ids };
}

/** A face's RGB as a Float32 [0, 1] image (for degradeImage and embedders). */
export function toFloatImage(face: FaceSample): FloatImage {
  const data = new Float32Array(face.rgb.length);
  for (let i = 0; i < data.length; i++) data[i] = face.rgb[i]! / 255;
  return { data, width: face.size, height: face.size, channels: 3 };
}

/** A face's depth as a one-channel image. */
export function depthImage(face: FaceSample): FloatImage {
  return { data: face.depth.slice(), width: face.size, height: face.size, channels: 1 };
}

export { srgbToLinear };
