// MNIST idx files (src/data/idx.ts): exact reads, raw and gzipped; InputErrors with the offset.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadMnistIdx, readIdx } from '../../src/data/idx.js';
import { DatasetMissingError, InputError } from '../../src/core/errors.js';
import { idxBytes, tempDir, writeFile } from './fixtures.js';

function mnistDir(gz: boolean): string {
  const dir = tempDir();
  // 3 images of 2x2: pixel values 0..11; labels 7, 0, 9
  const images = idxBytes(
    [3, 2, 2],
    Array.from({ length: 12 }, (_, i) => i * 20),
  );
  const labels = idxBytes([3], [7, 0, 9]);
  const enc = (b: Buffer): Buffer => (gz ? gzipSync(b) : b);
  const ext = gz ? '.gz' : '';
  writeFile(join(dir, `t10k-images-idx3-ubyte${ext}`), enc(images));
  writeFile(join(dir, `t10k-labels-idx1-ubyte${ext}`), enc(labels));
  return dir;
}

describe('MNIST idx', () => {
  for (const gz of [false, true]) {
    it(`reads images and labels exactly (${gz ? 'gzipped' : 'raw'})`, () => {
      const set = loadMnistIdx(mnistDir(gz), 'test');
      expect([set.count, set.height, set.width, set.channels]).toEqual([3, 2, 2, 1]);
      expect(Array.from(set.labels)).toEqual([7, 0, 9]);
      expect(set.images[5]).toBeCloseTo(100 / 255, 7);
      expect(set.images[11]).toBeCloseTo(220 / 255, 7);
    });
  }

  it('wrong magic number: InputError with file and offset 0', () => {
    const dir = mnistDir(false);
    const file = join(dir, 't10k-images-idx3-ubyte');
    writeFileSync(file, idxBytes([3], [1, 2, 3])); // a labels file where images belong
    expect(() => loadMnistIdx(dir, 'test')).toThrow(InputError);
    expect(() => loadMnistIdx(dir, 'test')).toThrow(`${file} at byte offset 0: wrong magic number 0x00000801, expected 0x00000803`);
    writeFileSync(file, Buffer.from([1, 2, 8, 3, 0, 0]));
    expect(() => readIdx(file)).toThrow(`${file} at byte offset 0: bad magic number 0x01020803`);
  });

  it('short read: InputError with the offset where the file ends', () => {
    const dir = mnistDir(false);
    const file = join(dir, 't10k-images-idx3-ubyte');
    writeFileSync(
      file,
      idxBytes(
        [3, 2, 2],
        Array.from({ length: 12 }, () => 1),
      ).subarray(0, 20),
    );
    expect(() => loadMnistIdx(dir, 'test')).toThrow(`${file} at byte offset 20: short read: 20 bytes, the header [3 x 2 x 2] needs 28`);
  });

  it('truncated gzip and mismatched counts are InputErrors', () => {
    const dir = mnistDir(true);
    const file = join(dir, 't10k-labels-idx1-ubyte.gz');
    const gz = gzipSync(idxBytes([3], [7, 0, 9]));
    writeFileSync(file, gz.subarray(0, gz.length - 6));
    expect(() => loadMnistIdx(dir, 'test')).toThrow(/t10k-labels-idx1-ubyte\.gz: not a complete gzip stream/);
    writeFileSync(file, gzipSync(idxBytes([2], [7, 0])));
    expect(() => loadMnistIdx(dir, 'test')).toThrow('2 labels but');
    writeFileSync(file, gzipSync(idxBytes([3], [7, 0, 12])));
    expect(() => loadMnistIdx(dir, 'test')).toThrow(`${file} at byte offset 10 of the uncompressed data: label 12 is not a digit 0-9`);
  });

  it('a missing folder is DatasetMissingError, a missing file InputError', () => {
    expect(() => loadMnistIdx('/nonexistent/mnist', 'train')).toThrow(DatasetMissingError);
    expect(() => loadMnistIdx(mnistDir(false), 'train')).toThrow(InputError);
  });
});
