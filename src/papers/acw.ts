// repro acw: Confidence-Aware RGB-D Face Recognition via Virtual Depth Synthesis (docs/papers/acw.md).
// smoke/quick [recon]: synthetic RGB-D identities (src/data/synth3dmm) split into disjoint virtual
// depth pre-training, paired fusion-training and test identities; the frozen RGB model is FaceRes
// (1024-d, @vladmandic/human, forward only); the depth CNN is pre-trained on virtual depth with ArcFace
// and frozen; only the ACW heads train. paper: Lock3DFace (the card's protocol, [recon] split order).
import { InputError, ReproError } from '../core/errors.js';
import { derivedSeed } from '../core/rng.js';
import type { CellContext, MeasuredRow, Profile } from '../core/types.js';
import { datasetRequirement } from '../data/catalog.js';
import { loadHumanFaceRes, type FaceEmbedder } from '../data/pretrained.js';
import { trainingCurves } from '../harness/curves.js';
import { seedGroups, seedStabilityVerdict } from '../harness/seeds.js';
import { definePaper, type RowOf } from '../harness/define-paper.js';
import { defaultHeadConfig } from '../methods/heads/index.js';
import {
  KINECT_TEST,
  LOCK3DFACE_SUBSETS,
  METHODS,
  loadLock3dfaceProtocol,
  PROBE_SUBSETS,
  meanStd,
  renderRgbdSet,
  renderVirtualDepth,
  runBenchmark,
  type BenchmarkConfig,
  type BenchmarkResult,
  type BenchmarkSplit,
  type Condition,
} from '../methods/acw/index.js';

import type { FaceNetConfig } from '../nets/face/index.js';

const TABLES = {
  rank1: {
    title: 'Rank-1 identification (%) per probe subset and average (Lock3DFace layout)',
    keyColumns: ['method', 'subset', 'seed'],
    metrics: ['rank1', 'std'],
  },
  tar: {
    title: 'Verification TAR (%) at FAR 1e-3, every probe-gallery pair of a subset',
    keyColumns: ['method', 'subset', 'seed'],
    metrics: ['tar@far=1e-3', 'std'],
  },
  weights: {
    title: 'Mean ACW weight of the RGB modality per probe subset',
    keyColumns: ['subset', 'seed'],
    metrics: ['w_rgb', 'std'],
  },
  frozen: {
    title: 'Backbone values changed by ACW / feature-fusion training (0 = bit-identical), per training seed and over all',
    keyColumns: ['backbone', 'seed'],
    metrics: ['changed_values', 'checked_values'],
  },
  stability: {
    title: 'Seed stability of each claimed relation (margin = left - right, rank-1 points or weight)',
    keyColumns: ['relation'],
    metrics: ['seeds_holding', 'seeds', 'margin_mean', 'margin_std', 'margin_min'],
  },
  protocol: {
    title: 'Protocol counts of the run (identities, images)',
    keyColumns: ['dataset', 'item'],
    metrics: ['count'],
  },
} as const;
type Row = RowOf<typeof TABLES>;

/** What both protocols train: the virtual-depth pre-training, the paired control, the fusion heads. */
interface AcwTraining {
  seeds: number;
  virtualIds: number;
  virtualPerId: number;
  virtualRenderSize: number;
  depthNet: FaceNetConfig;
  virtualEpochs: number;
  pairedEpochs: number;
  batchSize: number;
  lr: number;
  acwEpochs: number;
  featureEpochs: number;
}

interface SynthSize extends AcwTraining {
  kind: 'synth';
  testIds: number;
  probesPerSubset: number;
  fusionIds: number;
  /** Paired fusion-training samples per identity and condition (gallery-like + every subset). */
  fusionPerCondition: number;
}

interface Lock3dSize extends AcwTraining {
  kind: 'lock3dface';
  /** Training subjects (the rest test), in sorted subject order [recon]. */
  trainSubjects: number;
  /** Every k-th frame of a probe clip. */
  frameStride: number;
  /** Training frames per (subject, clip). */
  trainFramesPerClip: number;
}
type AcwSize = SynthSize | Lock3dSize;

