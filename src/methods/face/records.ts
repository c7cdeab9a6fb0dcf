// Paper-scale face training, shared by sface and lrfr: a backbone + head trained on an insightface RecordIO
// set (CASIA-WebFace's train.rec / train.idx / property), images decoded per batch, with a recipe such as
// SFace's CASIA recipe (../sface/recipe.ts); a paper cell trains, measures and drops its checkpoint.
import { faceRecordStream } from '../../data/face-stream.js';
import { removeCheckpoint } from '../../engine/checkpoint.js';
import { openFaceRecordSet } from '../../data/recordio.js';
import type { FaceBatchEmbedder } from '../../eval/face-benchmarks.js';
import type { CellContext, CellPlan, MeasuredRow } from '../../core/types.js';
import { embedImages, type FaceNet, type FaceNetConfig } from '../../nets/face/index.js';
import type { HeadConfig } from '../heads/index.js';
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

export interface RecordTrainingOptions extends Pick<FaceTrainOptions, 'label' | 'onStart' | 'onStep' | 'onEpoch'> {
  seed: number;
  /** Replaces the head's loss (lrfr's resolution branch and metric). */
  batchLoss?: FaceTrainOptions['batchLoss'];
  /** Resumable training: state saved at each epoch's end (engine/checkpoint.ts). */
  checkpoint?: FaceTrainOptions['checkpoint'];
}

/** Trains `recipe` on the RecordIO set in `dir`; a missing or corrupt file is an InputError naming it. */
export async function trainOnFaceRecords(
  dir: string,
  recipe: RecordTrainingRecipe,
  options: RecordTrainingOptions,
): Promise<TrainedFaceModel & { images: number; identities: number }> {
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
      label: options.label,
      batchLoss: options.batchLoss,
      checkpoint: options.checkpoint,
      onStart: options.onStart,
      onStep: options.onStep,
      onEpoch: options.onEpoch,
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

/** One line for a CSV note: what was trained on what (no wall-clock time: a table must not change between same-seed runs). */
export function describeRecipe(recipe: RecordTrainingRecipe, trained: { images: number; identities: number; steps: number }): string {
  const net = recipe.net;
  return (
    `${net.arch} blocks [${net.blocks.join(',')}] widths [${net.widths.join(',')}] ${net.inputSize}px ${net.embeddingDim}-d on ${trained.identities} ids / ${trained.images} images; ` +
    `SGD ${recipe.momentum} wd ${recipe.weightDecay} lr ${recipe.lr} /10 at epochs ${recipe.lrStepEpochs.join(',')}, ${recipe.epochs} epochs batch ${recipe.batchSize}; ` +
    `${trained.steps} steps`
  );
}

/**
 * A paper cell's life: train `recipe` on the RecordIO set in `dir` (resumable in the cell's checkpoint
 * folder, keyed by its id, parameters and seed), measure the trained model, then drop the checkpoint.
 * A failed measurement (a missing .bin, say) keeps it, so the rerun costs no retraining. The training
 * shows on ctx.progress one tick per step (an epoch of CASIA-WebFace lasts hours).
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
  const label = options.label ?? 'train';
  const model = await trainOnFaceRecords(dir, recipe, {
    ...options,
    seed: cell.seed,
    checkpoint,
    onStart: (start) => {
      ctx.progress.start(label, start.totalSteps - start.step);
      if (start.resumedEpoch !== null) ctx.progress.log(`${label}: resumed after epoch ${start.resumedEpoch} from ${checkpoint!.dir}`);
    },
    onStep: (s) => ctx.progress.tick(`loss ${s.loss.toFixed(3)}`),
  });
  ctx.progress.stop();
  try {
    const rows = await measure(model);
    if (checkpoint) removeCheckpoint(checkpoint.dir);
    return rows;
  } finally {
    model.net.dispose();
    model.head.dispose();
  }
}
