// One RGB-D identification benchmark run of every method (docs/papers/acw.md "Numbers": rank-1 per
// subset and average for RGB only, depth only with and without virtual pre-training, mean fusion,
// feature fusion and ACW), for each of the given training seeds. The RGB embeddings are computed once by the
// caller (frozen model, forward only); per seed the depth nets, the ACW heads and the feature-fusion
// layer are trained, the depth backbone is snapshotted before fusion training and compared after.
import { derivedSeed } from '../../core/rng.js';
import type { Progress } from '../../core/progress.js';
import type { FaceNetConfig } from '../../nets/face/index.js';
import type { HeadConfig } from '../heads/index.js';
import { embedDepth, trainDepthNet } from './depth.js';
import { rank1, selectRows, tarAtFarMatrix } from './evaluate.js';
import { trainFeatureFusion } from './feature-fusion.js';
import { changedValues, snapshotWeights } from './frozen.js';
import { acwScores, cosineMatrix, trainAcw, weightedScoreFusion, type ModalityEmbeddings } from './fusion.js';

export const METHODS = ['rgb', 'depth-paired', 'depth-virtual', 'mean-fusion', 'feature-fusion', 'acw'] as const;
export type Method = (typeof METHODS)[number];

export interface BenchmarkSplit {
  /** Raw RGB embeddings of the frozen RGB model. */
  rgb: ModalityEmbeddings;
  /** Depth maps n × side² for the depth nets. */
  depth: Float32Array;
  labels: Int32Array;
  /** Probe subset of each sample ('GA' = gallery). */
  conditions: string[];
}

export interface BenchmarkConfig {
  depthNet: FaceNetConfig;
  depthHead: HeadConfig;
  virtualEpochs: number;
  pairedEpochs: number;
  batchSize: number;
  lr: number;
  acw: { hidden: number; epochs: number; lr: number; weightDecay: number; temperature: number };
  feature: { outDim: number; epochs: number; lr: number; weightDecay: number; head: HeadConfig };
  /** The training seeds: `index` names the seed in the tables (1, 2, ...), `seed` seeds its trainings. */
  trainingSeeds: readonly { index: number; seed: number }[];
  /** Subsets averaged into 'avg'. */
  averaged: readonly string[];
  far: number;
}

export interface SeedResult {
  seed: number;
  /** rank1[method][subset] in [0, 1]. */
  rank1: Record<Method, Record<string, number>>;
  tar: Record<Method, Record<string, number>>;
  /** Mean ACW RGB weight over all probe–gallery pairs of a subset. */
  wRgb: Record<string, number>;
  /** Depth-backbone values that changed during ACW + feature-fusion training (0 = frozen). */
  depthChanged: number;
  depthParams: number;
  losses: { virtual: number; paired: number; acw: number; feature: number };
  /** The mean loss of every epoch of each training (full-batch ACW and feature fusion: one step per epoch). */
  curves: { virtual: number[]; paired: number[]; acw: number[]; feature: number[] };
}

export interface BenchmarkResult {
  subsets: string[];
  seeds: SeedResult[];
}

