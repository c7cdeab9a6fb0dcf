// Paper-scale face training: a backbone + head trained on an insightface RecordIO set (CASIA-WebFace's
// train.rec / train.idx / property), images decoded per batch. The SFace card's CASIA recipe
// ("Training": IR-50, SGD 0.9, wd 5e-4, lr 0.1 /10 at epochs 50, 70, 80, batch 256, 125 epochs).
import { faceRecordStream } from '../../data/face-stream.js';
import { removeCheckpoint } from '../../engine/checkpoint.js';
import { openFaceRecordSet } from '../../data/recordio.js';
import type { FaceBatchEmbedder } from '../../eval/face-benchmarks.js';
import type { Progress } from '../../core/progress.js';
import type { CellContext, CellPlan, MeasuredRow } from '../../core/types.js';
import { embedImages, FACE_NET_PRESETS, type FaceNet, type FaceNetConfig } from '../../nets/face/index.js';
import { defaultHeadConfig, type HeadConfig } from '../heads/index.js';
import { trainFaceRecognizer, type FaceTrainOptions, type TrainedFaceModel } from './train.js';

export interface RecordTrainingRecipe {
  net: FaceNetConfig;
  head: HeadConfig;
  epochs: number;
  batchSize: number;
  lr: number;
  /** Epochs after which the learning rate is divided by 10. */
  lrStepEpochs: number[];
  momentum: number;
  weightDecay: number;
  /** Keep only the first identities / images per identity (a subset; default: the whole set). */
  maxIdentities?: number;
  maxPerIdentity?: number;
}

/** The SFace card's CASIA-WebFace recipe (torch version): IR-50, SFace head with CASIA's a, b. */
export const SFACE_CASIA_RECIPE: RecordTrainingRecipe = {
  net: { ...FACE_NET_PRESETS.ir50, widths: [...FACE_NET_PRESETS.ir50.widths], blocks: [...FACE_NET_PRESETS.ir50.blocks] },
  head: defaultHeadConfig('sface'),
  epochs: 125,
  batchSize: 256,
  lr: 0.1,
  lrStepEpochs: [50, 70, 80],
  momentum: 0.9,
  weightDecay: 5e-4,
};

export interface RecordTrainingOptions {
  seed: number;
  progress?: Progress;
  label?: string;
  /** Replaces the head's loss (lrfr's resolution branch and metric). */
  batchLoss?: FaceTrainOptions['batchLoss'];
  /** Resumable training: state saved at each epoch's end (engine/checkpoint.ts). */
  checkpoint?: FaceTrainOptions['checkpoint'];
}

/** Trains `recipe` on the RecordIO set in `dir`; a missing or corrupt file is an InputError naming it. */
export async function trainOnFaceRecords(dir: string, recipe: RecordTrainingRecipe, options: RecordTrainingOptions): Promise<TrainedFaceModel & { images: number; identities: number }> {
  const set = openFaceRecordSet(dir, 'CASIA-WebFace');
  try {
    const stream = faceRecordStream(set, recipe.net.inputSize, { maxIdentities: recipe.maxIdentities, maxPerIdentity: recipe.maxPerIdentity });
    const model = await trainFaceRecognizer(stream, {
      net: recipe.net,
      head: recipe.head,
      epochs: recipe.epochs,
      batchSize: recipe.batchSize,
      lr: recipe.lr,
      lrSteps: recipe.lrStepEpochs.map((e) => e / recipe.epochs),
      momentum: recipe.momentum,
      weightDecay: recipe.weightDecay,
      seed: options.seed,
      progress: options.progress,
      label: options.label,
      batchLoss: options.batchLoss,
      checkpoint: options.checkpoint,
    });
    return { ...model, images: stream.count, identities: stream.classes };
  } finally {
    set.rec.close();
  }
}

/** A trained net as the benchmark evaluators' embedder (inference mode, batches of 64). */
export function faceNetEmbedder(net: FaceNet): FaceBatchEmbedder {
  return (images, count) => embedImages(net, images, count);
}

/** One line for a CSV note: what was trained on what. */
export function describeRecipe(recipe: RecordTrainingRecipe, trained: { images: number; identities: number; steps: number; seconds: number }): string {
  const net = recipe.net;
  return (
    `${net.arch} blocks [${net.blocks.join(',')}] widths [${net.widths.join(',')}] ${net.inputSize}px ${net.embeddingDim}-d on ${trained.identities} ids / ${trained.images} images; ` +
    `SGD ${recipe.momentum} wd ${recipe.weightDecay} lr ${recipe.lr} /10 at epochs ${recipe.lrStepEpochs.join(',')}, ${recipe.epochs} epochs batch ${recipe.batchSize}; ` +
    `${trained.steps} steps in ${trained.seconds.toFixed(0)} s`
  );
}

/**
 * A paper cell's life: train `recipe` on the RecordIO set in `dir` (resumable in the cell's checkpoint
 * folder, keyed by its id, parameters and seed), measure the trained model, then drop the checkpoint.
 * A failed measurement (a missing .bin, say) keeps it, so the rerun costs no retraining.
 */
export async function trainThenMeasure<Row extends MeasuredRow>(
  cell: CellPlan,
  ctx: CellContext,
  dir: string,
  recipe: RecordTrainingRecipe,
  options: Pick<RecordTrainingOptions, 'label' | 'batchLoss'>,
  measure: (model: TrainedFaceModel & { images: number; identities: number }) => Promise<Row[]>,
): Promise<Row[]> {
  const checkpoint = ctx.checkpointDir ? { dir: ctx.checkpointDir, key: JSON.stringify({ cell: cell.id, params: cell.params, seed: cell.seed }) } : undefined;
  const model = await trainOnFaceRecords(dir, recipe, { ...options, seed: cell.seed, progress: ctx.progress, checkpoint });
  try {
    const rows = await measure(model);
    if (checkpoint) removeCheckpoint(checkpoint.dir);
    return rows;
  } finally {
    model.net.dispose();
    model.head.dispose();
  }
}
