// The premise of the paper (abstract item 1, docs/papers/gabn.md "What is certain": the sensitive regions of
// darker-skinned faces are much smaller), checked on a frozen pretrained face model, inference only
// ("Suggested quick profile" (a), [recon]): matched renders that differ only in skin tone — one rendered
// face (geometry, pose, light, texture pattern) whose face pixels get the linear-RGB albedo gain that maps
// its group's mean skin colour to each appearance group's — and their input-gradient attention maps.
// Shading is linear in the albedo (src/data/synth3dmm/generator.ts "shade"), so the gain is the render
// with a re-tinted albedo, up to the 8-bit rounding and the render's small sensor noise.
import { tf } from '../../engine/tf.js';
import type { DifferentiableFaceNet } from '../../data/pretrained.js';
import { createFaceGenerator, GROUPS, mixSeed } from '../../data/synth3dmm/index.js';
import { srgbToLinear } from '../../data/synth3dmm/model.js';
import { cosineToReference, inputGradientMaps, leaveOneOutReferences } from './gam.js';

type Tensor4D = tf.Tensor4D;

/** Per-channel linear-RGB gain from the mean skin colour of group `from` to that of group `to`. */
export function toneGain(from: number, to: number): [number, number, number] {
  const a = GROUPS[from]!.skin;
  const b = GROUPS[to]!.skin;
  return [0, 1, 2].map((c) => srgbToLinear(b[c]!) / srgbToLinear(a[c]!)) as [number, number, number];
}

function linearToSrgb(l: number): number {
  const c = Math.min(1, Math.max(0, l));
  return c <= 0.0031308 ? 12.92 * c : 1.055 * Math.pow(c, 1 / 2.4) - 0.055;
}

/** An 8-bit RGB render with its face pixels (mask = 1) scaled by `gain` in linear RGB: [0, 1] floats. */
export function recolourFace(rgb: Uint8Array, mask: Uint8Array, gain: readonly [number, number, number]): Float32Array {
  const out = new Float32Array(rgb.length);
  for (let p = 0; p < mask.length; p++)
    for (let c = 0; c < 3; c++) {
      const v = rgb[3 * p + c]! / 255;
      out[3 * p + c] = mask[p] ? linearToSrgb(srgbToLinear(255 * v) * gain[c]!) : v;
    }
  return out;
}

export interface ToneRenders {
  /** count × size × size × 3 in [0, 1]; order identity, render, tone. */
  images: Float32Array;
  count: number;
  size: number;
  /** 0-based identity of each image. */
  identity: Int32Array;
  /** Skin tone (index into GROUPS) of each image. */
  tone: Int32Array;
}

export interface ToneRenderOptions {
  seed: number;
  ids: number;
  perId: number;
  size: number;
  /** First identity of the generator (identities keep their own group, i mod 4, as the base render). */
  firstId: number;
}

/** Every identity rendered `perId` times, each render re-tinted to every group's skin tone. */
export function matchedToneRenders(o: ToneRenderOptions): ToneRenders {
  const gen = createFaceGenerator({ seed: o.seed, size: o.size });
  const tones = GROUPS.length;
  const count = o.ids * o.perId * tones;
  const px = o.size * o.size * 3;
  const images = new Float32Array(count * px);
  const identity = new Int32Array(count);
  const tone = new Int32Array(count);
  let j = 0;
  for (let i = 0; i < o.ids; i++) {
    const who = gen.identity(o.firstId + i);
    for (let k = 0; k < o.perId; k++) {
      const face = who.render(mixSeed(o.seed, 4, o.firstId + i, k));
      for (let t = 0; t < tones; t++, j++) {
        images.set(recolourFace(face.rgb, face.mask, toneGain(who.group, t)), j * px);
        identity[j] = i;
        tone[j] = t;
      }
    }
  }
  return { images, count, size: o.size, identity, tone };
}

export interface ToneAttention {
  /** count × grid² input-gradient maps, max-normalised. */
  maps: Float32Array;
  /** cos(embedding, leave-one-out reference) of each image. */
  cosines: Float64Array;
}

/**
 * Input-gradient GAMs of a differentiable face net on the renders: target z = cos(f(x), r), r the mean
 * normalised embedding of the same identity's other renders at the same tone.
 */
export async function toneAttention(net: DifferentiableFaceNet, renders: ToneRenders, grid: number, batchSize = 8): Promise<ToneAttention> {
  const { count, size } = renders;
  const px = size * size * 3;
  const dim = net.dim;
  const batch = (start: number, n: number) => tf.tensor4d(renders.images.subarray(start * px, (start + n) * px), [n, size, size, 3]);
  const emb = new Float32Array(count * dim);
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    const e = tf.tidy(() => net.forward(batch(start, n)));
    emb.set(await e.data(), start * dim);
    e.dispose();
  }
  const labels = Int32Array.from(renders.identity, (id, i) => id * GROUPS.length + renders.tone[i]!);
  const refs = leaveOneOutReferences(emb, dim, labels);
  const cells = grid * grid;
  const maps = new Float32Array(count * cells);
  const cosines = new Float64Array(count);
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    const [m, c] = tf.tidy(() => {
      const r = tf.tensor2d(refs.subarray(start * dim, (start + n) * dim), [n, dim]);
      const target = (x: Tensor4D) => cosineToReference(net.forward(x), r);
      const x = batch(start, n);
      return [inputGradientMaps(x, target, grid), target(x)];
    });
    maps.set(await m.data(), start * cells);
    cosines.set(await c.data(), start);
    tf.dispose([m, c]);
  }
  return { maps, cosines };
}
