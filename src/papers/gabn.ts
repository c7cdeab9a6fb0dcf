// repro gabn: Gradient Attention Balance Network, mitigating face-recognition racial bias via gradient
// attention (docs/papers/gabn.md). Three cells:
//  - mechanism: baseline ArcFace vs GABN (GAM adversarial alignment through a GRL + Top-N erasing), trained
//    at several seeds on identities in four appearance groups balanced like BUPT-Balancedface, measured per
//    group RFW-style (10-fold verification, STD, SER), with GAM areas and a group probe on the GAMs.
//    smoke/quick: synthetic 3DMM identities [recon]; paper: BUPT-Balancedface → RFW.
//  - premise: attention area of a frozen pretrained model (face-api ResNet-34) on matched renders that
//    differ only in skin tone (inference only; the abstract's motivation).
//  - rfw_fixture: STD and SER of the RFW paper's commercial-API accuracies (the card's fixture).
import { join } from 'node:path';
import { InputError, ReproError } from '../core/errors.js';
import { derivedSeed } from '../core/rng.js';
import type { CellContext, CellFiles, CellPlan, MeasuredRow, Profile } from '../core/types.js';
import { datasetRequirement } from '../data/catalog.js';
import { loadIdentityFolderSet, loadPairsDatasetImages } from '../data/facesets.js';
import { resolveAllPairs } from '../data/pairs.js';
import { loadFaceApiNetwork, type DifferentiableFaceNet } from '../data/pretrained.js';
import { buptGroupsRoot, openBuptBalancedface, openRfw, RFW_GROUPS, type RfwGroup } from '../data/rfw.js';
import { generateFaceSet, GROUP_NAMES } from '../data/synth3dmm/index.js';
import { definePaper, oneCell, type RowOf } from '../harness/define-paper.js';
import { trainingCurves } from '../harness/curves.js';
import { sampleMeanSd, seedSummaryRows } from '../harness/seeds.js';
import { makeVerificationPairs, type ImagePair } from '../methods/face/index.js';
import {
  attentionArea,
  attentionGridPng,
  fairnessOf,
  matchedToneRenders,
  RFW_COMMERCIAL_APIS,
  runGabnExperiment,
  toneAttention,
  type GabnMethodName,
  type GabnNetConfig,
  type GamWeights,
  type GroupedFaceSet,
  type GroupTestSet,
  type RunResult,
  type TopNErasing,
} from '../methods/gabn/index.js';
import type { HeadConfig } from '../methods/heads/index.js';

const TABLES = {
  verification: {
    title: 'RFW-style verification accuracy (%) per group: 10-fold, flip-summed, within-group pairs',
    keyColumns: ['method', 'group', 'seed'],
    metrics: ['accuracy'],
  },
  fairness: {
    title: 'Fairness over the four groups: mean accuracy, STD (ddof 0), SER = (100 − min)/(100 − max), gap = max − min',
    keyColumns: ['method', 'seed'],
    metrics: ['mean_acc', 'std', 'ser', 'gap', 'min_acc', 'max_acc'],
  },
  attention_map: {
    title: 'Mean max-normalised test GAM per group, cell = row-major index on the grid (attention-grid.png draws the seed means)',
    keyColumns: ['method', 'group', 'seed', 'cell'],
    metrics: ['weight'],
  },
  attention: {
    title: 'Mean GAM attention area (share of grid cells > 0.5) per group; worst = the lowest-accuracy group of the baseline at that seed',
    keyColumns: ['method', 'group', 'seed'],
    metrics: ['area'],
  },
  discriminator: {
    title: 'Group discriminator accuracy (%) on GAMs: the training discriminator (last epoch) and a fresh probe on test GAMs; chance 25',
    keyColumns: ['method', 'measure', 'seed'],
    metrics: ['accuracy'],
  },
  stability: {
    title: 'Seed stability of each claimed relation (margin > 0 = the relation holds at that seed)',
    keyColumns: ['relation'],
    metrics: ['seeds_holding', 'seeds', 'margin_mean', 'margin_std', 'margin_min'],
  },
  training: {
    title: 'Training runs: mean loss of the last epoch and steps',
    keyColumns: ['method', 'seed'],
    metrics: ['final_loss', 'steps'],
  },
  premise: {
    title: 'Premise: input-gradient attention area of a frozen pretrained model on renders that differ only in skin tone',
    keyColumns: ['model', 'tone'],
    metrics: ['area', 'area_sd', 'cosine', 'images'],
  },
  rfw_fixture: {
    title: "RFW paper's commercial-API verification accuracies (%) and their mean, STD (ddof 0) and SER over the four groups",
    keyColumns: ['api'],
    metrics: ['lfw', 'caucasian', 'indian', 'asian', 'african', 'mean', 'std', 'ser'],
  },
  protocol: {
    title: 'Protocol counts of the run',
    keyColumns: ['dataset', 'item'],
    metrics: ['count'],
  },
} as const;
type Row = RowOf<typeof TABLES>;

