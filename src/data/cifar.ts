// CIFAR-10 / CIFAR-100, binary and python versions (Krizhevsky 2009; docs/papers/mda.md "Datasets";
// https://www.cs.toronto.edu/~kriz/cifar.html describes both).
// Binary: CIFAR-10 record = 1 label byte + 3072 pixel bytes; CIFAR-100: coarse byte + fine byte + 3072.
// Python (cifar-10-batches-py, cifar-100-python): each batch is a pickled dict with 'data' (a numpy
// uint8 array of N x 3072 rows) and 'labels' (CIFAR-10) or 'fine_labels' / 'coarse_labels'
// (CIFAR-100); the class names are in 'batches.meta' ('label_names') or 'meta'.
// Pixels are stored channel-planar in both (1024 R, 1024 G, 1024 B, each 32x32 row-major).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageSet } from './mnist.js';
import { corruptFile, readBytes, readLines, requireDatasetDir } from './fileio.js';
import { PickleArray, PickleDict, readPickle, type PickleValue } from './pickle.js';

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
    throw corruptFile(
      file,
      { offset: count * recordBytes },
      `short read: ${buf.length} bytes is not a whole number of ${recordBytes}-byte ${variant} records (record ${count} is cut off)`,
    );
  }
  const pixels = new Uint8Array(count * CIFAR_PIXELS);
  const labels = new Int32Array(count);
  const coarseLabels = layout.coarseClasses ? new Int32Array(count) : undefined;
  for (let r = 0; r < count; r++) {
    const at = r * recordBytes;
    const fine = buf[at + layout.labelBytes - 1]!;
    if (fine >= layout.classes)
      throw corruptFile(file, { offset: at + layout.labelBytes - 1 }, `label ${fine} of record ${r} is outside 0-${layout.classes - 1}`);
    labels[r] = fine;
    if (coarseLabels) {
      const coarse = buf[at]!;
      if (coarse >= layout.coarseClasses)
        throw corruptFile(file, { offset: at }, `coarse label ${coarse} of record ${r} is outside 0-${layout.coarseClasses - 1}`);
      coarseLabels[r] = coarse;
    }
    planarToInterleaved(buf, at + layout.labelBytes, pixels, r * CIFAR_PIXELS);
  }
  return coarseLabels ? { pixels, labels, coarseLabels } : { pixels, labels };
}

/** One image: planar CHW at `src` -> interleaved HWC at `dst`. */
function planarToInterleaved(from: Uint8Array, src: number, to: Uint8Array, dst: number): void {
  const plane = CIFAR_SIDE * CIFAR_SIDE;
  for (let p = 0; p < plane; p++) {
    to[dst + 3 * p] = from[src + p]!;
    to[dst + 3 * p + 1] = from[src + plane + p]!;
    to[dst + 3 * p + 2] = from[src + 2 * plane + p]!;
  }
}

/** A list of ints (or a 1-d integer numpy array) of `count` labels, each below `classes`. */
function pickleLabels(file: string, value: PickleValue | undefined, key: string, count: number, classes: number): Int32Array {
  let items: number[] | null = null;
  if (Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isInteger(v))) items = value as number[];
  else if (value instanceof PickleArray && value.shape.length === 1 && value.dtype && /^[iu][1248]$/.test(value.dtype.type)) {
    // a 1-d integer array (a batch re-pickled from numpy): read each element as a 64-bit-safe number
    const { type, byteOrder } = value.dtype;
    const width = Number(type[1]);
    const read = (at: number): number => {
      const v = value.data.subarray(at, at + width);
      const n = Math.min(width, 6); // labels are small: the low 6 bytes hold them
      const unsigned = type[0] === 'u';
      if (byteOrder === '>') return unsigned ? v.readUIntBE(width - n, n) : v.readIntBE(width - n, n);
      return unsigned ? v.readUIntLE(0, n) : v.readIntLE(0, n);
    };
    items = Array.from({ length: value.shape[0]! }, (_, i) => read(i * width));
  }
  if (!items) throw corruptFile(file, {}, `'${key}' is missing or not a list of integers`);
  if (items.length !== count) throw corruptFile(file, {}, `${items.length} '${key}' for ${count} images`);
  const bad = items.findIndex((v) => v < 0 || v >= classes);
  if (bad >= 0) throw corruptFile(file, {}, `${key}[${bad}] = ${items[bad]} is outside 0-${classes - 1}`);
  return Int32Array.from(items);
}

