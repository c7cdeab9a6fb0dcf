// repro sface: robustness of Softmax / NormFace / CosFace / ArcFace / SFace heads to identity label noise
// (docs/papers/sface.md). quick/smoke train on synthetic 3DMM identities [recon] and verify on pairs
// of held-out identities with the InsightFace 10-fold protocol; paper trains IR-50 + SFace on
// CASIA-WebFace (the card's recipe) and verifies on the InsightFace .bin sets.
import { join } from 'node:path';
import { datasetRequirement } from '../data/catalog.js';
import { evaluateVerificationBin, VERIFICATION_PROTOCOLS } from '../eval/index.js';
import { derivedSeed } from '../core/rng.js';
import type { CellContext, CellPlan, Profile } from '../core/types.js';
import { writeLossCurves, writeRocCurves } from '../harness/curves.js';
import { definePaper, type RowOf } from '../harness/define-paper.js';
import { defaultHeadConfig, HEAD_KINDS, type HeadConfig, type HeadKind } from '../methods/heads/index.js';
import { flipLabelsClosedSet } from '../methods/labelnoise/index.js';
import {
  describeRecipe,
  faceNetEmbedder,
  makeVerificationPairs,
  synthFaceDataset,
  trainFaceRecognizer,
  trainThenMeasure,
  verifyOnPairs,
  type RecordTrainingRecipe,
} from '../methods/face/index.js';
import { SFACE_CASIA_RECIPE } from '../methods/sface/index.js';
import { FACE_NET_PRESETS, type FaceNetConfig } from '../nets/face/index.js';

const TABLES = {
  noise: {
    title: 'Verification accuracy (%) on held-out identities vs. training label noise (%)',
    keyColumns: ['noise', 'head'],
    metrics: ['accuracy', 'std', 'auc', 'tar@far=1e-2', 'final_train_loss'],
  },
  benchmarks: {
    title: 'SFace (CASIA-WebFace, ResNet-50) on the InsightFace .bin verification sets (%)',
    keyColumns: ['dataset', 'head'],
    metrics: ['accuracy', 'std'],
  },
} as const;
type Row = RowOf<typeof TABLES>;

interface SfaceSize {
  net: keyof typeof FACE_NET_PRESETS;
  trainIds: number;
  perId: number;
  testIds: number;
  testPerId: number;
  pairsPerFold: number;
  epochs: number;
  batchSize: number;
  lr: number;
  noiseRates: number[];
}

/** The paper profile's cell: the recipe travels in the plan (JSON), so a test can run a tiny one. */
interface SfacePaperParams {
  recipe: RecordTrainingRecipe;
  benchmarks: string[];
}

/** The card's benchmark rows for the paper profile (CASIA-WebFace training, `.bin` verification sets). */
const PAPER_BENCHMARKS = ['lfw', 'cfp_fp', 'agedb_30', 'calfw', 'cplfw'] as const;

type SfaceProfile = SfaceSize | SfacePaperParams;
const isPaperSize = (size: SfaceProfile): size is SfacePaperParams => 'recipe' in size;

/**
 * Sizes fixed before any run (not tuned to a result); quick fits 15 min on 2 cores with 2 workers. The
 * paper profile trains IR-50 + SFace on CASIA-WebFace with the card's recipe.
 */
const PROFILES: Record<Profile, SfaceProfile> = {
  smoke: { net: 'irTiny', trainIds: 8, perId: 6, testIds: 20, testPerId: 3, pairsPerFold: 3, epochs: 1, batchSize: 16, lr: 0.1, noiseRates: [40] },
  quick: {
    net: 'mobilefacenetSmall',
    trainIds: 100,
    perId: 20,
    testIds: 60,
    testPerId: 6,
    pairsPerFold: 30,
    epochs: 8,
    batchSize: 64,
    lr: 0.1,
    noiseRates: [0, 20, 40],
  },
  paper: { recipe: SFACE_CASIA_RECIPE, benchmarks: [...PAPER_BENCHMARKS] },
};

