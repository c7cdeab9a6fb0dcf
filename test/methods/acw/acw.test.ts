import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/rng.js';
import { tf } from '../../../src/engine/tf.js';
import {
  acwFuse,
  changedValues,
  confidences,
  cosineMatrix,
  createConfidenceHead,
  degradeDepth,
  embedDepth,
  holeFractionOf,
  modalityWeights,
  rank1,
  snapshotWeights,
  tarAtFarMatrix,
  trainAcw,
  trainFeatureFusion,
  weightedScoreFusion,
  type KinectDegradation,
  type ModalityEmbeddings,
} from '../../../src/methods/acw/index.js';
import { defaultHeadConfig } from '../../../src/methods/heads/index.js';
import { createFaceNet } from '../../../src/nets/face/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A smooth synthetic face-like depth map: a dome in (0, 1] on a zero background. */
function dome(side: number): Float32Array {
  const d = new Float32Array(side * side);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      const r2 = ((x - side / 2) / (side * 0.4)) ** 2 + ((y - side / 2) / (side * 0.45)) ** 2;
      if (r2 < 1) d[y * side + x] = 0.2 + 0.8 * Math.sqrt(1 - r2);
    }
  return d;
}

describe('Kinect-like depth degradation', () => {
  const side = 48;
  const clean = dome(side);
  const faceCount = clean.filter((v) => v > 0).length;

  it('turns exactly the configured fraction of face pixels into holes and never touches the background', () => {
    for (const holeFraction of [0, 0.05, 0.2, 0.5]) {
      const o: KinectDegradation = { lowRes: side, noiseStd: 0, quantStep: 0, holeFraction, holeRadius: 3 };
      const out = degradeDepth(clean, side, o, createRng(3));
      expect(holeFractionOf(clean, out)).toBeCloseTo(Math.round(holeFraction * faceCount) / faceCount, 10);
      for (let i = 0; i < clean.length; i++) if (clean[i] === 0) expect(out[i]).toBe(0);
    }
  });

  it('quantises every surviving face value to a positive multiple of the step', () => {
    const step = 1 / 32;
    const out = degradeDepth(clean, side, { lowRes: 16, noiseStd: 0.01, quantStep: step, holeFraction: 0.1, holeRadius: 2 }, createRng(5));
    const levels = new Set<number>();
    for (let i = 0; i < out.length; i++) {
      if (out[i] === 0) continue;
      const k = out[i]! / step;
      expect(Math.abs(k - Math.round(k))).toBeLessThan(1e-4);
      expect(Math.round(k)).toBeGreaterThanOrEqual(1);
      levels.add(Math.round(k));
    }
    expect(levels.size).toBeGreaterThan(5);
    expect(levels.size).toBeLessThanOrEqual(32);
  });

  it('noise has the configured spread, and low resolution smooths the map', () => {
    const noisy = degradeDepth(clean, side, { lowRes: side, noiseStd: 0.02, quantStep: 0, holeFraction: 0, holeRadius: 1 }, createRng(7));
    const diffs: number[] = [];
    for (let i = 0; i < clean.length; i++) if (clean[i]! > 0.1 && clean[i]! < 0.95) diffs.push(noisy[i]! - clean[i]!);
    const sd = Math.sqrt(diffs.reduce((a, b) => a + b * b, 0) / diffs.length);
    expect(sd).toBeGreaterThan(0.017);
    expect(sd).toBeLessThan(0.023);
    // Low resolution removes a fine checkerboard ripple.
    const rippled = clean.map((v, i) => (v > 0 ? v + 0.05 * (((i % side) + Math.floor(i / side)) % 2 ? 1 : -1) : 0));
    const coarse = degradeDepth(rippled, side, { lowRes: 12, noiseStd: 0, quantStep: 0, holeFraction: 0, holeRadius: 1 }, createRng(1));
    const rough = (m: Float32Array) => {
      let s = 0;
      for (let y = 10; y < side - 10; y++) for (let x = 10; x < side - 11; x++) s += Math.abs(m[y * side + x + 1]! - m[y * side + x]!);
      return s;
    };
    expect(rough(coarse)).toBeLessThan(0.2 * rough(rippled));
  });

  it('is deterministic for a seed', () => {
    const o: KinectDegradation = { lowRes: 16, noiseStd: 0.01, quantStep: 1 / 64, holeFraction: 0.08, holeRadius: 3 };
    expect(degradeDepth(clean, side, o, createRng(9))).toEqual(degradeDepth(clean, side, o, createRng(9)));
    expect(degradeDepth(clean, side, o, createRng(9))).not.toEqual(degradeDepth(clean, side, o, createRng(10)));
  });
});