/** What every profile trains and how (the GABN flags of docs/papers/gabn.md, all [recon]). */
interface Mechanism {
  seeds: number;
  net: GabnNetConfig;
  head: HeadConfig;
  epochs: number;
  batchSize: number;
  lr: number;
  methods: GabnMethodName[];
  /** λ_adv of the gradient-reversal layer. */
  adversarial: number;
  erase: TopNErasing;
  gamWeights: GamWeights;
  discriminatorHidden: number;
  probe: { hidden: number; steps: number; lr: number };
}

interface PremiseSize {
  ids: number;
  perId: number;
}

interface SynthSize {
  kind: 'synth';
  mechanism: Mechanism;
  premise: PremiseSize;
  trainIdsPerGroup: number;
  trainPerId: number;
  testIdsPerGroup: number;
  testPerId: number;
  pairsPerFold: number;
}

interface RfwSize {
  kind: 'rfw';
  mechanism: Mechanism;
  premise: PremiseSize;
  /** BUPT-Balancedface identities per group (the first in sorted order with at least minPerId images). */
  trainIdsPerGroup: number;
  minPerId: number;
  maxPerId: number;
  /** RFW pairs per group (6,000 = all). */
  maxPairs: number;
  /** Same-identity pairs per group whose two images get a GAM. */
  mapPairs: number;
}
type GabnSize = SynthSize | RfwSize;

const ERASE: TopNErasing = { cells: 3, weight: 1, fill: 'mean', groups: 'all' };

/** What every profile shares: SGD from 0.1, λ_adv 0.1, Top-3 erasing with λ_m 1, detached GAM weights. */
const SHARED = { lr: 0.1, adversarial: 0.1, erase: ERASE, gamWeights: 'detached', discriminatorHidden: 64 } as const satisfies Partial<Mechanism>;

/**
 * Sizes fixed before the comparison was run. quick: a 2-stage CNN at 32 px (8×8 GAM grid), ArcFace with
 * s = 16 (s = 64 left the within-group verification at chance after 300 steps in the measurements of
 * benchmarks/gabn/, so the scale is a trainability choice [recon]), m = 0.5; about 10 min on 2 cores.
 * paper: the card's 7×7 grid (112 px, 4 stages), s = 64, m = 0.5, 250 identities per group (the card's
 * small-scale harness) and the ablation.
 */
const PROFILES: Record<Profile, GabnSize> = {
  smoke: {
    kind: 'synth',
    mechanism: {
      seeds: 2,
      net: { inputSize: 16, widths: [8], embeddingDim: 16 },
      head: { kind: 'arcface', params: { s: 16, m: 0.5 } },
      epochs: 1,
      batchSize: 8,
      ...SHARED,
      methods: ['baseline', 'gabn'],
      erase: { ...ERASE, cells: 2 },
      discriminatorHidden: 8,
      probe: { hidden: 8, steps: 5, lr: 0.01 },
    },
    premise: { ids: 1, perId: 2 },
    trainIdsPerGroup: 2,
    trainPerId: 3,
    testIdsPerGroup: 20,
    testPerId: 2,
    pairsPerFold: 1,
  },
  quick: {
    kind: 'synth',
    mechanism: {
      seeds: 3,
      net: { inputSize: 32, widths: [16, 32], embeddingDim: 128 },
      head: { kind: 'arcface', params: { s: 16, m: 0.5 } },
      epochs: 8,
      batchSize: 32,
      ...SHARED,
      methods: ['baseline', 'gabn'],
      probe: { hidden: 64, steps: 300, lr: 0.01 },
    },
    premise: { ids: 16, perId: 2 },
    trainIdsPerGroup: 25,
    trainPerId: 12,
    testIdsPerGroup: 30,
    testPerId: 6,
    pairsPerFold: 30,
  },
  paper: {
    kind: 'rfw',
    mechanism: {
      seeds: 3,
      net: { inputSize: 112, widths: [32, 64, 128, 256], embeddingDim: 512 },
      head: { kind: 'arcface', params: { s: 64, m: 0.5 } },
      epochs: 20,
      batchSize: 64,
      ...SHARED,
      methods: ['baseline', 'adversarial', 'erasing', 'gabn'],
      probe: { hidden: 64, steps: 500, lr: 0.01 },
    },
    premise: { ids: 16, perId: 2 },
    trainIdsPerGroup: 250,
    minPerId: 5,
    maxPerId: 30,
    maxPairs: 6000,
    mapPairs: 300,
  },
};

