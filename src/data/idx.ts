// MNIST idx files (LeCun et al.): big-endian header [0, 0, type, ndims], ndims uint32 sizes, then data.
// Images: magic 0x00000803 (ubyte, 3 dims: count x 28 x 28); labels: magic 0x00000801 (ubyte, 1 dim).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ImageSet } from './mnist.js';
import { corruptFile, readBytes, requireDatasetDir, type FilePlace } from './fileio.js';

const IDX_TYPES = {
  0x08: { name: 'ubyte', bytes: 1 },
  0x09: { name: 'byte', bytes: 1 },
  0x0b: { name: 'short', bytes: 2 },
  0x0c: { name: 'int', bytes: 4 },
  0x0d: { name: 'float', bytes: 4 },
  0x0e: { name: 'double', bytes: 8 },
} as const;

export type IdxType = (typeof IDX_TYPES)[keyof typeof IDX_TYPES]['name'];

export interface IdxArray {
  type: IdxType;
  dims: number[];
  /** Values in file order (converted from big-endian). */
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

/** Parses an idx file (raw or .gz). `expect` pins the magic number (type and number of dims). */
export function readIdx(file: string, expect?: { type: IdxType; ndims: number }): IdxArray {
  const buf = readBytes(file, 'idx file');
  const at = (offset: number): FilePlace => ({ offset, uncompressed: file.endsWith('.gz') });
  if (buf.length < 4) throw corruptFile(file, at(buf.length), `short read: ${buf.length} bytes, an idx header needs 4`);
  const magic = buf.readUInt32BE(0);
  const typeCode = buf[2]! as keyof typeof IDX_TYPES;
  const ndims = buf[3]!;
  const type = IDX_TYPES[typeCode];
  if (buf[0] !== 0 || buf[1] !== 0 || !type || ndims === 0) {
    throw corruptFile(file, at(0), `bad magic number 0x${magic.toString(16).padStart(8, '0')}: not an idx file`);
  }
  if (expect && (type.name !== expect.type || ndims !== expect.ndims)) {
    const code = Number(Object.entries(IDX_TYPES).find(([, t]) => t.name === expect.type)![0]);
    const want = code * 256 + expect.ndims;
    throw corruptFile(
      file,
      at(0),
      `wrong magic number 0x${magic.toString(16).padStart(8, '0')}, expected 0x${want.toString(16).padStart(8, '0')} (${expect.type}, ${expect.ndims} dims)`,
      'check that the images and labels files are not swapped, or download the file again',
    );
  }
  const headerBytes = 4 + 4 * ndims;
  if (buf.length < headerBytes) throw corruptFile(file, at(buf.length), `short read in the header: ${buf.length} of ${headerBytes} bytes`);
  const dims: number[] = [];
  for (let d = 0; d < ndims; d++) dims.push(buf.readUInt32BE(4 + 4 * d));
  const count = dims.reduce((a, b) => a * b, 1);
  const need = headerBytes + count * type.bytes;
  if (buf.length < need) throw corruptFile(file, at(buf.length), `short read: ${buf.length} bytes, the header [${dims.join(' x ')}] needs ${need}`);
  if (buf.length > need) throw corruptFile(file, at(need), `${buf.length - need} unexpected bytes after the data`);
  return { type: type.name, dims, data: idxValues(buf, headerBytes, count, type.name) };
}

function idxValues(buf: Buffer, at: number, count: number, type: IdxType): IdxArray['data'] {
  switch (type) {
    case 'ubyte':
      return new Uint8Array(buf.subarray(at, at + count));
    case 'byte':
      return new Int8Array(buf.subarray(at, at + count));
    case 'short':
      return Int16Array.from({ length: count }, (_, i) => buf.readInt16BE(at + 2 * i));
    case 'int':
      return Int32Array.from({ length: count }, (_, i) => buf.readInt32BE(at + 4 * i));
    case 'float':
      return Float32Array.from({ length: count }, (_, i) => buf.readFloatBE(at + 4 * i));
    case 'double':
      return Float64Array.from({ length: count }, (_, i) => buf.readDoubleBE(at + 8 * i));
  }
}

export type MnistSplit = 'train' | 'test';

/** The four standard names; each may also be gzipped or use the '.idx3-ubyte' spelling. */
export const MNIST_FILES: Record<MnistSplit, { images: string; labels: string }> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
};

/** Finds `name`, `name.gz` or the dotted spelling (`train-images.idx3-ubyte`) in `dir`. */
export function findIdxFile(dir: string, name: string): string | null {
  const dotted = name.replace(/-(idx\d)-/, '.$1-');
  for (const candidate of [name, `${name}.gz`, dotted, `${dotted}.gz`]) {
    if (existsSync(join(dir, candidate))) return join(dir, candidate);
  }
  return null;
}

/** MNIST from idx files in `dir`: pixels scaled to [0, 1], labels checked to be digits. */
export function loadMnistIdx(dir: string, split: MnistSplit): ImageSet {
  requireDatasetDir(dir, 'MNIST');
  const names = MNIST_FILES[split];
  const imagesFile = findIdxFile(dir, names.images) ?? join(dir, `${names.images}.gz`);
  const labelsFile = findIdxFile(dir, names.labels) ?? join(dir, `${names.labels}.gz`);
  const at = (offset: number): FilePlace => ({ offset, uncompressed: labelsFile.endsWith('.gz') });
  const images = readIdx(imagesFile, { type: 'ubyte', ndims: 3 });
  const labels = readIdx(labelsFile, { type: 'ubyte', ndims: 1 });
  const [count, height, width] = images.dims as [number, number, number];
  if (count === 0) throw corruptFile(imagesFile, at(4), 'the file holds 0 images', 'an empty set cannot be trained on; download the MNIST files again');
  if (labels.dims[0] !== count) {
    throw corruptFile(labelsFile, at(4), `${labels.dims[0]} labels but ${imagesFile} has ${count} images`, 'use the labels file of the same split');
  }
  const labelValues = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const y = labels.data[i]!;
    if (y > 9) throw corruptFile(labelsFile, at(8 + i), `label ${y} is not a digit 0-9`);
    labelValues[i] = y;
  }
  const pixels = new Float32Array(images.data.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = images.data[i]! / 255;
  return { images: pixels, labels: labelValues, count, height, width, channels: 1, classes: 10 };
}