describe('confidence weights', () => {
  it('sum to 1 and move towards the more confident modality', () => {
    const w = modalityWeights([0.2, 0.7]);
    expect(w[0]! + w[1]!).toBeCloseTo(1, 12);
    expect(w[1]).toBeGreaterThan(w[0]!);
    expect(modalityWeights([0.5, 0.5])).toEqual([0.5, 0.5]);
    // Raising the RGB confidence raises the RGB weight, monotonically.
    const series = [0, 0.25, 0.5, 0.75, 1].map((c) => modalityWeights([c, 0.5])[0]!);
    for (let k = 1; k < series.length; k++) expect(series[k]).toBeGreaterThan(series[k - 1]!);
    // T = 1 with c in (0, 1): weights stay within [1/(1+e), e/(1+e)].
    expect(modalityWeights([0, 1])[0]).toBeCloseTo(1 / (1 + Math.E), 12);
    // A lower temperature sharpens.
    expect(modalityWeights([0, 1], 0.1)[0]).toBeLessThan(0.001);
  });

  it('fused score = Σ w_m cos_m with pair confidence c^p·c^g (hand computation)', () => {
    const cosR = Float64Array.from([0.9, 0.1]);
    const cosD = Float64Array.from([0.3, 0.6]);
    const fused = acwFuse([cosR, cosD], [Float32Array.from([0.8]), Float32Array.from([0.4])], [Float32Array.from([0.5, 1]), Float32Array.from([0.5, 0.25])]);
    for (let j = 0; j < 2; j++) {
      const cR = 0.8 * [0.5, 1][j]!;
      const cD = 0.4 * [0.5, 0.25][j]!;
      const wR = Math.exp(cR) / (Math.exp(cR) + Math.exp(cD));
      expect(fused.weights[0]![j]).toBeCloseTo(wR, 6);
      expect(fused.weights[0]![j]! + fused.weights[1]![j]!).toBeCloseTo(1, 12);
      expect(fused.scores[j]).toBeCloseTo(wR * cosR[j]! + (1 - wR) * cosD[j]!, 6);
    }
    expect(Array.from(weightedScoreFusion([cosR, cosD]))).toEqual([0.6, 0.35].map((v, j) => (cosR[j]! + cosD[j]!) / 2));
  });

  it('a head gives per-sample confidences in (0, 1) that depend on the embedding', () => {
    const head = createConfidenceHead(4, 8, { mean: 0, std: 1 }, 3);
    const e: ModalityEmbeddings = { data: Float32Array.from([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 5, 5]), n: 3, dim: 4 };
    const c = confidences(head, e);
    for (const v of c) expect(v > 0 && v < 1).toBe(true);
    expect(new Set(Array.from(c)).size).toBe(3);
    head.dispose();
  });

  it('training learns to trust the modality that is clean (RGB corrupted on odd samples, depth on even ones)', () => {
    // 12 identities × 6 samples. A corrupted embedding is small random noise; a clean one is the
    // identity's prototype (norm ~3) plus a little noise. Even samples: RGB clean, depth corrupted;
    // odd samples: the reverse. ACW should weight RGB up on even–even pairs and down on odd–odd pairs.
    const rng = createRng(11);
    const ids = 12;
    const per = 6;
    const dim = 8;
    const n = ids * per;
    const proto = () => Array.from({ length: ids }, () => Array.from({ length: dim }, () => rng.normal()));
    const pR = proto();
    const pD = proto();
    const rgb = new Float32Array(n * dim);
    const depth = new Float32Array(n * dim);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const id = Math.floor(i / per);
      labels[i] = id;
      const rgbClean = i % 2 === 0;
      for (let d = 0; d < dim; d++) {
        rgb[i * dim + d] = rgbClean ? 3 * (pR[id]![d]! + 0.1 * rng.normal()) : 0.3 * rng.normal();
        depth[i * dim + d] = rgbClean ? 0.3 * rng.normal() : 3 * (pD[id]![d]! + 0.1 * rng.normal());
      }
    }
    const emb = [
      { data: rgb, n, dim },
      { data: depth, n, dim },
    ];
    const model = trainAcw(emb, labels, { hidden: 8, epochs: 150, lr: 0.03, weightDecay: 1e-4, temperature: 1, seed: 1 });
    expect(model.losses.at(-1)!).toBeLessThan(model.losses[0]!);
    const even = Array.from({ length: n / 2 }, (_, k) => 2 * k);
    const odd = even.map((i) => i + 1);
    const rows = (idx: number[], e: ModalityEmbeddings): ModalityEmbeddings => ({
      data: Float32Array.from(idx.flatMap((i) => Array.from(e.data.subarray(i * dim, (i + 1) * dim)))),
      n: idx.length,
      dim,
    });
    const wRgb = (idx: number[]) => {
      const fused = acwFuse(
        [cosineMatrix(rows(idx, emb[0]!), rows(idx, emb[0]!)), cosineMatrix(rows(idx, emb[1]!), rows(idx, emb[1]!))],
        model.heads.map((h, m) => confidences(h, rows(idx, emb[m]!))),
        model.heads.map((h, m) => confidences(h, rows(idx, emb[m]!))),
      );
      return fused.weights[0]!.reduce((a, b) => a + b, 0) / fused.weights[0]!.length;
    };
    expect(wRgb(even)).toBeGreaterThan(0.5);
    expect(wRgb(odd)).toBeLessThan(0.5);
    expect(wRgb(even) - wRgb(odd)).toBeGreaterThan(0.1);
    model.dispose();
  });
});