const SYNTH_NOTE = '[recon] synthetic 3DMM identities (src/data/synth3dmm) in four appearance groups (skin, brow, iris, hair, shape mean), not BUPT/RFW';
const PROTOCOL_NOTE = 'insightface-10fold: flip-summed L2-normalised embeddings, squared L2, thresholds 0:0.01:4 on 9 folds';

function mechanismNote(m: Mechanism, grid: number): string {
  const h = m.head.kind === 'arcface' ? `ArcFace s=${m.head.params.s} m=${m.head.params.m}` : m.head.kind;
  return (
    `[recon] CNN ${m.net.inputSize}px widths ${m.net.widths.join('/')} (conv3x3/2-BN-PReLU-conv3x3-BN-PReLU per stage), FC-BN ${m.net.embeddingDim}-d, ${h}; ` +
    `SGD 0.9 wd 5e-4 lr ${m.lr} /10 at 60%,85%, ${m.epochs} epochs batch ${m.batchSize}, flips; GAM = Grad-CAM on the last conv map (${grid}x${grid} cells), ` +
    `target cos θ_y in training (inference-mode embedding layer), w_c ${m.gamWeights}, max-normalised; GABN = baseline + ${m.adversarial} x GRL into a ` +
    `${grid * grid}-${m.discriminatorHidden}-4 group discriminator + ${m.erase.weight} x ArcFace on x_mask (top ${m.erase.cells} cells set to the image's ` +
    `${m.erase.fill === 'mean' ? 'mean colour' : 'zero'}, groups ${m.erase.groups === 'all' ? 'all' : m.erase.groups.join(',')}); baseline trains the same discriminator on detached maps`
  );
}

// ---- data ----

function groupTestSet(images: Float32Array, size: number, labels: Int32Array, classes: number, perFold: number, seed: number): GroupTestSet {
  const pairs = makeVerificationPairs(labels, classes, perFold, 10, seed);
  return { images, count: labels.length, size, pairs, identities: labels, mapRows: Int32Array.from(labels, (_, i) => i) };
}

/** The group-g images of a generated set, identities renumbered 0..k-1 in order. */
function groupSubset(set: ReturnType<typeof generateFaceSet>, g: number): { images: Float32Array; labels: Int32Array; classes: number } {
  const px = set.height * set.width * 3;
  const rows: number[] = [];
  for (let i = 0; i < set.count; i++) if (set.groups[i] === g) rows.push(i);
  const images = new Float32Array(rows.length * px);
  rows.forEach((r, k) => images.set(set.images.subarray(r * px, (r + 1) * px), k * px));
  const ids = new Map<number, number>();
  const labels = Int32Array.from(rows, (r) => {
    if (!ids.has(set.labels[r]!)) ids.set(set.labels[r]!, ids.size);
    return ids.get(set.labels[r]!)!;
  });
  return { images, labels, classes: ids.size };
}

interface MechanismData {
  train: GroupedFaceSet;
  groupNames: string[];
  loadGroup: (g: number) => Promise<GroupTestSet>;
  note: string;
  protocol: Row[];
}

/** Train identities 0.. and test identities 100000.. of one generator; group = identity mod 4 (balanced). */
function synthData(size: SynthSize, dataSeed: number): MechanismData {
  const side = size.mechanism.net.inputSize;
  const groups = GROUP_NAMES.length;
  const tr = generateFaceSet({ ids: groups * size.trainIdsPerGroup, perId: size.trainPerId, seed: dataSeed, size: side });
  const te = generateFaceSet({ ids: groups * size.testIdsPerGroup, perId: size.testPerId, firstId: 100_000, seed: dataSeed, size: side });
  const train: GroupedFaceSet = { images: tr.images, labels: tr.labels, groups: tr.groups, count: tr.count, size: side, classes: tr.classes };
  const sets = GROUP_NAMES.map((_, g) => {
    const sub = groupSubset(te, g);
    return groupTestSet(sub.images, side, sub.labels, sub.classes, size.pairsPerFold, derivedSeed(dataSeed, `pairs-${g}`));
  });
  const pairs = sets[0]!.pairs.length;
  return {
    train,
    groupNames: [...GROUP_NAMES],
    loadGroup: async (g) => sets[g]!,
    note: `${SYNTH_NOTE}; train ${size.trainIdsPerGroup} ids x ${size.trainPerId} renders per group, test ${size.testIdsPerGroup} held-out ids x ${size.testPerId} per group, ${pairs} within-group pairs per group (10 folds of ${size.pairsPerFold} same + ${size.pairsPerFold} different, identities disjoint between folds); no bias induced`,
    protocol: [
      { table: 'protocol', key: { dataset: 'synthetic', item: 'train identities per group' }, metric: 'count', value: size.trainIdsPerGroup },
      { table: 'protocol', key: { dataset: 'synthetic', item: 'train images' }, metric: 'count', value: tr.count },
      { table: 'protocol', key: { dataset: 'synthetic', item: 'test identities per group' }, metric: 'count', value: size.testIdsPerGroup },
      { table: 'protocol', key: { dataset: 'synthetic', item: 'pairs per group' }, metric: 'count', value: pairs },
    ],
  };
}