/** The virtual-depth pre-training set: identities 0.. of the renderer, degraded as augmentation. */
function virtualDepthSet(size: AcwTraining, dataSeed: number, side: number) {
  return renderVirtualDepth({
    seed: dataSeed,
    firstId: 0,
    ids: size.virtualIds,
    perId: size.virtualPerId,
    renderSize: size.virtualRenderSize,
    depthSize: side,
    augment: KINECT_TEST,
  });
}

const depthNet = (inputSize: number, widths: number[]): FaceNetConfig => ({
  arch: 'ir',
  inputSize,
  inputChannels: 1,
  embeddingDim: 128,
  widths,
  blocks: widths.map(() => 1),
});

/** Sizes fixed before any run; quick is sized for about 10 min on 2 cores (benchmarks/acw/). */
const PROFILES: Record<Profile, AcwSize> = {
  smoke: {
    kind: 'synth',
    seeds: 1,
    testIds: 2,
    probesPerSubset: 1,
    fusionIds: 2,
    fusionPerCondition: 1,
    virtualIds: 4,
    virtualPerId: 4,
    virtualRenderSize: 32,
    depthNet: depthNet(16, [8, 16]),
    virtualEpochs: 1,
    pairedEpochs: 1,
    batchSize: 16,
    lr: 0.1,
    acwEpochs: 5,
    featureEpochs: 5,
  },
  quick: {
    kind: 'synth',
    seeds: 3,
    testIds: 50,
    probesPerSubset: 2,
    fusionIds: 30,
    fusionPerCondition: 1,
    virtualIds: 100,
    virtualPerId: 10,
    virtualRenderSize: 64,
    depthNet: depthNet(32, [16, 32, 64]),
    virtualEpochs: 5,
    pairedEpochs: 15,
    batchSize: 32,
    lr: 0.1,
    acwEpochs: 300,
    featureEpochs: 300,
  },
  paper: {
    kind: 'lock3dface',
    seeds: 3,
    trainSubjects: 340,
    frameStride: 5,
    trainFramesPerClip: 2,
    virtualIds: 2000,
    virtualPerId: 20,
    virtualRenderSize: 64,
    depthNet: depthNet(64, [32, 64, 128, 256]),
    virtualEpochs: 10,
    pairedEpochs: 20,
    batchSize: 64,
    lr: 0.1,
    acwEpochs: 300,
    featureEpochs: 300,
  },
};

const SYNTH_NOTE = '[recon] synthetic 3DMM RGB-D identities (src/data/synth3dmm), not Lock3DFace';
const FAR = 1e-3;

/** One cell per training seed (index 1..seeds); the summary joins them (summariseSeeds). */
interface SeedCell<Size> {
  size: Size;
  /** 1-based: the `seed` column of the tables. */
  index: number;
  /** Seeds the data (the same for every cell of a run). */
  dataSeed: number;
  /** The first cell also writes the protocol counts. */
  protocol: boolean;
}

function planSeedCells<Size extends AcwTraining>(size: Size, seed: number, seedLabel: string, idPrefix: string) {
  const base = derivedSeed(seed, seedLabel);
  return Array.from({ length: size.seeds }, (_, k) => ({
    id: `${idPrefix}-s${k + 1}`,
    params: { size, index: k + 1, dataSeed: derivedSeed(base, 'data'), protocol: k === 0 } satisfies SeedCell<Size>,
    seed: derivedSeed(base, `train-${k + 1}`),
  }));
}

function benchmarkConfig(size: AcwSize, cell: { index: number; seed: number }, averaged: readonly string[]): BenchmarkConfig {
  return {
    depthNet: size.depthNet,
    depthHead: defaultHeadConfig('arcface'),
    virtualEpochs: size.virtualEpochs,
    pairedEpochs: size.pairedEpochs,
    batchSize: size.batchSize,
    lr: size.lr,
    acw: { hidden: 16, epochs: size.acwEpochs, lr: 1e-2, weightDecay: 1e-3, temperature: 1 },
    feature: { outDim: 128, epochs: size.featureEpochs, lr: 1e-2, weightDecay: 1e-4, head: defaultHeadConfig('arcface') },
    trainingSeeds: [cell],
    averaged,
    far: FAR,
  };
}

