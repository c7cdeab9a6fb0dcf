// CIFAR-10 / CIFAR-100 binary versions (Krizhevsky 2009; card mda.md "Datasets").
// CIFAR-10 record: 1 label byte + 3072 pixel bytes; CIFAR-100: coarse byte + fine byte + 3072.
// Pixels are stored channel-planar (1024 R, 1024 G, 1024 B, each 32x32 row-major).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageSet } from './mnist.js';
import { corruptFile, readBytes, readLines, requireDatasetDir } from './fileio.js';

export const CIFAR_SIDE = 32;
export const CIFAR_PIXELS = CIFAR_SIDE * CIFAR_SIDE * 3;

export type CifarVariant = 'cifar10' | 'cifar100';

/** 8-bit images, NHWC, as read from disk (4x smaller than float; convert with `toImageSet`). */
export interface ByteImageSet {
  pixels: Uint8Array;
  labels: Int32Array;
  count: number;
  height: number;
  width: number;
  channels: number;
  classes: number;
  classNames: string[];
}

export interface CifarSet extends ByteImageSet {
  /** CIFAR-100 only: the 20 superclasses. */
  coarseLabels?: Int32Array;
  coarseClassNames?: string[];
}

const LAYOUT = {
  cifar10: { labelBytes: 1, classes: 10, coarseClasses: 0 },
  cifar100: { labelBytes: 2, classes: 100, coarseClasses: 20 },
} as const;

/** Parses one binary batch file; every record is checked (size and label range). */
export function readCifarBinary(file: string, variant: CifarVariant): { pixels: Uint8Array; labels: Int32Array; coarseLabels?: Int32Array } {
  const layout = LAYOUT[variant];
  const recordBytes = layout.labelBytes + CIFAR_PIXELS;
  const buf = readBytes(file, variant);
  const count = Math.floor(buf.length / recordBytes);
  if (buf.length === 0 || buf.length % recordBytes !== 0) {
    throw corruptFile(file, { offset: count * recordBytes }, `short read: ${buf.length} bytes is not a whole number of ${recordBytes}-byte ${variant} records (record ${count} is cut off)`);
  }
  const pixels = new Uint8Array(count * CIFAR_PIXELS);
  const labels = new Int32Array(count);
  const coarseLabels = layout.coarseClasses ? new Int32Array(count) : undefined;
  const plane = CIFAR_SIDE * CIFAR_SIDE;
  for (let r = 0; r < count; r++) {
    const at = r * recordBytes;
    const fine = buf[at + layout.labelBytes - 1]!;
    if (fine >= layout.classes) throw corruptFile(file, { offset: at + layout.labelBytes - 1 }, `label ${fine} of record ${r} is outside 0-${layout.classes - 1}`);
    labels[r] = fine;
    if (coarseLabels) {
      const coarse = buf[at]!;
      if (coarse >= layout.coarseClasses) throw corruptFile(file, { offset: at }, `coarse label ${coarse} of record ${r} is outside 0-${layout.coarseClasses - 1}`);
      coarseLabels[r] = coarse;
    }
    // planar CHW -> interleaved HWC
    const src = at + layout.labelBytes;
    const dst = r * CIFAR_PIXELS;
    for (let p = 0; p < plane; p++) {
      pixels[dst + 3 * p] = buf[src + p]!;
      pixels[dst + 3 * p + 1] = buf[src + plane + p]!;
      pixels[dst + 3 * p + 2] = buf[src + 2 * plane + p]!;
    }
  }
  return coarseLabels ? { pixels, labels, coarseLabels } : { pixels, labels };
}

export type CifarSplit = 'train' | 'test';

/** The batch files of each split, relative to the extracted folder. */
export const CIFAR_FILES: Record<CifarVariant, Record<CifarSplit, string[]>> = {
  cifar10: { train: [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`), test: ['test_batch.bin'] },
  cifar100: { train: ['train.bin'], test: ['test.bin'] },
};

export const CIFAR_COUNTS: Record<CifarSplit, number> = { train: 50_000, test: 10_000 };

function namesFile(dir: string, file: string, variant: CifarVariant, count: number): string[] {
  const path = join(dir, file);
  if (!existsSync(path)) return Array.from({ length: count }, (_, i) => String(i));
  const names = readLines(path, variant).map((l) => l.text);
  if (names.length !== count) throw corruptFile(path, {}, `${names.length} class names, expected ${count}`);
  return names;
}

/** A split of CIFAR-10 (`cifar-10-batches-bin/`) or CIFAR-100 (`cifar-100-binary/`). */
export function loadCifar(dir: string, variant: CifarVariant, split: CifarSplit): CifarSet {
  requireDatasetDir(dir, variant === 'cifar10' ? 'CIFAR-10' : 'CIFAR-100');
  const parts = CIFAR_FILES[variant][split].map((f) => readCifarBinary(join(dir, f), variant));
  const count = parts.reduce((n, p) => n + p.labels.length, 0);
  const pixels = new Uint8Array(count * CIFAR_PIXELS);
  const labels = new Int32Array(count);
  const coarse = variant === 'cifar100' ? new Int32Array(count) : undefined;
  let at = 0;
  for (const p of parts) {
    pixels.set(p.pixels, at * CIFAR_PIXELS);
    labels.set(p.labels, at);
    if (coarse && p.coarseLabels) coarse.set(p.coarseLabels, at);
    at += p.labels.length;
  }
  const layout = LAYOUT[variant];
  const set: CifarSet = {
    pixels,
    labels,
    count,
    height: CIFAR_SIDE,
    width: CIFAR_SIDE,
    channels: 3,
    classes: layout.classes,
    classNames: variant === 'cifar10' ? namesFile(dir, 'batches.meta.txt', variant, 10) : namesFile(dir, 'fine_label_names.txt', variant, 100),
  };
  if (coarse) {
    set.coarseLabels = coarse;
    set.coarseClassNames = namesFile(dir, 'coarse_label_names.txt', variant, 20);
  }
  return set;
}

/** Float NHWC pixels in [0, 1], the layout the training code takes. */
export function toImageSet(set: ByteImageSet): ImageSet {
  const images = new Float32Array(set.pixels.length);
  for (let i = 0; i < images.length; i++) images[i] = set.pixels[i]! / 255;
  return { images, labels: set.labels, count: set.count, height: set.height, width: set.width, channels: set.channels, classes: set.classes };
}
