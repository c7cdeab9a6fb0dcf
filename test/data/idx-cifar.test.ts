import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadCifar, readCifarBinary, toImageSet } from '../../src/data/cifar.js';
import { loadMnistIdx, readIdx } from '../../src/data/idx.js';
import { DatasetMissingError, InputError } from '../../src/core/errors.js';
import { idxBytes, tempDir, writeFile } from './fixtures.js';

function mnistDir(gz: boolean): string {
  const dir = tempDir();
  // 3 images of 2x2: pixel values 0..11; labels 7, 0, 9
  const images = idxBytes([3, 2, 2], Array.from({ length: 12 }, (_, i) => i * 20));
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
    writeFileSync(file, idxBytes([3, 2, 2], Array.from({ length: 12 }, () => 1)).subarray(0, 20));
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

/** One CIFAR record: label byte(s) then planar pixels R = 1, G = 2, B = 3 + record index. */
function cifarRecord(labels: number[], r: number): Buffer {
  const px = Buffer.alloc(3072);
  px.fill(1, 0, 1024);
  px.fill(2, 1024, 2048);
  px.fill(3 + r, 2048, 3072);
  px[0] = 200; // R at (0,0)
  px[1024 + 33] = 201; // G at (1,1)
  return Buffer.concat([Buffer.from(labels), px]);
}

describe('CIFAR binary', () => {
  it('CIFAR-10: labels and channel-planar pixels become NHWC', () => {
    const dir = tempDir();
    const file = writeFile(join(dir, 'test_batch.bin'), Buffer.concat([cifarRecord([3], 0), cifarRecord([9], 1)]));
    writeFile(join(dir, 'batches.meta.txt'), 'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n');
    const raw = readCifarBinary(file, 'cifar10');
    expect(Array.from(raw.labels)).toEqual([3, 9]);
    expect(Array.from(raw.pixels.subarray(0, 6))).toEqual([200, 2, 3, 1, 2, 3]);
    expect(raw.pixels[3 * 33 + 1]).toBe(201);
    expect(raw.pixels[3072 + 2]).toBe(4);
    const set = loadCifar(dir, 'cifar10', 'test');
    expect(set.count).toBe(2);
    expect(set.classNames[3]).toBe('cat');
    const f = toImageSet(set);
    expect(f.images[0]).toBeCloseTo(200 / 255, 7);
    expect([f.height, f.width, f.channels, f.classes]).toEqual([32, 32, 3, 10]);
  });

  it('CIFAR-100: coarse and fine labels', () => {
    const dir = tempDir();
    writeFile(join(dir, 'test.bin'), Buffer.concat([cifarRecord([19, 99], 0), cifarRecord([0, 4], 1)]));
    const set = loadCifar(dir, 'cifar100', 'test');
    expect(Array.from(set.labels)).toEqual([99, 4]);
    expect(Array.from(set.coarseLabels!)).toEqual([19, 0]);
  });

  it('a truncated batch or a bad label is an InputError with the offset', () => {
    const dir = tempDir();
    const file = writeFile(join(dir, 'test_batch.bin'), Buffer.concat([cifarRecord([3], 0), cifarRecord([9], 1)]).subarray(0, 5000));
    expect(() => readCifarBinary(file, 'cifar10')).toThrow(`${file} at byte offset 3073: short read: 5000 bytes is not a whole number of 3073-byte cifar10 records (record 1 is cut off)`);
    writeFileSync(file, Buffer.concat([cifarRecord([3], 0), cifarRecord([10], 1)]));
    expect(() => readCifarBinary(file, 'cifar10')).toThrow(`${file} at byte offset 3073: label 10 of record 1 is outside 0-9`);
    writeFileSync(file, Buffer.concat([cifarRecord([20, 5], 0)]));
    expect(() => readCifarBinary(file, 'cifar100')).toThrow(`${file} at byte offset 0: coarse label 20 of record 0 is outside 0-19`);
  });
});
