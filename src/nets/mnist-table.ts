// One cell of an MNIST accuracy table: a network trained with several paired seeds on the embedded
// digits; rows per seed and their mean. Shared by the CASSOD and DDC paper modules.
import { derivedSeed } from '../harness/rng.js';
import type { CellContext, MeasuredRow, Profile } from '../harness/types.js';
import type { NetworkSpec } from './spec.js';
import { runMnistClassifier, type MnistRunParams } from './train.js';

export interface MnistTableParams extends MnistRunParams {
  seeds: number;
  [key: string]: unknown;
}

/** Sizes per profile: smoke only shows that training runs; quick and paper are the measurements. */
export const MNIST_SIZES: Record<Profile, MnistTableParams> = {
  smoke: { train: 256, test: 256, epochs: 1, batchSize: 64, learningRate: 3e-3, seeds: 1 },
  quick: { train: 4000, test: 2000, epochs: 2, batchSize: 128, learningRate: 3e-3, seeds: 2 },
  paper: { train: 8000, test: 2000, epochs: 4, batchSize: 128, learningRate: 3e-3, seeds: 3 },
};

/**
 * Trains `spec` once per seed. Every network of a table gets the same split and the same per-seed
 * initialisation seeds (paired comparison); returns `accuracy_percent` per seed and for seed 'mean'.
 */
export async function mnistAccuracyRows(
  table: string,
  network: string,
  spec: NetworkSpec,
  params: MnistTableParams,
  seed: number,
  ctx: CellContext,
  note: string,
): Promise<MeasuredRow[]> {
  const rows: MeasuredRow[] = [];
  const accuracies: number[] = [];
  const split = derivedSeed(seed, 'mnist-split');
  const fullNote = `${note}; embedded MNIST, train ${params.train}, test ${params.test}, ${params.epochs} epochs, Adam lr ${params.learningRate}, batch ${params.batchSize}, backend ${ctx.backend}`;
  ctx.progress.start(`${table} ${network}`, params.seeds * params.epochs);
  for (let i = 0; i < params.seeds; i++) {
    const { accuracy, loss } = await runMnistClassifier(spec, params, { split, seed: derivedSeed(seed, `mnist-init-${i}`) }, (epoch, l) =>
      ctx.progress.tick(`seed ${i} epoch ${epoch} loss ${l.toFixed(3)}`),
    );
    accuracies.push(100 * accuracy);
    rows.push(
      { table, key: { network, seed: i }, metric: 'accuracy_percent', value: 100 * accuracy, note: fullNote },
      { table, key: { network, seed: i }, metric: 'final_train_loss', value: loss, note: fullNote },
    );
  }
  ctx.progress.stop();
  rows.push({
    table,
    key: { network, seed: 'mean' },
    metric: 'accuracy_percent',
    value: accuracies.reduce((a, b) => a + b, 0) / accuracies.length,
    note: `${fullNote}; mean over ${params.seeds} seeds`,
  });
  return rows;
}