/** Runs every method for each of cfg.trainingSeeds on (virtual pre-training, paired train split, test split). */
export async function runBenchmark(
  virtual: { depth: Float32Array; labels: Int32Array; classes: number },
  train: BenchmarkSplit & { classes: number },
  test: BenchmarkSplit,
  cfg: BenchmarkConfig,
  progress?: Progress,
): Promise<BenchmarkResult> {
  const gallery = test.conditions.flatMap((c, i) => (c === 'GA' ? [i] : []));
  const subsets = [...new Set(test.conditions.filter((c) => c !== 'GA'))];
  const probesOf = Object.fromEntries(subsets.map((s) => [s, test.conditions.flatMap((c, i) => (c === s ? [i] : []))]));
  const rowsOf = (e: ModalityEmbeddings, idx: number[]): ModalityEmbeddings => {
    const data = new Float32Array(idx.length * e.dim);
    idx.forEach((r, k) => data.set(e.data.subarray(r * e.dim, (r + 1) * e.dim), k * e.dim));
    return { data, n: idx.length, dim: e.dim };
  };
  const probeIdx = subsets.flatMap((s) => probesOf[s]!);
  const probeLabels = Int32Array.from(probeIdx, (i) => test.labels[i]!);
  const galleryLabels = Int32Array.from(gallery, (i) => test.labels[i]!);
  const G = gallery.length;
  const rowsBySubset = Object.fromEntries(subsets.map((s) => [s, probeIdx.flatMap((p, k) => (test.conditions[p] === s ? [k] : []))]));
  const rgbP = rowsOf(test.rgb, probeIdx);
  const rgbG = rowsOf(test.rgb, gallery);
  const cosRgb = cosineMatrix(rgbP, rgbG);
  const seeds: SeedResult[] = [];
  for (const { index: s, seed } of cfg.trainingSeeds) {
    const common = { net: cfg.depthNet, head: cfg.depthHead, batchSize: cfg.batchSize, lr: cfg.lr, progress };
    const vNet = await trainDepthNet(virtual.depth, virtual.labels, virtual.classes, {
      ...common,
      epochs: cfg.virtualEpochs,
      seed: derivedSeed(seed, 'virtual'),
      label: `acw depth virtual s${s}`,
    });
    const pNet = await trainDepthNet(train.depth, train.labels, train.classes, {
      ...common,
      epochs: cfg.pairedEpochs,
      seed: derivedSeed(seed, 'paired'),
      label: `acw depth paired s${s}`,
    });
    try {
      const side = cfg.depthNet.inputSize;
      const per = side * side;
      const depthRows = (idx: number[]) => {
        const out = new Float32Array(idx.length * per);
        idx.forEach((r, k) => out.set(test.depth.subarray(r * per, (r + 1) * per), k * per));
        return out;
      };
      const before = snapshotWeights([...vNet.net.variables, ...vNet.net.state]);
      const dTrain = await embedDepth(vNet.net, train.depth, train.labels.length);
      const dP = await embedDepth(vNet.net, depthRows(probeIdx), probeIdx.length);
      const dG = await embedDepth(vNet.net, depthRows(gallery), G);
      const pP = await embedDepth(pNet.net, depthRows(probeIdx), probeIdx.length);
      const pG = await embedDepth(pNet.net, depthRows(gallery), G);
      const acw = trainAcw([train.rgb, dTrain], train.labels, { ...cfg.acw, seed: derivedSeed(seed, 'acw') });
      const ff = trainFeatureFusion([train.rgb, dTrain], train.labels, train.classes, { ...cfg.feature, seed: derivedSeed(seed, 'feature') });
      const depthChanged = changedValues(before, snapshotWeights([...vNet.net.variables, ...vNet.net.state]));
      const cosDepth = cosineMatrix(dP, dG);
      const fused = acwScores(acw, [rgbP, dP], [rgbG, dG]);
      const scores: Record<Method, Float64Array> = {
        rgb: cosRgb,
        'depth-paired': cosineMatrix(pP, pG),
        'depth-virtual': cosDepth,
        'mean-fusion': weightedScoreFusion([cosRgb, cosDepth]),
        'feature-fusion': cosineMatrix(ff.embed([rgbP, dP]), ff.embed([rgbG, dG])),
        acw: fused.scores,
      };
      const r1 = {} as Record<Method, Record<string, number>>;
      const tar = {} as Record<Method, Record<string, number>>;
      for (const m of METHODS) {
        r1[m] = {};
        tar[m] = {};
        for (const sub of subsets) {
          const rows = rowsBySubset[sub]!;
          const sc = selectRows(scores[m], G, rows);
          const labels = rows.map((k) => probeLabels[k]!);
          r1[m][sub] = rank1(sc, labels, galleryLabels);
          tar[m][sub] = tarAtFarMatrix(sc, labels, galleryLabels, cfg.far);
        }
        r1[m].avg = cfg.averaged.reduce((a, sub) => a + r1[m][sub]!, 0) / cfg.averaged.length;
        tar[m].avg = cfg.averaged.reduce((a, sub) => a + tar[m][sub]!, 0) / cfg.averaged.length;
      }
      const wRgb: Record<string, number> = {};
      for (const sub of subsets) {
        const w = selectRows(fused.weights[0]!, G, rowsBySubset[sub]!);
        wRgb[sub] = w.reduce((a, b) => a + b, 0) / w.length;
      }
      seeds.push({
        seed: s,
        rank1: r1,
        tar,
        wRgb,
        depthChanged,
        depthParams: before.reduce((a, b) => a + b.length, 0),
        losses: { virtual: vNet.losses.at(-1)!, paired: pNet.losses.at(-1)!, acw: acw.losses.at(-1)!, feature: ff.losses.at(-1)! },
        curves: { virtual: [...vNet.losses], paired: [...pNet.losses], acw: [...acw.losses], feature: [...ff.losses] },
      });
      acw.dispose();
      ff.dispose();
    } finally {
      vNet.net.dispose();
      pNet.net.dispose();
    }
  }
  return { subsets, seeds };
}