const SYNTH_NOTE = '[recon] synthetic 3DMM identities (src/data/synth3dmm), not CASIA-WebFace';

function headNote(config: HeadConfig): string {
  switch (config.kind) {
    case 'softmax':
      return 'Softmax: CE over Wx+b';
    case 'normface':
      return `NormFace s=${config.params.s} (normalised softmax, no margin; [recon] not a row of the paper's table, the usual reference baseline)`;
    case 'cosface':
      return `CosFace s=${config.params.s} m=${config.params.m}`;
    case 'arcface':
      return `ArcFace s=${config.params.s} m=${config.params.m}`;
    case 'sface':
      return `SFace s=${config.params.s} k=${config.params.k} a=${config.params.a} b=${config.params.b} (CASIA values)`;
  }
}

type NoiseCellParams = SfaceSize & { head: HeadKind; noise: number; dataSeed: number };

async function runNoiseCell(p: NoiseCellParams, cellId: string, seed: number, ctx: CellContext): Promise<Row[]> {
  const preset = FACE_NET_PRESETS[p.net];
  const net: FaceNetConfig = { ...preset, widths: [...preset.widths], blocks: [...preset.blocks] };
  // Train and test identities are disjoint ranges of the same generator; the same data for every cell.
  const clean = synthFaceDataset({ ids: p.trainIds, perId: p.perId, firstId: 0, size: net.inputSize, seed: p.dataSeed });
  const test = synthFaceDataset({ ids: p.testIds, perId: p.testPerId, firstId: 100_000, size: net.inputSize, seed: p.dataSeed });
  // The same noisy labels for every head at a noise rate (seed from the data seed and the rate).
  const noisy = flipLabelsClosedSet(clean.labels, clean.classes, p.noise / 100, derivedSeed(p.dataSeed, `noise-${p.noise}`));
  const head = defaultHeadConfig(p.head);
  const label = `sface ${p.head} noise ${p.noise}%`;
  ctx.progress.start(label, p.epochs);
  const model = await trainFaceRecognizer(
    { ...clean, labels: noisy.labels },
    { net, head, epochs: p.epochs, batchSize: p.batchSize, lr: p.lr, seed, label, onEpoch: (e) => ctx.progress.tick(`loss ${e.loss.toFixed(3)}`) },
  );
  ctx.progress.stop();
  writeLossCurves(ctx.files, cellId, model.epochLosses);
  try {
    const pairs = makeVerificationPairs(test.labels, test.classes, p.pairsPerFold, 10, derivedSeed(p.dataSeed, 'pairs'));
    const report = await verifyOnPairs(model.net, test, pairs);
    writeRocCurves(ctx.files, cellId, [{ series: {}, points: report.roc }]);
    const key = { noise: p.noise, head: p.head };
    const setup =
      `${SYNTH_NOTE}; ${p.trainIds} ids x ${p.perId} train imgs at ${net.inputSize}px, ${noisy.count} labels flipped (symmetric closed-set); ` +
      `${p.net} (${net.embeddingDim}-d, BN embedding), ${headNote(head)}; SGD 0.9 wd 5e-4 lr ${p.lr} /10 at 60%,85%, ` +
      `${p.epochs} epochs batch ${p.batchSize}, backend ${ctx.backend}; test ${pairs.length} pairs of ${p.testIds} held-out ids`;
    return [
      {
        table: 'noise',
        key,
        metric: 'accuracy',
        value: 100 * report.verification.accuracy,
        note: `${setup}; ${VERIFICATION_PROTOCOLS[report.verification.protocol]}`,
      },
      { table: 'noise', key, metric: 'std', value: 100 * report.verification.std, note: 'population std of the 10 fold accuracies (np.std)' },
      { table: 'noise', key, metric: 'auc', value: report.auc, note: 'ROC AUC of cosine similarity of flip-summed embeddings' },
      { table: 'noise', key, metric: 'tar@far=1e-2', value: 100 * report.tarAtFar1e2, note: 'TAR at FAR 1e-2, same scores' },
      {
        table: 'noise',
        key,
        metric: 'final_train_loss',
        value: model.epochLosses.at(-1)!,
        note: `${model.steps} steps (the wall time is the cell's duration in run.json)`,
      },
    ];
  } finally {
    model.net.dispose();
    model.head.dispose();
  }
}

