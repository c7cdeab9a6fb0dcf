// Measurements of a trained network per group (docs/papers/gabn.md "Experimental protocol" and "Claims
// testable at small scale"): RFW-style 10-fold verification accuracy per group (the InsightFace protocol of
// src/eval/verification.ts on LFW-style pairs of src/methods/face/verification.ts), GAMs of test images
// with the similarity target (each image's leave-one-out identity mean), their attention area, and a fresh
// group probe trained on test GAMs (how much group information the maps still carry, chance = 1/groups).
import { tf } from '../../engine/tf.js';
import { createRng } from '../../core/rng.js';
import { insightfaceVerification } from '../../eval/verification.js';
import { normalizeInput } from '../../nets/face/index.js';
import { interleavePairs, type ImagePair } from '../face/index.js';
import { correctCount, createGroupDiscriminator } from './discriminator.js';
import { attentionArea, cosineToReference, gradientAttentionMaps, leaveOneOutReferences } from './gam.js';
import { embedWithGabnNet, imageBatch, type FaceImageData, type GabnNet } from './net.js';

/** Flip-summed 10-fold accuracy (%) of `pairs` over images (n × S × S × 3) embedded by `net`. */
export async function pairVerificationAccuracy(net: GabnNet, images: FaceImageData, count: number, pairs: ImagePair[]): Promise<number> {
  const dim = net.config.embeddingDim;
  const emb = await embedWithGabnNet(net, images, count);
  const flipped = await embedWithGabnNet(net, images, count, true);
  const n = 2 * pairs.length;
  const result = insightfaceVerification({
    embeddings: { data: interleavePairs(emb, dim, pairs), n, dim },
    flipped: { data: interleavePairs(flipped, dim, pairs), n, dim },
    issame: pairs.map((p) => p.same),
  });
  return 100 * result.accuracy;
}

/**
 * GAMs (n × G², max-normalised) of images under the similarity target: z_i = cos(f(x_i), r_i) with r_i the
 * mean normalised embedding of the other images of the same identity (leaveOneOutReferences) [recon].
 */
export async function testAttentionMaps(
  net: GabnNet,
  images: FaceImageData,
  count: number,
  identities: ArrayLike<number>,
  batchSize = 32,
): Promise<Float32Array> {
  const s = net.config.inputSize;
  const dim = net.config.embeddingDim;
  const refs = leaveOneOutReferences(await embedWithGabnNet(net, images, count), dim, identities);
  const cells = net.grid * net.grid;
  const out = new Float32Array(count * cells);
  for (let start = 0; start < count; start += batchSize) {
    const n = Math.min(batchSize, count - start);
    const maps = tf.tidy(() => {
      const x = normalizeInput(imageBatch(images, start, n, s));
      const r = tf.tensor2d(refs.subarray(start * dim, (start + n) * dim), [n, dim]);
      return gradientAttentionMaps(net.features(x, false), (a) => cosineToReference(net.embed(a, false), r), net.grid);
    });
    out.set(await maps.data(), start * cells);
    maps.dispose();
  }
  return out;
}

/** Mean map (G²) of the rows of `maps` whose `groups` entry is `group`. */
export function meanMap(maps: Float32Array, cells: number, groups: ArrayLike<number>, group: number): Float32Array {
  const out = new Float32Array(cells);
  let count = 0;
  for (let i = 0; i < groups.length; i++) {
    if (groups[i] !== group) continue;
    for (let c = 0; c < cells; c++) out[c]! += maps[i * cells + c]!;
    count++;
  }
  return out.map((v) => (count ? v / count : 0));
}

/** Mean attention area (share of cells > 0.5) of the rows of each group, groups 0..groupCount-1. */
export function groupAreas(maps: Float32Array, cells: number, groups: ArrayLike<number>, groupCount: number): number[] {
  const area = attentionArea(maps, groups.length, cells);
  return Array.from({ length: groupCount }, (_, g) => {
    let s = 0;
    let k = 0;
    for (let i = 0; i < groups.length; i++)
      if (groups[i] === g) {
        s += area[i]!;
        k++;
      }
    return k ? s / k : Number.NaN;
  });
}

export interface ProbeOptions {
  hidden: number;
  steps: number;
  lr: number;
  seed: number;
}

/**
 * A fresh discriminator (same shape as in training) fitted with Adam, full batch, on the GAMs of the test
 * even-ranked identities of each group and scored on the others (identity-disjoint, every group on both sides): accuracy in %.
 */
export async function groupProbeAccuracy(
  maps: Float32Array,
  cells: number,
  groups: Int32Array,
  identities: ArrayLike<number>,
  groupCount: number,
  o: ProbeOptions,
): Promise<number> {
  // The k-th identity of each group (in order of appearance) trains the probe when k is even.
  const rank = new Map<number, number>();
  const seen = Array.from({ length: groupCount }, () => 0);
  for (let i = 0; i < groups.length; i++) if (!rank.has(identities[i]!)) rank.set(identities[i]!, seen[groups[i]!]!++);
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < groups.length; i++) (rank.get(identities[i]!)! % 2 === 0 ? train : test).push(i);
  if (train.length === 0 || test.length === 0) throw new RangeError('groupProbeAccuracy: needs test identities of both parities');
  const rows = (idx: number[]) => {
    const x = new Float32Array(idx.length * cells);
    idx.forEach((i, k) => x.set(maps.subarray(i * cells, (i + 1) * cells), k * cells));
    return { x: tf.tensor2d(x, [idx.length, cells]), y: Int32Array.from(idx, (i) => groups[i]!) };
  };
  const probe = createGroupDiscriminator(cells, o.hidden, groupCount, createRng(o.seed).seed());
  const optimizer = tf.train.adam(o.lr);
  const tr = rows(train);
  const te = rows(test);
  try {
    for (let s = 0; s < o.steps; s++) optimizer.minimize(() => probe.loss(tr.x, tr.y), false, probe.variables);
    const hits = tf.tidy(() => correctCount(probe.logits(te.x), te.y));
    const correct = (await hits.data())[0]!;
    hits.dispose();
    return (100 * correct) / test.length;
  } finally {
    optimizer.dispose();
    probe.dispose();
    tr.x.dispose();
    te.x.dispose();
  }
}
