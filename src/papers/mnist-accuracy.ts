// One cell of an MNIST accuracy table: a network trained with several paired seeds on the embedded
// digits; rows per seed and their mean, then the weights, MACs and cycles of the very spec trained.
// Shared by the CASSOD and DDC reproductions.
import { derivedSeed } from '../core/rng.js';
import type { CellContext, Profile } from '../core/types.js';
import { trainingCurves } from '../harness/curves.js';
import type { AcceleratorConfig } from '../hardware/config.js';
import { lowerNetwork } from '../hardware/layer.js';
import { costLayers } from '../hardware/model.js';
import { countNetwork } from '../nets/counters.js';
import { resolveNetwork } from '../nets/shapes.js';
import type { NetworkSpec } from '../nets/spec.js';
import { runMnistClassifier, type MnistRunParams } from '../nets/train.js';

export interface MnistTableParams extends MnistRunParams {
  seeds: number;
}

/**
 * A row of an MNIST accuracy table `T` (key columns `network`, `seed`). Seed 'all' marks the cost
 * rows (weights, macs, cycles): they describe the spec, the same for every seed.
 */
export interface MnistAccuracyRow<T extends string> {
  table: T;
  key: { network: string; seed: number | 'mean' | 'all' };
  metric: 'accuracy_percent' | 'final_train_loss' | 'weights' | 'macs' | 'cycles';
  value: number;
  note: string;
}

/** Sizes per profile: smoke only shows that training runs; quick and paper are the measurements. */
export const MNIST_SIZES: Record<Profile, MnistTableParams> = {
  smoke: { train: 256, test: 256, epochs: 1, batchSize: 64, learningRate: 3e-3, seeds: 1 },
  quick: { train: 4000, test: 2000, epochs: 2, batchSize: 128, learningRate: 3e-3, seeds: 2 },
  paper: { train: 8000, test: 2000, epochs: 4, batchSize: 128, learningRate: 3e-3, seeds: 3 },
};

/**
 * Trains `spec` once per seed. Every network of a table gets the same split and the same per-seed
 * initialisation seeds (paired comparison); returns `accuracy_percent` per seed and for seed 'mean',
 * then the cost of `spec` on `hardware` (mnistCostRows). Writes curves/<cell>.csv: the mean training
 * loss of every epoch of every seed (the test accuracy is measured once, after the last epoch).
 */
export async function mnistAccuracyRows<T extends string>(
  table: T,
  network: string,
  spec: NetworkSpec,
  params: MnistTableParams,
  cell: { id: string; seed: number },
  ctx: CellContext,
  note: string,
  hardware: AcceleratorConfig,
): Promise<MnistAccuracyRow<T>[]> {
  const rows: MnistAccuracyRow<T>[] = [];
  const accuracies: number[] = [];
  const seed = cell.seed;
  const split = derivedSeed(seed, 'mnist-split');
  const curves = trainingCurves(['seed', 'epoch', 'loss']);
  const fullNote = `${note}; embedded MNIST, train ${params.train}, test ${params.test}, ${params.epochs} epochs, Adam lr ${params.learningRate}, batch ${params.batchSize}, backend ${ctx.backend}`;
  ctx.progress.start(`${table} ${network}`, params.seeds * params.epochs);
  for (let i = 0; i < params.seeds; i++) {
    const { accuracy, loss } = await runMnistClassifier(spec, params, { split, seed: derivedSeed(seed, `mnist-init-${i}`) }, (epoch, l) => {
      curves.add({ seed: i, epoch, loss: l });
      ctx.progress.tick(`seed ${i} epoch ${epoch} loss ${l.toFixed(3)}`);
    });
    accuracies.push(100 * accuracy);
    rows.push(
      { table, key: { network, seed: i }, metric: 'accuracy_percent', value: 100 * accuracy, note: fullNote },
      { table, key: { network, seed: i }, metric: 'final_train_loss', value: loss, note: fullNote },
    );
  }
  ctx.progress.stop();
  curves.write(ctx.files, cell.id);
  rows.push({
    table,
    key: { network, seed: 'mean' },
    metric: 'accuracy_percent',
    value: accuracies.reduce((a, b) => a + b, 0) / accuracies.length,
    note: `${fullNote}; mean over ${params.seeds} seeds`,
  });
  return [...rows, ...mnistCostRows(table, network, spec, hardware, note)];
}

/** Weights, MACs and compute cycles of the trained spec, counted and costed from the same description. */
export function mnistCostRows<T extends string>(
  table: T,
  network: string,
  spec: NetworkSpec,
  hardware: AcceleratorConfig,
  note: string,
): MnistAccuracyRow<T>[] {
  const net = resolveNetwork(spec);
  const counts = countNetwork(net);
  const cycles = costLayers(lowerNetwork(net), hardware).computeCycles;
  const key = { network, seed: 'all' as const };
  const costNote =
    `${note}; the trained spec, counted by src/nets/counters.ts like every other table: filter weights of the conv and dense ` +
    `layers plus their biases where a layer has them (these nets have biases and no BN), MACs Ho·Wo·Cout·(Cin/groups)·kh·kw ` +
    `(dense: Cin·Cout), 28x28 input; cycles: compute cycles of the whole net, pools included, on the ${hardware.name} ` +
    `accelerator (P_pix=${hardware.parallelPixels}, P_oc=${hardware.parallelChannels}, ${hardware.dilation} dilation)`;
  return [
    { table, key, metric: 'weights', value: counts.weights, note: costNote },
    { table, key, metric: 'macs', value: counts.macs, note: costNote },
    { table, key, metric: 'cycles', value: cycles, note: costNote },
  ];
}