/** The card's protocol: train on CASIA-WebFace's train.rec, then 10-fold verification on each .bin. */
async function runPaperCell(p: SfacePaperParams, cell: CellPlan, ctx: CellContext): Promise<Row[]> {
  const casia = datasetRequirement('casia-webface', ctx.dataDir).path;
  return trainThenMeasure(cell, ctx, casia, p.recipe, { label: `sface ${p.recipe.head.kind} on CASIA-WebFace` }, async (model) => {
    writeLossCurves(ctx.files, cell.id, model.epochLosses);
    const setup = `${describeRecipe(p.recipe, model)}; ${headNote(p.recipe.head)}; backend ${ctx.backend}`;
    const rows: Row[] = [];
    for (const dataset of p.benchmarks) {
      const result = await evaluateVerificationBin(faceNetEmbedder(model.net), join(casia, `${dataset}.bin`), p.recipe.net.inputSize);
      const key = { dataset, head: p.recipe.head.kind };
      rows.push(
        { table: 'benchmarks', key, metric: 'accuracy', value: 100 * result.accuracy, note: `${setup}; ${result.protocol}` },
        { table: 'benchmarks', key, metric: 'std', value: 100 * result.std, note: `population std of the 10 fold accuracies, ${result.pairs} pairs` },
      );
    }
    return rows;
  });
}

export const sfacePaper = definePaper({
  id: 'sface',
  title: 'SFace: Sigmoid-Constrained Hypersphere Loss for Robust Face Recognition',
  citation: 'Zhong, Deng, Hu, Zhao, Li, Wen. IEEE TIP 30 (2021), doi:10.1109/TIP.2020.3048632, arXiv:2205.12010',
  summary: 'SFace vs Softmax/NormFace/CosFace/ArcFace heads under identity label noise; 10-fold verification accuracy',
  description:
    'Trains one face network per head (Softmax, CosFace, ArcFace, SFace) on identities with flipped labels and verifies held-out ' +
    'identities with the InsightFace 10-fold protocol; the paper profile trains IR-50 + SFace on CASIA-WebFace and verifies on the .bin sets.',
  tables: TABLES,
  profiles: PROFILES,
  datasets(size, dataDir) {
    if (!isPaperSize(size)) return [];
    const casia = datasetRequirement('casia-webface', dataDir);
    return [
      casia,
      ...size.benchmarks.map((b) => ({
        name: `${b}.bin`,
        path: join(casia.path, `${b}.bin`),
        howToObtain: `part of the InsightFace faces_webface_112x112 release, next to train.rec (see casia-webface)`,
      })),
    ];
  },
  cells: {
    noise: {
      // Every head at a noise rate starts from the same network seed: only the head differs.
      plan(size, seed) {
        if (isPaperSize(size)) return [];
        const dataSeed = derivedSeed(seed, 'data');
        return size.noiseRates.flatMap((noise) =>
          HEAD_KINDS.map((head) => ({ id: `noise${noise}-${head}`, params: { ...size, head, noise, dataSeed }, seed: derivedSeed(seed, `net-${noise}`) })),
        );
      },
      run: (params: NoiseCellParams, cell, ctx) => runNoiseCell(params, cell.id, cell.seed, ctx),
    },
    casia: {
      plan: (size, seed) => (isPaperSize(size) ? [{ id: 'paper-casia-sface', params: size, seed: derivedSeed(seed, 'paper-casia') }] : []),
      run: runPaperCell,
    },
  },
});