/**
 * BUPT-Balancedface → RFW (the card's protocol): every folder and pairs line is checked (exit 2 naming the
 * file) before any image is decoded or any training starts.
 */
async function rfwData(size: RfwSize, dataDir: string): Promise<MechanismData> {
  const buptRoot = datasetRequirement('bupt-balancedface', dataDir).path;
  const rfwRoot = datasetRequirement('rfw', dataDir).path;
  const bupt = openBuptBalancedface(buptRoot);
  const rfw = openRfw(rfwRoot);
  for (const g of RFW_GROUPS) resolveAllPairs(rfw[g]);
  const groupsRoot = buptGroupsRoot(buptRoot);
  for (const g of RFW_GROUPS) {
    const usable = bupt[g].filter((f) => f.files.length >= size.minPerId).length;
    if (usable < size.trainIdsPerGroup)
      throw new InputError(
        `${join(groupsRoot, g)}: ${usable} identities with at least ${size.minPerId} images, the paper profile takes ${size.trainIdsPerGroup}. Fix: extract the complete BUPT-Balancedface archive.`,
      );
  }
  const side = size.mechanism.net.inputSize;
  const parts = [];
  for (const g of RFW_GROUPS)
    parts.push(
      await loadIdentityFolderSet(join(groupsRoot, g), {
        size: { width: side, height: side },
        maxIdentities: size.trainIdsPerGroup,
        maxPerIdentity: size.maxPerId,
        minPerIdentity: size.minPerId,
      }),
    );
  const count = parts.reduce((n, p) => n + p.count, 0);
  const images = new Uint8Array(count * side * side * 3);
  const labels = new Int32Array(count);
  const groups = new Int32Array(count);
  let offset = 0;
  let classes = 0;
  parts.forEach((p, g) => {
    images.set(p.pixels, offset * side * side * 3);
    for (let i = 0; i < p.count; i++) {
      labels[offset + i] = classes + p.labels[i]!;
      groups[offset + i] = g;
    }
    offset += p.count;
    classes += p.classes;
  });
  const loadGroup = async (g: number): Promise<GroupTestSet> => {
    const ds = rfw[RFW_GROUPS[g] as RfwGroup];
    const loaded = await loadPairsDatasetImages(ds, { width: side, height: side }, size.maxPairs);
    const n = loaded.issame.length;
    const all = new Uint8Array(2 * n * side * side * 3);
    all.set(loaded.left.pixels, 0);
    all.set(loaded.right.pixels, n * side * side * 3);
    const pairs: ImagePair[] = loaded.issame.map((same, i) => ({ a: i, b: n + i, same }));
    // Both images of a same pair share a label (each is the other's GAM reference); the others are alone.
    const identities = Int32Array.from({ length: 2 * n }, (_, i) => (i < n || loaded.issame[i - n] ? i % n : i));
    const same = loaded.issame.flatMap((s, i) => (s ? [i] : [])).slice(0, size.mapPairs);
    return { images: all, count: 2 * n, size: side, pairs, identities, mapRows: Int32Array.from([...same, ...same.map((i) => n + i)]) };
  };
  return {
    train: { images, labels, groups, count, size: side, classes },
    groupNames: [...RFW_GROUPS],
    loadGroup,
    note:
      `BUPT-Balancedface at ${buptRoot}: the first ${size.trainIdsPerGroup} identities per group (sorted) with >= ${size.minPerId} images, <= ${size.maxPerId} each, resized to ${side}px ` +
      `[recon: no alignment beyond the distributed crops]; RFW at ${rfwRoot}: up to ${size.maxPairs} pairs per group in file order as 10 contiguous folds [recon]; ` +
      `GAMs of both images of the first ${size.mapPairs} same pairs (each image's reference = its partner)`,
    protocol: [
      { table: 'protocol', key: { dataset: 'bupt-balancedface', item: 'train identities per group' }, metric: 'count', value: size.trainIdsPerGroup },
      { table: 'protocol', key: { dataset: 'bupt-balancedface', item: 'train images' }, metric: 'count', value: count },
      ...RFW_GROUPS.map((g): Row => ({
        table: 'protocol',
        key: { dataset: 'rfw', item: `${g} pairs` },
        metric: 'count',
        value: Math.min(size.maxPairs, rfw[g].pairs.pairs.length),
      })),
    ],
  };
}