/** FaceRes, with a broken or missing model file reported as exit 2 before any training. */
async function loadRgbModel(): Promise<FaceEmbedder> {
  try {
    return await loadHumanFaceRes();
  } catch (e) {
    if (e instanceof ReproError) throw e;
    throw new InputError(
      `@vladmandic/human models/faceres.json (or its weights) could not be read: ${(e as Error).message}. Fix: reinstall the package (npm ci).`,
    );
  }
}

/** Claimed relations whose seed stability is reported (left, right: method/subset of rank1, or weights). */
const RELATIONS: { id: string; left: [string, string]; right: [string, string]; table: 'rank1' | 'weights' }[] = [
  { id: 'acw>=rgb avg', left: ['acw', 'avg'], right: ['rgb', 'avg'], table: 'rank1' },
  { id: 'acw>=depth-virtual avg', left: ['acw', 'avg'], right: ['depth-virtual', 'avg'], table: 'rank1' },
  { id: 'acw>=mean-fusion avg', left: ['acw', 'avg'], right: ['mean-fusion', 'avg'], table: 'rank1' },
  { id: 'acw>=feature-fusion avg', left: ['acw', 'avg'], right: ['feature-fusion', 'avg'], table: 'rank1' },
  { id: 'depth-virtual>depth-paired avg', left: ['depth-virtual', 'avg'], right: ['depth-paired', 'avg'], table: 'rank1' },
  { id: 'w_rgb NU>LQ', left: ['', 'NU'], right: ['', 'LQ'], table: 'weights' },
];

/** The per-seed rows of a benchmark result, each with the note its mean over seeds keeps (summariseSeeds). */
function seedRows(result: BenchmarkResult, dataset: string, setup: string, rgbFrozen: { changed: number; checked: number } | null): Row[] {
  const rows: Row[] = [];
  const averaged = `mean of ${result.subsets.filter((x) => x !== 'NU').join(', ')} (NU is the clean reference, not averaged)`;
  const weightNote = 'ACW w_rgb = softmax([c_rgb, c_depth]/T)[0], c_m = c_m^p c_m^g, mean over all probe x gallery pairs of the subset; T = 1';
  for (const s of result.seeds) {
    for (const method of METHODS) {
      for (const subset of [...result.subsets, 'avg']) {
        const key = { method, subset, seed: s.seed };
        const note = `${dataset}; ${subset === 'avg' ? `${averaged}; ` : ''}${setup}`;
        rows.push({ table: 'rank1', key, metric: 'rank1', value: 100 * s.rank1[method][subset]!, note });
        const tarNote = `${dataset}; every probe x gallery pair of the subset is a trial`;
        rows.push({ table: 'tar', key, metric: 'tar@far=1e-3', value: 100 * s.tar[method][subset]!, note: tarNote });
      }
    }
    for (const subset of result.subsets)
      rows.push({ table: 'weights', key: { subset, seed: s.seed }, metric: 'w_rgb', value: s.wRgb[subset]!, note: weightNote });
    rows.push(
      { table: 'frozen', key: { backbone: 'depth-virtual', seed: s.seed }, metric: 'changed_values', value: s.depthChanged },
      { table: 'frozen', key: { backbone: 'depth-virtual', seed: s.seed }, metric: 'checked_values', value: s.depthParams },
    );
    if (rgbFrozen)
      rows.push(
        { table: 'frozen', key: { backbone: 'rgb-faceres', seed: s.seed }, metric: 'changed_values', value: rgbFrozen.changed },
        { table: 'frozen', key: { backbone: 'rgb-faceres', seed: s.seed }, metric: 'checked_values', value: rgbFrozen.checked },
      );
  }
  return rows;
}

const FROZEN_NOTES: Record<string, string> = {
  'depth-virtual': 'weights + BN statistics snapshotted after pre-training and compared bit for bit after ACW and feature-fusion training, all seeds',
  'rgb-faceres': 'FaceRes descriptors of the first test faces re-computed after all training, compared bit for bit with the first pass, all seeds',
};

/**
 * The rows over the seed cells: the mean and population std of every per-seed value (seed 'mean'),
 * the changed and checked backbone values summed over seeds (seed 'all'), and the seed stability of
 * each claimed relation.
 */
