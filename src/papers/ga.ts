// repro ga: class-universal facial privacy cloaks, GA (gradient accumulation) vs large- and small-batch
// OPOM at an equal image-gradient budget (card: docs/papers/ga.md). smoke/quick: synthetic 3DMM users
// [recon] cloaked through face-api's ResNet-34 (white-box surrogate), evaluated on the black-box FaceRes
// 1024-d and on the surrogate itself (white-box row); paper: the Privacy-Commons / OPOM protocol.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { datasetRequirement } from '../data/catalog.js';
import { corruptFile, datasetRelativePath, readLines } from '../data/fileio.js';
import { decodeImage } from '../data/images.js';
import { PRIVACY_COMMONS_LISTS } from '../data/verify.js';
import { loadFaceApiResNet34, loadHumanFaceRes, type FaceEmbedder } from '../data/pretrained.js';
import { createFaceGenerator, mixSeed } from '../data/synth3dmm/index.js';
import { derivedSeed } from '../core/rng.js';
import { InputError } from '../core/errors.js';
import type { CellContext, Profile } from '../core/types.js';
import { sampleMeanSd } from '../harness/seeds.js';
import { definePaper, type RowOf } from '../harness/define-paper.js';
import {
  applyCloak,
  cloakFigurePng,
  imageGradientBudget,
  loadFaceApiSurrogate,
  meanCosineToIdentity,
  optimiseCloak,
  protectionCounts,
  protectionRate,
  psnr,
  ssim,
  surrogateOracle,
  type CloakConfig,
  type CloakCounts,
  type IdentityImages,
  type LossKind,
  type ProtectionCounts,
} from '../methods/ga/index.js';

const TABLES = {
  protection: {
    title: 'OPOM protection rate (%) of class-universal cloaks at an equal image-gradient budget, top-k, and mean cosine to the clean identity',
    keyColumns: ['target', 'method', 'seed'],
    metrics: ['top1', 'top5', 'top10', 'mean_cos'],
  },
  quality: {
    title: 'Image quality of the cloaked test images',
    keyColumns: ['method', 'seed'],
    metrics: ['psnr', 'ssim', 'linf_255'],
  },
  budget: {
    title: 'Cost of one cloak: surrogate image-gradients and sign quantisations',
    keyColumns: ['method'],
    metrics: ['image_grads', 'oracle_calls', 'outer_signs', 'inner_signs', 'outer_signs_per_epoch'],
  },
} as const;
type Row = RowOf<typeof TABLES>;

/** The card's methods and flags (docs/papers/ga.md "GA method"); `none` is the uncloaked baseline. */
export const GA_METHODS = ['none', 'opom-large', 'opom-small', 'ga', 'ga-fixed-inner', 'ga-momentum', 'fi-uap-large'] as const;
export type GaMethod = (typeof GA_METHODS)[number];

interface Budget {
  /** ε and α on the 0..255 scale (OPOM: 8 and 1). */
  epsilon255: number;
  step255: number;
  /** T: outer steps of every optimiser (epochs for small-batch). */
  outerSteps: number;
  /** b and K of the card. */
  batch: number;
  innerFactor: number;
  loss: LossKind;
}

function methodConfig(method: Exclude<GaMethod, 'none'>, b: Budget): CloakConfig {
  const common = {
    epsilon: b.epsilon255 / 255,
    step: b.step255 / 255,
    outerSteps: b.outerSteps,
    batch: b.batch,
    innerFactor: b.innerFactor,
    innerUpdate: true,
    momentum: 0,
    init: 'uniform' as const,
  };
  switch (method) {
    case 'opom-large':
    case 'fi-uap-large':
      return { ...common, optimizer: 'large-batch' };
    case 'opom-small':
      return { ...common, optimizer: 'small-batch' };
    case 'ga':
      return { ...common, optimizer: 'ga' };
    case 'ga-fixed-inner':
      return { ...common, optimizer: 'ga', innerUpdate: false };
    case 'ga-momentum':
      return { ...common, optimizer: 'ga', momentum: 1 };
  }
}

/** Methods whose loss is fixed (otherwise the profile's OPOM loss). */
const METHOD_LOSS: Partial<Record<GaMethod, LossKind>> = { 'fi-uap-large': 'fi-uap' };