/** Parses one python-version batch (a pickled dict, see the header). */
export function readCifarPickle(file: string, variant: CifarVariant): { pixels: Uint8Array; labels: Int32Array; coarseLabels?: Int32Array } {
  const value = readPickle(readBytes(file, variant), file);
  if (!(value instanceof PickleDict)) throw corruptFile(file, { offset: 0 }, `the pickle is not a dict (a CIFAR python batch has 'data' and labels)`);
  const data = value.get('data');
  if (!(data instanceof PickleArray)) throw corruptFile(file, {}, `'data' is missing or not a numpy array`);
  const [count = 0, width = 0] = data.shape;
  if (data.dtype?.type !== 'u1' || data.shape.length !== 2 || width !== CIFAR_PIXELS || data.fortranOrder) {
    throw corruptFile(
      file,
      {},
      `'data' is a ${data.shape.join('x')} array of ${data.dtype?.type ?? '?'}${data.fortranOrder ? ' (Fortran order)' : ''}; expected N x ${CIFAR_PIXELS} uint8 rows`,
    );
  }
  if (data.data.length !== count * CIFAR_PIXELS)
    throw corruptFile(file, {}, `short read: 'data' holds ${data.data.length} bytes, its shape needs ${count * CIFAR_PIXELS}`);
  const layout = LAYOUT[variant];
  const labels = pickleLabels(
    file,
    value.get(variant === 'cifar10' ? 'labels' : 'fine_labels'),
    variant === 'cifar10' ? 'labels' : 'fine_labels',
    count,
    layout.classes,
  );
  const pixels = new Uint8Array(count * CIFAR_PIXELS);
  for (let r = 0; r < count; r++) planarToInterleaved(data.data, r * CIFAR_PIXELS, pixels, r * CIFAR_PIXELS);
  if (variant === 'cifar10') return { pixels, labels };
  return { pixels, labels, coarseLabels: pickleLabels(file, value.get('coarse_labels'), 'coarse_labels', count, layout.coarseClasses) };
}

export type CifarSplit = 'train' | 'test';

/** The batch files of each split, relative to the extracted folder. */
export const CIFAR_FILES: Record<CifarVariant, Record<CifarSplit, string[]>> = {
  cifar10: { train: [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`), test: ['test_batch.bin'] },
  cifar100: { train: ['train.bin'], test: ['test.bin'] },
};

/** The batch files of the python version (cifar-10-batches-py/, cifar-100-python/). */
export const CIFAR_PY_FILES: Record<CifarVariant, Record<CifarSplit, string[]>> = {
  cifar10: { train: [1, 2, 3, 4, 5].map((i) => `data_batch_${i}`), test: ['test_batch'] },
  cifar100: { train: ['train'], test: ['test'] },
};

export type CifarFormat = 'binary' | 'python';

/** The binary version when any of its files of `split` is in `dir`, else the python version when one of its files is. */
export function cifarFormat(dir: string, variant: CifarVariant, split: CifarSplit): CifarFormat {
  const has = (files: string[]): boolean => files.some((f) => existsSync(join(dir, f)));
  return !has(CIFAR_FILES[variant][split]) && has(CIFAR_PY_FILES[variant][split]) ? 'python' : 'binary';
}

export const CIFAR_COUNTS: Record<CifarSplit, number> = { train: 50_000, test: 10_000 };

function namesFile(dir: string, file: string, variant: CifarVariant, count: number): string[] | null {
  const path = join(dir, file);
  if (!existsSync(path)) return null;
  const names = readLines(path, variant).map((l) => l.text);
  if (names.length !== count) throw corruptFile(path, {}, `${names.length} class names, expected ${count}`);
  return names;
}

/** Class names from the python version's meta pickle ('batches.meta' / 'meta'), or null when absent. */
function namesPickle(dir: string, file: string, key: string, variant: CifarVariant, count: number): string[] | null {
  const path = join(dir, file);
  if (!existsSync(path)) return null;
  const meta = readPickle(readBytes(path, variant), path);
  const names = meta instanceof PickleDict ? meta.get(key) : undefined;
  if (!Array.isArray(names) || !names.every((n) => typeof n === 'string' || Buffer.isBuffer(n)))
    throw corruptFile(path, {}, `'${key}' is missing or not a list of names`);
  if (names.length !== count) throw corruptFile(path, {}, `${names.length} class names in '${key}', expected ${count}`);
  return names.map((n) => n.toString());
}

function classNames(dir: string, variant: CifarVariant, kind: 'fine' | 'coarse'): string[] {
  const count = kind === 'coarse' ? 20 : variant === 'cifar10' ? 10 : 100;
  const names =
    variant === 'cifar10'
      ? (namesFile(dir, 'batches.meta.txt', variant, count) ?? namesPickle(dir, 'batches.meta', 'label_names', variant, count))
      : (namesFile(dir, `${kind}_label_names.txt`, variant, count) ?? namesPickle(dir, 'meta', `${kind}_label_names`, variant, count));
  return names ?? Array.from({ length: count }, (_, i) => String(i));
}

/**
 * A split of CIFAR-10 (`cifar-10-batches-bin/` or `cifar-10-batches-py/`) or CIFAR-100
 * (`cifar-100-binary/` or `cifar-100-python/`); the format is chosen by the files present (cifarFormat).
 */
export function loadCifar(dir: string, variant: CifarVariant, split: CifarSplit): CifarSet {
  requireDatasetDir(dir, variant === 'cifar10' ? 'CIFAR-10' : 'CIFAR-100');
  const python = cifarFormat(dir, variant, split) === 'python';
  const parts = (python ? CIFAR_PY_FILES : CIFAR_FILES)[variant][split].map((f) => (python ? readCifarPickle : readCifarBinary)(join(dir, f), variant));
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
    classNames: classNames(dir, variant, 'fine'),
  };
  if (coarse) {
    set.coarseLabels = coarse;
    set.coarseClassNames = classNames(dir, variant, 'coarse');
  }
  return set;
}

/** Float NHWC pixels in [0, 1], the layout the training code takes. */
export function toImageSet(set: ByteImageSet): ImageSet {
  const images = new Float32Array(set.pixels.length);
  for (let i = 0; i < images.length; i++) images[i] = set.pixels[i]! / 255;
  return { images, labels: set.labels, count: set.count, height: set.height, width: set.width, channels: set.channels, classes: set.classes };
}