// ---- rows: one cell per (method, seed), then the summary over seeds ----

/** One trained network: its method and training seed (the plan's seed), on the profile's data. */
interface MechanismCell {
  size: GabnSize;
  method: GabnMethodName;
  /** Shared by every cell, so that all train and test on the same identities. */
  dataSeed: number;
  /** The first cell also writes the protocol counts. */
  protocol: boolean;
}

const FAIRNESS_METRICS = [
  ['mean_acc', (f: RunResult['fairness']) => f.mean, 'mean of the four group accuracies'],
  ['std', (f: RunResult['fairness']) => f.std, 'population std (ddof 0) of the four group accuracies'],
  ['ser', (f: RunResult['fairness']) => f.ser, '(100 - min acc)/(100 - max acc); null when the best group has no error'],
  ['gap', (f: RunResult['fairness']) => f.gap, 'max - min group accuracy (points)'],
  ['min_acc', (f: RunResult['fairness']) => f.min, 'lowest group accuracy'],
  ['max_acc', (f: RunResult['fairness']) => f.max, 'highest group accuracy'],
] as const;

const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** The rows of one trained network at one seed. */
function runRows(r: RunResult, groupNames: string[], setup: string): Row[] {
  const { method, seed } = r;
  const rows: Row[] = [];
  groupNames.forEach((group, g) => {
    rows.push({ table: 'verification', key: { method, group, seed }, metric: 'accuracy', value: finite(r.accuracy[g]!), note: `${setup}; ${PROTOCOL_NOTE}` });
    rows.push({
      table: 'attention',
      key: { method, group, seed },
      metric: 'area',
      value: finite(r.areas[g]!),
      note: 'share of cells > 0.5 of the max-normalised test GAM (similarity target: cosine to the leave-one-out identity mean), mean over test images',
    });
    r.meanMaps[g]!.forEach((w, cell) => rows.push({ table: 'attention_map', key: { method, group, seed, cell }, metric: 'weight', value: w }));
  });
  for (const [metric, get, what] of FAIRNESS_METRICS)
    rows.push({ table: 'fairness', key: { method, seed }, metric, value: finite(get(r.fairness)), note: what });
  rows.push(
    {
      table: 'discriminator',
      key: { method, measure: 'training-last-epoch', seed },
      metric: 'accuracy',
      value: finite(r.trainingDiscriminator),
      note: 'the discriminator trained with the network, on the training batches of the last epoch (baseline: on detached maps, no gradient to the network)',
    },
    {
      table: 'discriminator',
      key: { method, measure: 'probe', seed },
      metric: 'accuracy',
      value: finite(r.probe),
      note: 'a fresh discriminator fitted (Adam, full batch) on the test GAMs of half the test identities of each group, scored on the other half',
    },
    {
      table: 'training',
      key: { method, seed },
      metric: 'final_loss',
      value: finite(r.finalLoss),
      note: 'total training loss (ArcFace + discriminator CE + weighted x_mask ArcFace + weight decay), mean over the last epoch',
    },
    { table: 'training', key: { method, seed }, metric: 'steps', value: r.steps },
  );
  return rows;
}

async function runMechanismCell(p: MechanismCell, { id: cellId, seed }: CellPlan, ctx: CellContext): Promise<Row[]> {
  const { size } = p;
  const data = size.kind === 'synth' ? synthData(size, p.dataSeed) : await rfwData(size, ctx.dataDir);
  const m = size.mechanism;
  ctx.progress.log(`gabn: ${data.train.count} training images, ${p.method} seed ${seed}`);
  const [result] = await runGabnExperiment(
    data.train,
    data.groupNames.length,
    data.loadGroup,
    {
      train: {
        net: m.net,
        head: m.head,
        epochs: m.epochs,
        batchSize: m.batchSize,
        lr: m.lr,
        discriminatorHidden: m.discriminatorHidden,
        gamWeights: m.gamWeights,
      },
      methods: [p.method],
      adversarial: m.adversarial,
      erase: m.erase,
      seeds: [seed],
      probe: m.probe,
    },
    ctx.progress,
  );
  const curves = trainingCurves(['epoch', 'loss', 'discriminator_accuracy']);
  result!.epochLosses.forEach((loss, e) => curves.add({ epoch: e + 1, loss, discriminator_accuracy: result!.epochDiscriminator[e]! }));
  curves.write(ctx.files, cellId);
  const setup = `${data.note}; ${mechanismNote(m, gridOf(m))}; backend ${ctx.backend}`;
  return [...runRows(result!, data.groupNames, setup), ...(p.protocol ? data.protocol : [])];
}