const METHOD_NOTES: Record<GaMethod, string> = {
  none: 'no cloak (δ = 0): the protection the clean images already have',
  'opom-large': 'large-batch OPOM: one signed step per gradient of all N training images',
  'opom-small': 'small-batch OPOM: a signed step after each mini-batch of b (shuffled partition per epoch)',
  ga: 'GA: K·N/b inner pre-search steps on random mini-batches that move δ_in, mean of the inner gradients, one signed outer step [sga-code]',
  'ga-fixed-inner': 'GA with the inner gradients all taken at δ (card flag innerUpdate = false)',
  'fi-uap-large': "large-batch FI-UAP (the OPOM logs' calibration method; loss fi-uap whatever the profile's loss)",
  'ga-momentum': 'GA + momentum on the outer gradient, v ← v + g/mean|g| (OPOM M-DFANet decay 1.0; no DFANet dropout)',
};

interface SynthSize {
  kind: 'synth';
  /** Users (identities that cloak themselves) per replicate; replicates use disjoint users and cloak seeds. */
  users: number;
  reps: number;
  /** N training renders (cloak) and M test renders (queries and mates) per user. */
  trainPerUser: number;
  testPerUser: number;
  /** Distractor identities, one render each. */
  distractors: number;
  budget: Budget;
  /** Methods grouped into cells (a cell shares its data and distractor embeddings). */
  cells: GaMethod[][];
}

interface PaperSize {
  kind: 'privacy-commons';
  /** Identities cloaked (all 500 of the lists). */
  maxIdentities: number;
  budget: Budget;
  cells: GaMethod[][];
}

type GaSize = SynthSize | PaperSize;

const CARD_BUDGET: Budget = { epsilon255: 8, step255: 1, outerSteps: 16, batch: 2, innerFactor: 1, loss: 'affine-hull' };

/**
 * Sizes fixed before any run. quick: ε = 8, α = 1, T = 16, N = 10 as the OPOM scripts; b = 2, K = 1 as
 * the card suggests (equal budget: 160 image-gradients per cloak for every method); 2 users × 3
 * replicates, 5 test renders, 150 distractors; four cells of equal cost for 2 workers.
 */
const PROFILES: Record<Profile, GaSize> = {
  smoke: {
    kind: 'synth',
    users: 1,
    reps: 2,
    trainPerUser: 2,
    testPerUser: 2,
    distractors: 3,
    budget: { ...CARD_BUDGET, outerSteps: 1, batch: 1 },
    cells: [['none', 'opom-large', 'opom-small', 'ga']],
  },
  quick: {
    kind: 'synth',
    users: 2,
    reps: 3,
    trainPerUser: 10,
    testPerUser: 5,
    distractors: 150,
    budget: CARD_BUDGET,
    cells: [['none', 'opom-large'], ['opom-small'], ['ga'], ['ga-fixed-inner']],
  },
  paper: {
    kind: 'privacy-commons',
    maxIdentities: 500,
    budget: CARD_BUDGET,
    cells: [['none', 'opom-large'], ['opom-small'], ['ga'], ['ga-fixed-inner'], ['ga-momentum'], ['fi-uap-large']],
  },
};

/** The six black-box targets of the OPOM/AdvCloak protocol (docs/papers/ga.md "Black-box targets"). */
export const PAPER_TARGETS = ['r50-arcface', 'r50-cosface', 'r50-sface', 'mobilefacenet-softmax', 'se-r50-softmax', 'i1-softmax'] as const;

const K_LIST = [1, 5, 10] as const;
const SYNTH_NOTE = '[recon] synthetic 3DMM users (src/data/synth3dmm) in place of Privacy-Commons';
const PROTOCOL_NOTE =
  'protection = 1 − top-k hit rate (OPOM protocol [opom-code]): each cloaked test image i queries a gallery of ONE clean test image j ≠ i of the same ' +
  'person plus all distractors, by cosine; a hit when the mate ranks within the top k (ties against the person); pooled over pairs and users';

interface User {
  train: IdentityImages;
  test: IdentityImages;
}

interface ProtocolData {
  reps: User[][];
  distractors: IdentityImages;
  note: string;
}

const SIZE = 112;

