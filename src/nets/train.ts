// A small, seeded classifier trainer for the MNIST tables of the CASSOD and DDC papers:
// Adam on softmax cross-entropy, mini-batches in a seeded order (rng.ts), accuracy on a test set.
import { splitEmbeddedMnist, type ImageSet } from '../data/mnist.js';
import { assertFiniteLoss } from '../engine/guards.js';
import { tf } from '../engine/tf.js';
import { createRng } from '../core/rng.js';
import type { NetworkSpec } from './spec.js';
import { buildTfModel, type TfModel } from './tfjs.js';

type Tensor2D = ReturnType<typeof tf.tensor2d>;
type Tensor4D = ReturnType<typeof tf.tensor4d>;

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  /** Called after every epoch with the mean training loss. */
  onEpoch?: (epoch: number, loss: number) => void;
}

function batchTensors(set: ImageSet, indices: number[]): { x: Tensor4D; y: Tensor2D } {
  const size = set.height * set.width * set.channels;
  const images = new Float32Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  indices.forEach((j, i) => {
    images.set(set.images.subarray(j * size, (j + 1) * size), i * size);
    labels[i] = set.labels[j]!;
  });
  return {
    x: tf.tensor4d(images, [indices.length, set.height, set.width, set.channels]),
    y: tf.oneHot(tf.tensor1d(labels, 'int32'), set.classes) as Tensor2D,
  };
}

/** Trains in place; returns the mean loss of the last epoch. Reads are asynchronous (webgpu has no sync read in Node). */
export async function trainClassifier(model: TfModel, train: ImageSet, options: TrainOptions): Promise<number> {
  const rng = createRng(options.seed);
  const optimizer = tf.train.adam(options.learningRate);
  let last = NaN;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const order = rng.shuffle(Array.from({ length: train.count }, (_, i) => i));
    let sum = 0;
    let batches = 0;
    for (let start = 0; start < order.length; start += options.batchSize) {
      const { x, y } = batchTensors(train, order.slice(start, start + options.batchSize));
      const loss = optimizer.minimize(
        () => tf.losses.softmaxCrossEntropy(y, model.forward(x) as Tensor2D) as ReturnType<typeof tf.scalar>,
        true,
        model.variables,
      )!;
      const value = (await loss.data())[0]!;
      assertFiniteLoss(value, batches + 1, `${model.net.name} epoch ${epoch + 1}`);
      sum += value;
      batches++;
      tf.dispose([x, y, loss]);
    }
    last = sum / batches;
    options.onEpoch?.(epoch + 1, last);
  }
  optimizer.dispose();
  return last;
}

/** Top-1 accuracy in [0, 1]. */
export async function evaluateAccuracy(model: TfModel, test: ImageSet, batchSize = 500): Promise<number> {
  let correct = 0;
  for (let start = 0; start < test.count; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, test.count - start) }, (_, i) => start + i);
    const { x, y } = batchTensors(test, indices);
    const hits = tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(model.forward(x), 1), tf.argMax(y, 1)), 'int32')));
    correct += (await hits.data())[0]!;
    tf.dispose([x, y, hits]);
  }
  return correct / test.count;
}

export interface MnistRunParams {
  train: number;
  test: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
}

/**
 * Trains one network on a seeded split of the embedded MNIST digits and returns its test accuracy.
 * The split depends only on `splitSeed` (the same for every network of a table), the initialisation
 * and batch order on `seed`.
 */
export async function runMnistClassifier(
  spec: NetworkSpec,
  params: MnistRunParams,
  seeds: { split: number; seed: number },
  onEpoch?: (epoch: number, loss: number) => void,
): Promise<{ accuracy: number; loss: number }> {
  const { train, test } = splitEmbeddedMnist(seeds.split, { train: params.train, test: params.test });
  const model = buildTfModel(spec, seeds.seed);
  try {
    const loss = await trainClassifier(model, train, {
      epochs: params.epochs,
      batchSize: params.batchSize,
      learningRate: params.learningRate,
      seed: seeds.seed + 1,
      onEpoch,
    });
    return { accuracy: await evaluateAccuracy(model, test), loss };
  } finally {
    model.dispose();
  }
}
