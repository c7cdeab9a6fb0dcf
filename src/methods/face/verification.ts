// Verification of a trained face recogniser on held-out identities: LFW-style pairs drawn from a labelled
// set (10 folds with disjoint identities) and the InsightFace protocol on flip-summed embeddings.
import { insightfaceVerification, rocAuc, rocCurve, tarAtFar, type TarAtFar, type VerificationResult } from '../../eval/index.js';
import { createRng } from '../../core/rng.js';
import { embedImages, mirrorImages, type FaceNet } from '../../nets/face/index.js';
import type { FaceDataset } from './train.js';

/** A verification pair: indices of two images of a dataset. */
export interface ImagePair {
  a: number;
  b: number;
  same: boolean;
}

/**
 * LFW-style pairs on a labelled set: 10 folds with disjoint identities (identity mod folds), per fold
 * `perFold` same-identity then `perFold` different-identity pairs, drawn without repeats.
 */
export function makeVerificationPairs(labels: Int32Array, classes: number, perFold: number, folds: number, seed: number): ImagePair[] {
  const rng = createRng(seed);
  const byId: number[][] = Array.from({ length: classes }, () => []);
  labels.forEach((l, i) => byId[l]!.push(i));
  const pairs: ImagePair[] = [];
  for (let f = 0; f < folds; f++) {
    const ids = byId.map((_, i) => i).filter((i) => i % folds === f && byId[i]!.length > 0);
    const same: ImagePair[] = [];
    for (const i of ids) {
      const m = byId[i]!;
      for (let p = 0; p < m.length; p++) for (let q = p + 1; q < m.length; q++) same.push({ a: m[p]!, b: m[q]!, same: true });
    }
    if (same.length < perFold || ids.length < 2) throw new RangeError(`fold ${f}: not enough images for ${perFold} same and different pairs`);
    pairs.push(...rng.shuffle(same).slice(0, perFold));
    const seen = new Set<string>();
    let guard = 0;
    while (pairs.length < (f + 1) * 2 * perFold) {
      if (++guard > 1e6) throw new RangeError(`fold ${f}: cannot draw ${perFold} distinct different-identity pairs`);
      const i1 = ids[rng.int(ids.length)]!;
      const i2 = ids[rng.int(ids.length)]!;
      if (i1 === i2) continue;
      const a = byId[i1]![rng.int(byId[i1]!.length)]!;
      const b = byId[i2]![rng.int(byId[i2]!.length)]!;
      const key = a < b ? `${a},${b}` : `${b},${a}`;
      if (seen.has(key)) continue;
      seen.add(key);
      pairs.push({ a, b, same: false });
    }
  }
  return pairs;
}

/** Interleaves the rows of a (count × dim) embedding matrix by pair: rows 2p, 2p+1 = pair p. */
export function interleavePairs(embeddings: Float32Array, dim: number, pairs: ImagePair[]): Float32Array {
  const out = new Float32Array(pairs.length * 2 * dim);
  pairs.forEach((p, k) => {
    out.set(embeddings.subarray(p.a * dim, (p.a + 1) * dim), 2 * k * dim);
    out.set(embeddings.subarray(p.b * dim, (p.b + 1) * dim), (2 * k + 1) * dim);
  });
  return out;
}

export interface VerificationReport {
  /** InsightFace 10-fold accuracy (flip-summed embeddings, squared L2). */
  verification: VerificationResult;
  /** ROC AUC of the cosine similarities of the flip-summed embeddings (2 − d²)/2. */
  auc: number;
  /** TAR at FAR = 1e-2 on the same scores. */
  tarAtFar1e2: number;
  /** The ROC of the same scores at ROC_FARS. */
  roc: TarAtFar[];
}

/** Embeds a test set (and its mirror) and runs the InsightFace protocol on the pairs. */
export async function verifyOnPairs(net: FaceNet, data: FaceDataset, pairs: ImagePair[], folds = 10): Promise<VerificationReport> {
  const dim = net.config.embeddingDim;
  const emb = await embedImages(net, data.images, data.count);
  const flipped = await embedImages(net, mirrorImages(data.images, data.count, data.size, data.channels), data.count);
  const n = pairs.length * 2;
  const verification = insightfaceVerification(
    {
      embeddings: { data: interleavePairs(emb, dim, pairs), n, dim },
      flipped: { data: interleavePairs(flipped, dim, pairs), n, dim },
      issame: pairs.map((p) => p.same),
    },
    folds,
  );
  // cos = 1 − d²/2 on unit vectors: similarity for the threshold-free metrics
  const similarity = Array.from(verification.scores, (d) => 1 - d / 2);
  const issame = pairs.map((p) => p.same);
  return { verification, auc: rocAuc(similarity, issame), tarAtFar1e2: tarAtFar(similarity, issame, 1e-2).tar, roc: rocCurve(similarity, issame) };
}