function renderSet(gen: ReturnType<typeof createFaceGenerator>, identity: number, seeds: number[]): IdentityImages {
  const px = SIZE * SIZE * 3;
  const images = new Float32Array(seeds.length * px);
  seeds.forEach((s, k) => {
    const face = gen.identity(identity).render(s);
    for (let q = 0; q < px; q++) images[k * px + q] = face.rgb[q]! / 255;
  });
  return { images, n: seeds.length, height: SIZE, width: SIZE };
}

/**
 * Users of replicate r are identities 100000 + r·users + u; distractors are identities 0..D−1. Training
 * and test renders of a user are disjoint draws of pose, expression and light (different sample seeds).
 */
function synthData(size: SynthSize, seed: number): ProtocolData {
  const dataSeed = derivedSeed(seed, 'data');
  const gen = createFaceGenerator({ seed: dataSeed, size: SIZE });
  const reps: User[][] = [];
  for (let r = 0; r < size.reps; r++) {
    const users: User[] = [];
    for (let u = 0; u < size.users; u++) {
      const id = 100_000 + r * size.users + u;
      users.push({
        train: renderSet(
          gen,
          id,
          Array.from({ length: size.trainPerUser }, (_, k) => mixSeed(dataSeed, 1, id, k)),
        ),
        test: renderSet(
          gen,
          id,
          Array.from({ length: size.testPerUser }, (_, k) => mixSeed(dataSeed, 2, id, k)),
        ),
      });
    }
    reps.push(users);
  }
  const distractors = new Float32Array(size.distractors * SIZE * SIZE * 3);
  for (let d = 0; d < size.distractors; d++) distractors.set(renderSet(gen, d, [mixSeed(dataSeed, 3, d, 0)]).images, d * SIZE * SIZE * 3);
  return {
    reps,
    distractors: { images: distractors, n: size.distractors, height: SIZE, width: SIZE },
    note: `${SYNTH_NOTE}: ${size.reps} replicates × ${size.users} users, N = ${size.trainPerUser} training and M = ${size.testPerUser} test renders each (other pose, expression, light draws), ${size.distractors} distractor identities, ${SIZE}px`,
  };
}

// ---- Privacy-Commons (paper profile) ----

interface ListEntry {
  path: string;
  identity: string;
}

/** A .lst file: each line names an image path relative to the folder [recon]; the identity is its parent folder. */
export function readPrivacyList(root: string, list: string): ListEntry[] {
  const file = join(root, list);
  return readLines(file, 'Privacy-Commons').map(({ line, text }) => {
    const path = text.split(/\s+/).find((f) => /\.(jpe?g|png|bmp)$/i.test(f));
    if (!path) throw corruptFile(file, { line }, `no image path in '${text}'`, 'each line must name an image (jpg/png) relative to the Privacy-Commons folder');
    const full = join(root, datasetRelativePath(file, line, path)); // never outside the folder
    if (!existsSync(full)) throw corruptFile(file, { line }, `missing image ${full}`, 'extract the complete Privacy-Commons archive here');
    return { path: full, identity: dirname(path) };
  });
}

/** Checks the three lists before any training (exit 2 naming the file) and groups them by identity. */
export function openPrivacyCommons(root: string, maxIdentities: number): { train: Map<string, string[]>; test: Map<string, string[]>; distractors: string[] } {
  const [trainList, testList, distractorList] = PRIVACY_COMMONS_LISTS as [string, string, string];
  const group = (entries: ListEntry[]) => {
    const m = new Map<string, string[]>();
    for (const e of entries) m.set(e.identity, [...(m.get(e.identity) ?? []), e.path]);
    return m;
  };
  const train = group(readPrivacyList(root, trainList));
  const test = group(readPrivacyList(root, testList));
  const distractors = readPrivacyList(root, distractorList).map((e) => e.path);
  const ids = [...train.keys()].filter((id) => test.has(id)).slice(0, maxIdentities);
  if (ids.length === 0)
    throw corruptFile(
      join(root, testList),
      {},
      `no identity (image folder) of ${trainList} is in ${testList}`,
      'use the lists of the same Privacy-Commons release',
    );
  for (const id of ids)
    if ((test.get(id) ?? []).length < 2)
      throw corruptFile(join(root, testList), {}, `identity ${id} has fewer than 2 test images`, 'the protocol needs a mate j ≠ i');
  return { train: new Map(ids.map((id) => [id, train.get(id)!])), test: new Map(ids.map((id) => [id, test.get(id)!])), distractors };
}