const gridOf = (m: Mechanism): number => m.net.inputSize / 2 ** m.net.widths.length;

/** The claimed relations whose seed stability is reported: margin > 0 when the relation holds at a seed. */
const RELATIONS: { id: string; margin: (value: (method: string, table: 'fairness' | 'discriminator' | 'worst', metric: string) => number) => number }[] = [
  { id: 'std gabn<baseline', margin: (v) => v('baseline', 'fairness', 'std') - v('gabn', 'fairness', 'std') },
  { id: 'ser gabn<baseline', margin: (v) => v('baseline', 'fairness', 'ser') - v('gabn', 'fairness', 'ser') },
  { id: 'mean_acc gabn>=baseline-0.5', margin: (v) => v('gabn', 'fairness', 'mean_acc') - v('baseline', 'fairness', 'mean_acc') + 0.5 },
  { id: 'probe gabn<baseline', margin: (v) => v('baseline', 'discriminator', 'probe') - v('gabn', 'discriminator', 'probe') },
  {
    id: 'training discriminator gabn<baseline',
    margin: (v) => v('baseline', 'discriminator', 'training-last-epoch') - v('gabn', 'discriminator', 'training-last-epoch'),
  },
  { id: 'worst-group area gabn>baseline', margin: (v) => v('gabn', 'worst', 'area') - v('baseline', 'worst', 'area') },
];

/**
 * The summary of the (method, seed) cells: the worst group's area at each seed (the reference method's
 * lowest-accuracy group, first on ties), the mean and sd over seeds of every per-seed row, the seed
 * stability of each claimed relation, and the picture of the seed-mean maps.
 */
async function summariseMechanism(rows: readonly MeasuredRow[], size: GabnSize, files: CellFiles): Promise<Row[]> {
  const m = size.mechanism;
  const reference = m.methods.includes('baseline') ? 'baseline' : m.methods[0]!;
  const seedRows = rows.filter((r) => typeof r.key.seed === 'number' && r.table !== 'protocol');
  const seeds = [...new Set(seedRows.map((r) => r.key.seed as number))];
  const find = (table: string, method: string, seed: number, match: (r: MeasuredRow) => boolean) =>
    seedRows.find((r) => r.table === table && r.key.method === method && r.key.seed === seed && match(r));
  const accuracies = (seed: number) => seedRows.filter((r) => r.table === 'verification' && r.key.method === reference && r.key.seed === seed);
  const worstGroups = new Map<number, string>();
  for (const seed of seeds) {
    const acc = accuracies(seed);
    if (acc.length > 0) worstGroups.set(seed, acc.reduce((w, r) => ((r.value ?? Infinity) < (w.value ?? Infinity) ? r : w)).key.group as string);
  }
  const worstNote = `area of the group with the lowest ${reference} accuracy at each seed (${[...worstGroups.values()].join(', ')})`;
  const worst: MeasuredRow[] = [];
  for (const [seed, group] of worstGroups)
    for (const method of m.methods) {
      const area = find('attention', method, seed, (r) => r.key.group === group);
      if (area) worst.push({ table: 'attention', key: { method, group: 'worst', seed }, metric: 'area', value: area.value, note: worstNote });
    }
  const measured = [...seedRows, ...worst];
  const summary = seedSummaryRows(measured, m.seeds, (r) => r.table !== 'attention_map' && !(r.table === 'training' && r.metric === 'steps'));
  const meanMaps = seedSummaryRows(measured, m.seeds, (r) => r.table === 'attention_map').filter((r) => r.key.seed === 'mean');

  const stability: Row[] = [];
  if (m.methods.includes('gabn') && m.methods.includes('baseline')) {
    for (const rel of RELATIONS) {
      const margins = seeds
        .map((seed) =>
          rel.margin((method, table, metric) => {
            const row =
              table === 'worst'
                ? worst.find((r) => r.key.method === method && r.key.seed === seed)
                : table === 'fairness'
                  ? find('fairness', method, seed, (r) => r.metric === metric)
                  : find('discriminator', method, seed, (r) => r.key.measure === metric);
            return row?.value ?? Number.NaN;
          }),
        )
        .filter(Number.isFinite);
      if (margins.length === 0) continue;
      const holding = margins.filter((x) => x > 0).length;
      const { mean, sd } = sampleMeanSd(margins);
      const verdict =
        holding === margins.length ? 'stable: holds at every seed' : holding === 0 ? 'stable: fails at every seed' : 'unstable: flips between seeds';
      const key = { relation: rel.id };
      stability.push(
        { table: 'stability', key, metric: 'seeds_holding', value: holding, note: verdict },
        { table: 'stability', key, metric: 'seeds', value: margins.length, note: `seeds at which both methods were measured, of ${m.seeds} planned` },
        { table: 'stability', key, metric: 'margin_mean', value: mean },
        { table: 'stability', key, metric: 'margin_std', value: sd, note: 'sample sd (n - 1) over seeds' },
        { table: 'stability', key, metric: 'margin_min', value: Math.min(...margins) },
      );
    }
  }

  const grid = gridOf(m);
  const groupNames = [...new Set(seedRows.filter((r) => r.table === 'verification').map((r) => r.key.group as string))];
  const complete = meanMaps.length === m.methods.length * groupNames.length * grid * grid;
  if (complete) {
    const map = (method: string, group: string) =>
      Float32Array.from(
        { length: grid * grid },
        (_, cell) => meanMaps.find((r) => r.key.method === method && r.key.group === group && r.key.cell === cell)!.value!,
      );
    const maps = m.methods.map((method) => groupNames.map((group) => map(method, group)));
    files.write('attention-grid.png', await attentionGridPng(maps, { grid, cellPx: Math.max(4, Math.round(96 / grid)) }));
  }
  return [...worst, ...summary, ...meanMaps, ...stability] as Row[];
}