function summariseSeeds(rows: readonly MeasuredRow[], planned: number): Row[] {
  const perSeed = rows.filter((r) => typeof r.key.seed === 'number');
  const seeds = [...new Set(perSeed.map((r) => r.key.seed as number))].sort((a, b) => a - b);
  const seedNote = `${seeds.length} of ${planned} training seeds (depth nets, ACW heads, feature fusion); std = population std over seeds`;
  const out: Row[] = [];
  for (const group of seedGroups(perSeed)) {
    const first = group[0]!;
    const at = (seed: string) => ({ ...first.key, seed });
    const values = [...group].sort((a, b) => (a.key.seed as number) - (b.key.seed as number)).map((r) => r.value!);
    if (first.table === 'frozen') {
      const note = first.metric === 'changed_values' ? FROZEN_NOTES[first.key.backbone as string] : undefined;
      out.push({ ...first, key: at('all'), value: values.reduce((a, b) => a + b, 0), ...(note ? { note } : {}) } as Row);
      continue;
    }
    const { mean, std } = meanStd(values);
    out.push({ ...first, key: at('mean'), value: mean } as Row, { ...first, key: at('mean'), metric: 'std', value: std, note: seedNote } as Row);
  }
  const value = (table: string, method: string, subset: string, seed: number) =>
    perSeed.find((r) => r.table === table && r.key.seed === seed && r.key.subset === subset && (table === 'weights' || r.key.method === method))?.value;
  for (const rel of RELATIONS) {
    const margins = seeds.map((seed) => {
      const [l, r] = [value(rel.table, ...rel.left, seed), value(rel.table, ...rel.right, seed)];
      return l === undefined || l === null || r === undefined || r === null ? Number.NaN : l - r;
    });
    if (margins.length === 0 || margins.some((m) => !Number.isFinite(m))) continue;
    const strict = rel.id.includes('>') && !rel.id.includes('>=');
    const holding = margins.filter((m) => (strict ? m > 0 : m >= 0)).length;
    const ms = meanStd(margins);
    const verdict = seedStabilityVerdict(holding, seeds.length);
    out.push(
      { table: 'stability', key: { relation: rel.id }, metric: 'seeds_holding', value: holding, note: verdict },
      { table: 'stability', key: { relation: rel.id }, metric: 'seeds', value: seeds.length },
      { table: 'stability', key: { relation: rel.id }, metric: 'margin_mean', value: ms.mean },
      { table: 'stability', key: { relation: rel.id }, metric: 'margin_std', value: ms.std },
      { table: 'stability', key: { relation: rel.id }, metric: 'margin_min', value: Math.min(...margins) },
    );
  }
  return out;
}

/**
 * curves/<cell>.csv: per training seed and trained model (depth net on virtual depth, the paired-only
 * control, the ACW heads, the feature-fusion layer), the mean loss of every epoch. Nothing else is
 * measured during training.
 */
function writeCurves(ctx: CellContext, cellId: string, result: BenchmarkResult): void {
  const curves = trainingCurves(['seed', 'model', 'epoch', 'loss']);
  for (const s of result.seeds) {
    curves.addLosses(s.curves.virtual, { seed: s.seed, model: 'depth-virtual' });
    curves.addLosses(s.curves.paired, { seed: s.seed, model: 'depth-paired' });
    curves.addLosses(s.curves.acw, { seed: s.seed, model: 'acw-heads' });
    curves.addLosses(s.curves.feature, { seed: s.seed, model: 'feature-fusion' });
  }
  curves.write(ctx.files, cellId);
}

/** Embeds RGB images with FaceRes and returns a bit-identity probe on the first `check` images. */
async function embedRgb(model: FaceEmbedder, rgb: Float32Array, count: number, side: number) {
  const data = await model.embed({ images: rgb, count, height: side, width: side, channels: 3 });
  return { data, n: count, dim: model.dim };
}