async function loadImages(paths: string[]): Promise<IdentityImages> {
  const px = SIZE * SIZE * 3;
  const images = new Float32Array(paths.length * px);
  for (const [k, p] of paths.entries()) {
    const img = await decodeImage(p, p, { channels: 3, size: { width: SIZE, height: SIZE } });
    for (let q = 0; q < px; q++) images[k * px + q] = img.data[q]! / 255;
  }
  return { images, n: paths.length, height: SIZE, width: SIZE };
}

async function privacyCommonsData(root: string, maxIdentities: number): Promise<ProtocolData> {
  const lists = openPrivacyCommons(root, maxIdentities);
  const users: User[] = [];
  for (const id of lists.train.keys()) users.push({ train: await loadImages(lists.train.get(id)!), test: await loadImages(lists.test.get(id)!) });
  return {
    reps: [users],
    distractors: await loadImages(lists.distractors),
    note: `Privacy-Commons at ${root}: ${users.length} identities (${PRIVACY_COMMONS_LISTS.join(', ')}), ${lists.distractors.length} distractors, resized to ${SIZE}px`,
  };
}

// ---- one cell: cloak every user with each method, evaluate on every target ----

interface Target {
  id: string;
  embedder: FaceEmbedder;
  note: string;
}

async function embed(target: Target, set: IdentityImages): Promise<Float32Array> {
  return target.embedder.embed({ images: set.images, count: set.n, height: set.height, width: set.width });
}

export interface GaCellParams {
  methods: GaMethod[];
  size: GaSize;
}

/**
 * The figure of the run (issue #16): clean | cloaked | 0.5 + 10·(cloaked − clean) of the first test image of
 * replicate 0's first user under its GA cloak, written by the cell that optimises that cloak.
 */
const FIGURE_METHOD: GaMethod = 'ga';
const FIGURE_FILE = 'cloak.png';

async function runGaCell(p: GaCellParams, seed: number, ctx: CellContext): Promise<Row[]> {
  const size = p.size;
  const data =
    size.kind === 'synth' ? synthData(size, seed) : await privacyCommonsData(datasetRequirement('privacy-commons', ctx.dataDir).path, size.maxIdentities);
  const surrogate = await loadFaceApiSurrogate();
  const targets: Target[] = [
    { id: 'faceres', embedder: await loadHumanFaceRes(), note: 'black-box target: Human FaceRes 1024-d (forward only)' },
    { id: 'faceapi-whitebox', embedder: await loadFaceApiResNet34(), note: 'white-box: the surrogate face-api ResNet-34 128-d as target' },
  ];
  const rows: Row[] = [];
  try {
    const distractorEmb = await Promise.all(targets.map((t) => embed(t, data.distractors)));
    const b = size.budget;
    const users = data.reps.flat();
    // Clean test embeddings of every user on every target, once per cell (shared by the methods).
    const cleanEmb = new Map<User, Float32Array[]>();
    for (const user of users) cleanEmb.set(user, await Promise.all(targets.map((t) => embed(t, user.test))));
    const cloaks = p.methods.filter((m) => m !== 'none').length;
    ctx.progress.start(`ga ${p.methods.join('+')}`, users.length * Math.max(1, cloaks));
    for (const method of p.methods) {
      const config = method === 'none' ? null : methodConfig(method, b);
      const perRep: { counts: ProtectionCounts[][]; cos: number[][]; psnr: number[]; ssim: number[]; linf: number }[] = [];
      let budget: CloakCounts | null = null;
      for (const [r, repUsers] of data.reps.entries()) {
        const rep = {
          counts: targets.map(() => [] as ProtectionCounts[]),
          cos: targets.map(() => [] as number[]),
          psnr: [] as number[],
          ssim: [] as number[],
          linf: 0,
        };
        for (const [u, user] of repUsers.entries()) {
          const px = user.train.height * user.train.width * 3;
          let delta: Float32Array = new Float32Array(px);
          if (config) {
            const result = await optimiseCloak(
              surrogateOracle(surrogate, user.train, METHOD_LOSS[method] ?? b.loss),
              user.train.n,
              px,
              config,
              derivedSeed(seed, `cloak-r${r}-u${u}`),
            );
            delta = result.delta;
            if (budget && JSON.stringify(budget) !== JSON.stringify(result.counts)) throw new Error(`ga ${method}: cloak counts differ between users`);
            budget = result.counts;
            ctx.progress.tick(`${method} r${r} u${u}`);
          }
          const cloaked = { ...user.test, images: applyCloak(user.test.images, user.test.n, delta) };
          if (method === FIGURE_METHOD && r === 0 && u === 0) {
            const { height, width } = user.test;
            ctx.files.write(FIGURE_FILE, await cloakFigurePng(user.test.images.subarray(0, px), cloaked.images.subarray(0, px), height, width));
          }
          for (const [t, target] of targets.entries()) {
            const clean = cleanEmb.get(user)![t]!;
            const q = config ? await embed(target, cloaked) : clean;
            rep.counts[t]!.push(protectionCounts(q, clean, user.test.n, distractorEmb[t]!, data.distractors.n, target.embedder.dim, K_LIST));
            rep.cos[t]!.push(meanCosineToIdentity(q, clean, user.test.n, target.embedder.dim));
          }
          for (let i = 0; i < user.test.n; i++) {
            const a = user.test.images.subarray(i * px, (i + 1) * px);
            const c = cloaked.images.subarray(i * px, (i + 1) * px);
            rep.psnr.push(psnr(a, c));
            rep.ssim.push(ssim(a, c, user.test.height, user.test.width));
          }
          rep.linf = Math.max(rep.linf, ...Array.from(delta, (v) => Math.abs(v) * 255));
        }
        perRep.push(rep);
      }
      rows.push(...methodRows(method, perRep, targets, data, size, seed));
      if (config && budget) rows.push(...budgetRows(method, budget, config, users[0]!.train.n));
    }
    ctx.progress.stop();
  } finally {
    surrogate.dispose();
    for (const t of targets) t.embedder.dispose();
  }
  return rows;
}