// ---- premise ----

/** face-api's ResNet-34, with an unreadable model file reported as exit 2 naming it. */
async function loadPremiseModel(): Promise<DifferentiableFaceNet> {
  try {
    return await loadFaceApiNetwork();
  } catch (e) {
    if (e instanceof ReproError) throw e;
    throw new InputError(
      `@vladmandic/face-api model/face_recognition_model-weights_manifest.json (or its weights) could not be read: ${(e as Error).message}. Fix: reinstall the package (npm ci).`,
    );
  }
}

const PREMISE_GRID = 7;

async function runPremiseCell(size: GabnSize, seed: number, ctx: CellContext): Promise<Row[]> {
  const net = await loadPremiseModel();
  try {
    const renders = matchedToneRenders({ seed: derivedSeed(seed, 'premise'), ids: size.premise.ids, perId: size.premise.perId, size: 112, firstId: 300_000 });
    ctx.progress.log(`gabn premise: input-gradient maps of ${renders.count} renders through face-api`);
    const { maps, cosines } = await toneAttention(net, renders, PREMISE_GRID);
    const cells = PREMISE_GRID * PREMISE_GRID;
    const area = attentionArea(maps, renders.count, cells);
    const setup =
      `[recon] ${size.premise.ids} synthetic identities x ${size.premise.perId} renders at 112px, each render re-tinted to the four groups' mean skin colour ` +
      '(linear-RGB albedo gain on the face pixels; geometry, pose, light and texture pattern identical); face-api ResNet-34 frozen (inference only); ' +
      `GAM = |d cos(f(x), r)/dx| summed over channels, pooled to ${PREMISE_GRID}x${PREMISE_GRID} cells, max-normalised (the pretrained forward exposes no ` +
      'intermediate map, so an input-gradient map stands in for Grad-CAM); r = mean normalised embedding of the same identity and tone, other renders';
    const rows: Row[] = [];
    const meanMaps: Float32Array[] = [];
    GROUP_NAMES.forEach((tone, t) => {
      const idx = Array.from(renders.tone.keys()).filter((i) => renders.tone[i] === t);
      const a = sampleMeanSd(idx.map((i) => area[i]!));
      const key = { model: 'faceapi-resnet34', tone };
      rows.push(
        { table: 'premise', key, metric: 'area', value: a.mean, note: `${setup}; tone = the mean skin colour of ${tone}` },
        { table: 'premise', key, metric: 'area_sd', value: a.sd, note: 'sample sd over images' },
        { table: 'premise', key, metric: 'cosine', value: sampleMeanSd(idx.map((i) => cosines[i]!)).mean, note: 'mean cos(f(x), r): the target value' },
        { table: 'premise', key, metric: 'images', value: idx.length },
      );
      const mean = new Float32Array(cells);
      for (const i of idx) for (let c = 0; c < cells; c++) mean[c]! += maps[i * cells + c]! / idx.length;
      meanMaps.push(mean);
    });
    ctx.files.write('premise-grid.png', await attentionGridPng([meanMaps], { grid: PREMISE_GRID, cellPx: 14 }));
    return rows;
  } finally {
    net.dispose();
  }
}