async function runSynthCell({ size, index, dataSeed, protocol }: SeedCell<SynthSize>, cellId: string, seed: number, ctx: CellContext): Promise<Row[]> {
  const rgbModel = await loadRgbModel();
  try {
    const side = size.depthNet.inputSize;
    const testPer: Partial<Record<Condition, number>> = { GA: 1, ...Object.fromEntries(PROBE_SUBSETS.map((s) => [s, size.probesPerSubset])) };
    const trainPer: Partial<Record<Condition, number>> = {
      GA: size.fusionPerCondition,
      ...Object.fromEntries(PROBE_SUBSETS.map((s) => [s, size.fusionPerCondition])),
    };
    // Disjoint identity ranges: virtual pre-training 0.., fusion training 100000.., test 200000...
    const test = renderRgbdSet({
      seed: dataSeed,
      firstId: 200_000,
      ids: size.testIds,
      perCondition: testPer,
      rgbSize: 112,
      depthSize: side,
      kinect: KINECT_TEST,
    });
    const train = renderRgbdSet({
      seed: dataSeed,
      firstId: 100_000,
      ids: size.fusionIds,
      perCondition: trainPer,
      rgbSize: 112,
      depthSize: side,
      kinect: KINECT_TEST,
    });
    const virtual = virtualDepthSet(size, dataSeed, side);
    ctx.progress.log(`acw: rendered ${test.count} test, ${train.count} paired, ${virtual.count} virtual faces; embedding RGB with FaceRes`);
    const testRgb = await embedRgb(rgbModel, test.rgb, test.count, 112);
    const trainRgb = await embedRgb(rgbModel, train.rgb, train.count, 112);
    const testSplit: BenchmarkSplit = { rgb: testRgb, depth: test.depth, labels: test.labels, conditions: test.conditions };
    const trainSplit = { rgb: trainRgb, depth: train.depth, labels: train.labels, conditions: train.conditions, classes: train.classes };
    const averaged = PROBE_SUBSETS.filter((s) => s !== 'NU');
    const result = await runBenchmark(virtual, trainSplit, testSplit, benchmarkConfig(size, { index, seed }, averaged), ctx.progress);
    writeCurves(ctx, cellId, result);
    const check = Math.min(2, test.count);
    const again = await rgbModel.embed({ images: test.rgb.subarray(0, check * 112 * 112 * 3), count: check, height: 112, width: 112, channels: 3 });
    const rgbFrozen = { changed: bitsDiffer(testRgb.data.subarray(0, check * rgbModel.dim), again), checked: check * rgbModel.dim };
    const setup =
      `${SYNTH_NOTE}; test ${size.testIds} ids (gallery 1 frontal neutral render each, ${size.probesPerSubset} probes per subset), paired split ${size.fusionIds} ids x ${train.count / size.fusionIds}, ` +
      `virtual depth ${size.virtualIds} ids x ${size.virtualPerId} (random Kinect augmentation); test and paired depth degraded by the fixed Kinect model ` +
      `(lowRes ${KINECT_TEST.lowRes}, noise ${KINECT_TEST.noiseStd}, step ${KINECT_TEST.quantStep.toFixed(4)}, holes ${KINECT_TEST.holeFraction}); RGB FaceRes 1024-d frozen; ` +
      `depth IR ${side}px ${size.depthNet.widths.join('/')} ArcFace, ${size.virtualEpochs} ep virtual / ${size.pairedEpochs} ep paired; backend ${ctx.backend}`;
    const counts: Row[] = [
      { table: 'protocol', key: { dataset: 'synthetic', item: 'test identities' }, metric: 'count', value: size.testIds },
      { table: 'protocol', key: { dataset: 'synthetic', item: 'test images' }, metric: 'count', value: test.count },
      { table: 'protocol', key: { dataset: 'synthetic', item: 'paired training identities' }, metric: 'count', value: size.fusionIds },
      { table: 'protocol', key: { dataset: 'synthetic', item: 'virtual identities' }, metric: 'count', value: size.virtualIds },
    ];
    return [...seedRows(result, 'synthetic', setup, rgbFrozen), ...(protocol ? counts : [])];
  } finally {
    rgbModel.dispose();
  }
}

function bitsDiffer(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.max(a.length, b.length);
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  let n = 0;
  for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) n++;
  return n;
}