type RepStats = { counts: ProtectionCounts[][]; cos: number[][]; psnr: number[]; ssim: number[]; linf: number };

function methodRows(method: GaMethod, perRep: RepStats[], targets: Target[], data: ProtocolData, size: GaSize, seed: number): Row[] {
  const rows: Row[] = [];
  const reps = perRep.length;
  const b = size.budget;
  const setup = `${data.note}; surrogate face-api ResNet-34 (white-box gradients), loss ${METHOD_LOSS[method] ?? `OPOM-${b.loss}`}, ε = ${b.epsilon255}/255, α = ${b.step255}/255, T = ${b.outerSteps}, b = ${b.batch}, K = ${b.innerFactor}, δ₀ ~ U(−ε, ε); ${METHOD_NOTES[method]}`;
  // One value per replicate, then mean and sample sd over replicates (sd null with one replicate).
  const series = (values: number[], push: (seedKey: string, v: number | null, note: string) => void, what: string) => {
    values.forEach((v, r) => push(`r${r}`, v, `replicate ${r} (users and cloak seeds of replicate ${r}, run seed ${seed})`));
    const { mean, sd } = sampleMeanSd(values);
    push('mean', mean, `mean of ${what} over ${reps} replicates`);
    push('sd', sd, reps > 1 ? `sample sd (n − 1) over ${reps} replicates` : 'one replicate: no spread');
  };
  for (const [t, target] of targets.entries()) {
    for (const k of K_LIST) {
      const metric = `top${k}` as const;
      series(
        perRep.map((r) => 100 * protectionRate(r.counts[t]!, k)),
        (s, v, note) =>
          rows.push({
            table: 'protection',
            key: { target: target.id, method, seed: s },
            metric,
            value: v,
            note: k === 1 && s === 'mean' ? `${note}; ${PROTOCOL_NOTE}; ${target.note}; ${setup}` : note,
          }),
        `${metric} protection`,
      );
    }
    series(
      perRep.map((r) => sampleMeanSd(r.cos[t]!).mean),
      (s, v, note) =>
        rows.push({
          table: 'protection',
          key: { target: target.id, method, seed: s },
          metric: 'mean_cos',
          value: v,
          note: s === 'mean' ? `${note}; cosine of each cloaked test image to the mean normalised clean test feature of the person` : note,
        }),
      'mean cosine',
    );
  }
  if (size.kind === 'privacy-commons') {
    for (const target of PAPER_TARGETS)
      rows.push({
        table: 'protection',
        key: { target, method, seed: 'mean' },
        metric: 'top1',
        value: null,
        note: 'not run: an MXNet model of the OPOM protocol; this project has no MXNet/ONNX runtime, and a tfjs conversion is not supported yet',
      });
  }
  series(
    perRep.map((r) => sampleMeanSd(r.psnr).mean),
    (s, v, note) =>
      rows.push({
        table: 'quality',
        key: { method, seed: s },
        metric: 'psnr',
        value: v,
        note: `${note}; PSNR (dB) of cloaked vs clean test images, mean over images`,
      }),
    'PSNR',
  );
  series(
    perRep.map((r) => sampleMeanSd(r.ssim).mean),
    (s, v, note) =>
      rows.push({ table: 'quality', key: { method, seed: s }, metric: 'ssim', value: v, note: `${note}; SSIM (11×11 Gaussian σ 1.5, mean over channels)` }),
    'SSIM',
  );
  series(
    perRep.map((r) => r.linf),
    (s, v, note) =>
      rows.push({ table: 'quality', key: { method, seed: s }, metric: 'linf_255', value: v, note: `${note}; max |δ| on the 0..255 scale (must be ≤ ε)` }),
    'max |δ|',
  );
  return rows;
}