describe('frozen backbones', () => {
  it('depth and RGB backbone weights are bit-identical after ACW and feature-fusion training', async () => {
    const depthNet = createFaceNet({ arch: 'ir', inputSize: 16, inputChannels: 1, embeddingDim: 16, widths: [4, 8], blocks: [1, 1] }, 1);
    const rgbNet = createFaceNet({ arch: 'ir', inputSize: 16, inputChannels: 3, embeddingDim: 16, widths: [4, 8], blocks: [1, 1] }, 2);
    const rng = createRng(4);
    const n = 12;
    const labels = Int32Array.from({ length: n }, (_, i) => i % 4);
    const depth = Float32Array.from({ length: n * 256 }, () => rng.next());
    const images = Float32Array.from({ length: n * 256 * 3 }, () => rng.next());
    const backbones = [...depthNet.variables, ...depthNet.state, ...rgbNet.variables, ...rgbNet.state];
    const before = snapshotWeights(backbones);
    const d = await embedDepth(depthNet, depth, n);
    const r = await embedDepth(rgbNet, images, n);
    const model = trainAcw([r, d], labels, { hidden: 4, epochs: 20, lr: 0.05, weightDecay: 1e-3, temperature: 1, seed: 2 });
    const ff = trainFeatureFusion([r, d], labels, 4, { outDim: 8, epochs: 20, lr: 0.05, weightDecay: 1e-4, head: defaultHeadConfig('arcface'), seed: 3 });
    const headBefore = snapshotWeights(model.heads[0]!.variables);
    expect(changedValues(before, snapshotWeights(backbones))).toBe(0);
    // The check can fail: the heads themselves did move, and a one-bit change is caught.
    const fresh = createConfidenceHead(16, 4, { mean: 0, std: 1 }, derivedHeadSeed());
    expect(changedValues(snapshotWeights(fresh.variables), headBefore)).toBeGreaterThan(0);
    const tweaked = before.map((a) => a.slice());
    tweaked[0]![0] = Math.fround(tweaked[0]![0]! + 1e-7 * (Math.abs(tweaked[0]![0]!) + 1));
    expect(changedValues(before, tweaked)).toBe(1);
    model.dispose();
    ff.dispose();
    fresh.dispose();
    depthNet.dispose();
    rgbNet.dispose();
  });
});

function derivedHeadSeed(): number {
  return 123;
}

describe('rank-1 and TAR@FAR on hand-made similarity matrices', () => {
  // 3 probes × 3 gallery subjects.
  const gallery = [0, 1, 2];
  const scores = [
    0.9,
    0.1,
    0.2, // probe of 0: correct
    0.8,
    0.5,
    0.1, // probe of 1: gallery 0 wins → wrong
    0.3,
    0.3,
    0.3, // probe of 2: tie → against the probe
  ];
  it('rank-1 counts correct top matches, ties against the probe', () => {
    expect(rank1(scores, [0, 1, 2], gallery)).toBeCloseTo(1 / 3, 12);
    expect(rank1([0.1, 0.9, 0.8, 0.2], [1, 0], [0, 1])).toBe(1);
  });
  it('TAR at FAR over every probe–gallery pair', () => {
    // Impostors: 0.1, 0.2, 0.8, 0.1, 0.3, 0.3 (6). FAR 0 → threshold 0.8 → genuine 0.9 only: TAR 1/3.
    expect(tarAtFarMatrix(scores, [0, 1, 2], gallery, 0)).toBeCloseTo(1 / 3, 12);
    // FAR 1/6 → one impostor may pass: threshold 0.3 → genuine 0.9, 0.5 pass: 2/3.
    expect(tarAtFarMatrix(scores, [0, 1, 2], gallery, 1 / 6)).toBeCloseTo(2 / 3, 12);
  });
  it('cosine matrix normalises rows', () => {
    const c = cosineMatrix({ data: Float32Array.from([2, 0, 0, 3]), n: 2, dim: 2 }, { data: Float32Array.from([5, 0]), n: 1, dim: 2 });
    expect(Array.from(c)).toEqual([1, 0]);
  });
});