/** The card's Lock3DFace protocol: loader checks first (exit 2), then FaceRes, depth nets and ACW. */
async function runLock3dCell(
  { size, index, dataSeed, protocol: withCounts }: SeedCell<Lock3dSize>,
  cellId: string,
  seed: number,
  ctx: CellContext,
): Promise<Row[]> {
  const root = datasetRequirement('lock3dface', ctx.dataDir).path;
  const side = size.depthNet.inputSize;
  const protocol = await loadLock3dfaceProtocol(root, {
    trainSubjects: size.trainSubjects,
    frameStride: size.frameStride,
    trainFramesPerClip: size.trainFramesPerClip,
    rgbSize: 112,
    depthSize: side,
  });
  const rgbModel = await loadRgbModel();
  try {
    const virtual = virtualDepthSet(size, dataSeed, side);
    const testRgb = await embedRgb(rgbModel, protocol.test.rgb, protocol.test.labels.length, 112);
    const trainRgb = await embedRgb(rgbModel, protocol.train.rgb, protocol.train.labels.length, 112);
    const result = await runBenchmark(
      virtual,
      { rgb: trainRgb, depth: protocol.train.depth, labels: protocol.train.labels, conditions: protocol.train.conditions, classes: protocol.train.classes },
      { rgb: testRgb, depth: protocol.test.depth, labels: protocol.test.labels, conditions: protocol.test.conditions },
      benchmarkConfig(size, { index, seed }, LOCK3DFACE_SUBSETS),
      ctx.progress,
    );
    writeCurves(ctx, cellId, result);
    const setup = `Lock3DFace ${protocol.counts.trainSubjects} train / ${protocol.counts.testSubjects} test subjects [recon: sorted subject order], gallery = first frame of the first NU session, probes every ${size.frameStride}th frame; virtual depth ${size.virtualIds} x ${size.virtualPerId}; backend ${ctx.backend}`;
    const counts: Row[] = [
      { table: 'protocol', key: { dataset: 'lock3dface', item: 'subjects' }, metric: 'count', value: protocol.counts.subjects },
      { table: 'protocol', key: { dataset: 'lock3dface', item: 'clips' }, metric: 'count', value: protocol.counts.clips },
      { table: 'protocol', key: { dataset: 'lock3dface', item: 'test subjects' }, metric: 'count', value: protocol.counts.testSubjects },
    ];
    return [...seedRows(result, 'lock3dface', setup, null), ...(withCounts ? counts : [])];
  } finally {
    rgbModel.dispose();
  }
}

export const acwPaper = definePaper({
  id: 'acw',
  title: 'Confidence-Aware RGB-D Face Recognition via Virtual Depth Synthesis',
  citation: 'Chen, Wang, Deng, Shi, Wen, Zhang, Cui, Zhao. arXiv:2403.06529 (2024)',
  summary: 'ACW score fusion of a frozen RGB model and a depth CNN pre-trained on virtual 3DMM depth; rank-1 per probe subset',
  description:
    'Pre-trains a depth CNN on virtual 3DMM depth with Kinect-like degradation, keeps it and a pretrained RGB model (FaceRes) frozen, and ' +
    'trains only per-modality confidence heads whose softmax weights fuse the cosine scores. Compares RGB only, depth only (with and without ' +
    'virtual pre-training), mean score fusion and feature fusion by rank-1 per probe subset (FE, PS, OC, TM, low-quality RGB) and TAR@FAR 1e-3; ' +
    'quick/smoke use synthetic identities [recon], paper uses Lock3DFace.',
  tables: TABLES,
  profiles: PROFILES,
  datasets(size, dataDir) {
    return size.kind === 'lock3dface' ? [datasetRequirement('lock3dface', dataDir)] : [];
  },
  cells: {
    // One cell per training seed: workers train them in parallel; summariseSeeds joins them.
    synth: {
      plan: (size, seed) => (size.kind === 'synth' ? planSeedCells(size, seed, 'acw-synth', 'synth-rgbd') : []),
      run: (params: SeedCell<SynthSize>, cell, ctx) => runSynthCell(params, cell.id, cell.seed, ctx),
    },
    lock3dface: {
      plan: (size, seed) => (size.kind === 'lock3dface' ? planSeedCells(size, seed, 'acw-lock3dface', 'lock3dface') : []),
      run: (params: SeedCell<Lock3dSize>, cell, ctx) => runLock3dCell(params, cell.id, cell.seed, ctx),
    },
  },
  summarise: (rows, { size }) => summariseSeeds(rows, size.seeds),
});