// ---- the RFW fixture ----

function fixtureRows(): Row[] {
  const rows: Row[] = [];
  const groups = ['Caucasian', 'Indian', 'Asian', 'African'] as const;
  const apis = Object.entries(RFW_COMMERCIAL_APIS);
  const note = "RFW (ICCV 2019) introduction, via the card's 'RFW reference table'";
  const push = (api: string, values: Record<'LFW' | (typeof groups)[number], number>, source: string) => {
    const f = fairnessOf(groups.map((g) => values[g]));
    rows.push(
      { table: 'rfw_fixture', key: { api }, metric: 'lfw', value: values.LFW, note: source },
      ...groups.map((g): Row => ({ table: 'rfw_fixture', key: { api }, metric: g.toLowerCase() as Lowercase<typeof g>, value: values[g] })),
      { table: 'rfw_fixture', key: { api }, metric: 'mean', value: f.mean, note: 'mean of the four groups' },
      { table: 'rfw_fixture', key: { api }, metric: 'std', value: f.std, note: 'population std (ddof 0), src/methods/gabn/fairness.ts' },
      { table: 'rfw_fixture', key: { api }, metric: 'ser', value: f.ser, note: '(100 - min)/(100 - max)' },
    );
  };
  for (const [api, values] of apis) push(api, values, note);
  // The card's "mean" row: each column averaged over the four APIs.
  const columns = ['LFW', ...groups] as const;
  const mean = Object.fromEntries(columns.map((c) => [c, apis.reduce((s, [, v]) => s + v[c], 0) / apis.length])) as Record<(typeof columns)[number], number>;
  push('mean-of-apis', mean, 'each column averaged over the four APIs (the card\'s "mean" row)');
  return rows;
}

export const gabnPaper = definePaper({
  id: 'gabn',
  title: 'Gradient Attention Balance Network: Mitigating Face Recognition Racial Bias via Gradient Attention',
  citation: 'Huang, Wang, Liang, Deng, Shi, Wen, Zhang, Zhao. CVPR 2023 Workshops, pp. 38-47, arXiv:2304.02284',
  summary: 'GABN (GAM adversarial alignment + Top-N erasing) vs ArcFace: per-group verification accuracy, STD and SER, GAM areas',
  description:
    'Trains a face CNN with ArcFace alone and with GABN: Grad-CAM attention maps (GAMs) on the last convolution, a group discriminator on the ' +
    'maps behind a gradient-reversal layer, and an extra ArcFace term on images whose Top-N attended cells are erased; then measures ' +
    'RFW-style 10-fold verification accuracy per group, their STD and skewed error ratio, the GAM area per group and how well a probe still ' +
    'tells the groups apart from the maps, over several seeds. Also checks the premise (attention area of a pretrained model on renders that ' +
    'differ only in skin tone) and the STD/SER of the RFW commercial-API table. smoke/quick use synthetic 3DMM identities in four appearance ' +
    'groups [recon]; paper trains on BUPT-Balancedface and tests on RFW.',
  examples: ['<%= config.bin %> gabn --profile quick --jobs 2'],
  tables: TABLES,
  profiles: PROFILES,
  datasets(size, dataDir) {
    return size.kind === 'rfw' ? [datasetRequirement('bupt-balancedface', dataDir), datasetRequirement('rfw', dataDir)] : [];
  },
  cells: {
    mechanism: {
      // One cell per (method, seed): workers train them in parallel; summariseMechanism joins them.
      plan: (size, seed) => {
        const base = derivedSeed(seed, 'gabn-mechanism');
        const dataSeed = derivedSeed(base, 'data');
        return size.mechanism.methods.flatMap((method, i) =>
          Array.from({ length: size.mechanism.seeds }, (_, k) => ({
            id: `mechanism-${method}-s${k + 1}`,
            params: { size, method, dataSeed, protocol: i === 0 && k === 0 } satisfies MechanismCell,
            seed: derivedSeed(base, `train-${k}`),
          })),
        );
      },
      run: (params: MechanismCell, cell, ctx) => runMechanismCell(params, cell, ctx),
    },
    premise: {
      plan: (size, seed) => [{ id: 'premise', params: size, seed: derivedSeed(seed, 'gabn-premise') }],
      run: (params: GabnSize, cell, ctx) => runPremiseCell(params, cell.seed, ctx),
    },
    fixture: oneCell('rfw-fixture', fixtureRows),
  },
  summarise: (rows, { size, files }) => summariseMechanism(rows, size, files),
});