function budgetRows(method: GaMethod, c: CloakCounts, config: CloakConfig, n: number): Row[] {
  const key = { method };
  const note = `per cloak (identical for every user), N = ${n}; planned ${imageGradientBudget(config, n)} image-gradients`;
  return [
    { table: 'budget', key, metric: 'image_grads', value: c.imageGradients, note: `${note}; one image-gradient = one surrogate forward+backward of one image` },
    { table: 'budget', key, metric: 'oracle_calls', value: c.oracleCalls, note: 'batched gradient evaluations' },
    { table: 'budget', key, metric: 'outer_signs', value: c.outerSigns, note: 'sign quantisations applied to the cloak δ' },
    { table: 'budget', key, metric: 'inner_signs', value: c.innerSigns, note: "sign quantisations of GA's inner pre-search δ_in (not applied to δ)" },
    {
      table: 'budget',
      key,
      metric: 'outer_signs_per_epoch',
      value: c.outerSigns / (c.imageGradients / n),
      note: 'outer signs per N image-gradients (one pass over the identity’s images)',
    },
  ];
}

export const gaPaper = definePaper({
  id: 'ga',
  title: 'Enhancing Generalization of Invisible Facial Privacy Cloak via Gradient Accumulation',
  citation: 'Liu, Zhong, Deng, Shi, Cui, Yin, Wen. ICASSP 2024, arXiv:2401.01575',
  summary: 'GA-OPOM vs large- and small-batch OPOM class-universal cloaks at an equal gradient budget; OPOM protection rate',
  description:
    'Optimises one L∞-bounded cloak per identity through a white-box surrogate (face-api ResNet-34) with large-batch OPOM, small-batch OPOM and GA ' +
    '(inner pre-search on mini-batches, accumulated into one signed outer step) at an equal number of image-gradients, and measures the OPOM ' +
    'protection rate (1 − top-k identification hit rate against distractors) on a black-box target (FaceRes 1024-d) and on the surrogate. ' +
    'smoke/quick use synthetic 3DMM identities; paper uses Privacy-Commons.',
  examples: ['<%= config.bin %> ga --profile quick --jobs 2'],
  tables: TABLES,
  profiles: PROFILES,
  datasets(size, dataDir) {
    if (size.kind !== 'privacy-commons') return [];
    const root = datasetRequirement('privacy-commons', dataDir);
    return [
      root,
      ...PRIVACY_COMMONS_LISTS.map((list) => ({
        name: `privacy-commons/${list}`,
        path: join(root.path, list),
        howToObtain: `part of the Privacy-Commons archive (${root.howToObtain})`,
      })),
    ];
  },
  cells: {
    cloak: {
      plan: (size, seed) => size.cells.map((methods) => ({ id: methods.join('+'), params: { methods, size } satisfies GaCellParams, seed })),
      run: (params: GaCellParams, cell, ctx) => {
        for (const m of params.methods) if (!GA_METHODS.includes(m)) throw new InputError(`ga: unknown method '${m}'`);
        return runGaCell(params, cell.seed, ctx);
      },
    },
  },
});
